import { describe, expect, it } from "vitest"
import { postgresUrl } from "../../../fixtures/postgres.ts"
import { tcpProxy } from "../../../fixtures/tcpProxy.ts"
import { waitForPostgres } from "./postgres-database.ts"

/** Start-up while the database is away: a clear line per attempt, then on when it comes back, or a plain error at the deadline. */
const url = postgresUrl("waiting for Postgres")
describe.skipIf(url === null)("waitForPostgres", () => {
  it("logs each attempt while the database is unreachable and returns once it answers", async () => {
    const target = new URL(url!)
    const proxy = await tcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    try {
      await proxy.cut()
      target.host = `127.0.0.1:${proxy.port}`
      const lines: Array<string> = []
      await waitForPostgres(target.toString(), {
        timeoutMs: 60_000,
        log: (line) => {
          lines.push(line)
          if (lines.length === 1) void proxy.restore()
        },
      })
      expect(lines[0]).toMatch(/^waiting for the database at 127\.0\.0\.1:\d+\/\w+ \(attempt 1: .*ECONNREFUSED/)
      expect(lines.at(-1)).toMatch(/^database at 127\.0\.0\.1:\d+\/\w+ is reachable$/)

      await proxy.cut()
      await expect(waitForPostgres(target.toString(), { timeoutMs: 0, log: () => undefined })).rejects.toThrow(/^database at 127\.0\.0\.1:\d+\/\w+ not reachable after 0 s: .*ECONNREFUSED/)
    } finally {
      await proxy.close()
    }
  })
})
