import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { withEnv } from "../../fixtures/tools.ts"
import { main } from "./main.ts"

const dir = mkdtempSync(join(tmpdir(), "signet-demo-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("signet demo", () => {
  it("runs a three-party contract on the configured database and writes a PDF that `signet pdf verify` accepts", async () => {
    await withEnv({ SIGNET_DATA_DIR: join(dir, "var"), DATABASE_URL: undefined }, async () => {
      expect(await main(["demo", "--out", join(dir, "out")])).toBe(0)
    })
    expect(existsSync(join(dir, "out", "contract.pdf"))).toBe(true)
    expect(await main(["pdf", "verify", join(dir, "out", "contract.pdf"), "--trust", join(dir, "out", "trust-root.pem")])).toBe(0)
    expect(await main(["demo"])).toBe(2)
  }, 60_000)
})
