import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import SQLite from "better-sqlite3"
import { Effect, Layer, ManagedRuntime, Option } from "effect"
import { afterAll, describe, expect, it, vi } from "vitest"
import { layer as layerCrypto } from "../../../adapters/crypto-node/index.ts"
import { layerUnitOfWork } from "../../../adapters/sql/unitOfWork.ts"
import { recordEvent } from "../../../core/evidence/recordEvent.ts"
import { IdGenerator } from "../../../core/ports/IdGenerator.ts"
import { loadConfig } from "../../platform/config.ts"
import { layerEvidence } from "../../platform/evidence.ts"
import { layerDatabase } from "../../platform/layers.ts"
import { resolveSecrets } from "../../platform/secrets.ts"
import { main } from "../main.ts"
import { bootForTest } from "../../../fixtures/boot.ts"
import { TestBrowser } from "../../../fixtures/browser.ts"
import { withEnv } from "../../../fixtures/tools.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"

const dataDir = mkdtempSync(join(tmpdir(), "signet-evidence-cli-"))
const elsewhere = mkdtempSync(join(tmpdir(), "signet-verify-"))
afterAll(() => [dataDir, elsewhere].forEach((d) => rmSync(d, { recursive: true, force: true })))
const USER = "1248849947504173056"
const root = new URL("../../../", import.meta.url).pathname

/** `signet evidence verify` in its own process, from another directory, with no database configured. */
const verifyElsewhere = (...args: Array<string>) => {
  const env = { ...process.env }
  delete env.DATABASE_URL
  delete env.SIGNET_DATA_DIR
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "apps/cli/main.ts"), "evidence", "verify", ...args], {
    cwd: elsewhere, env, encoding: "utf8", timeout: 60_000,
  })
  return { code: r.status, out: r.stdout + r.stderr }
}

const exportBundle = async (name: string) => {
  const out = join(elsewhere, name)
  expect(await main(["evidence", "export", "--subject", `user:${USER}`, "--out", out])).toBe(0)
  return out
}

/** An attacker with write access to the SQLite file: drops the guard trigger and edits anyway. */
const tamper = (...statements: Array<string>) => {
  const db = new SQLite(join(dataDir, "signet.db"))
  for (const s of statements) db.exec(s)
  db.close()
}

describe("signet evidence export / verify", () => {
  it("exports a user's history; a separate process verifies it offline; tampering in the database is named", async () => {
    const saved = { dir: process.env.SIGNET_DATA_DIR, url: process.env.DATABASE_URL }
    process.env.SIGNET_DATA_DIR = dataDir
    delete process.env.DATABASE_URL
    try {
      const config = loadConfig({ SIGNET_DATA_DIR: dataDir })
      const runtime = ManagedRuntime.make(Layer.mergeAll(layerEvidence(config, resolveSecrets(config)), layerUnitOfWork, IdGenerator.layerSnowflake(11)).pipe(
        Layer.provideMerge(layerDatabase(config)), Layer.provideMerge(layerCrypto),
      ))
      await runtime.runPromise(Effect.gen(function*() {
        yield* recordEvent({ type: "user.registered", subjectId: USER, role: "user", actor: USER, ip: "192.0.2.1", userAgent: "Firefox/140" })
        yield* recordEvent({ type: "user.logged_in", subjectId: USER, role: "user", actor: USER, ip: "192.0.2.1" })
        yield* recordEvent({ type: "user.password_changed", subjectId: USER, role: "user", actor: USER, ip: "192.0.2.9" })
      }))
      await runtime.dispose()
      const good = await exportBundle("good.json")
      expect(JSON.parse(readFileSync(good, "utf8")).events).toHaveLength(3)
      const ok = verifyElsewhere(good)
      expect(ok.out).toContain("PASS  inclusion proofs")
      expect(ok.out).toContain("PASS  timestamp token")
      expect(ok.code).toBe(0)
      // Refusals need no separate process.
      const log = vi.spyOn(console, "log").mockImplementation(() => {})
      const err = vi.spyOn(console, "error").mockImplementation(() => {})
      try {
        expect(await main(["evidence", "verify", good, "--log-key", "other.example+00000000+AQ=="])).toBe(1)
        expect(await main(["evidence", "verify", good, "--pdf", good])).toBe(1)
        expect(log.mock.calls.flat().join("\n")).toMatch(/FAIL {2}document hash — the bundle names no document/)
        writeFileSync(join(elsewhere, "junk.json"), "{")
        expect(await main(["evidence", "verify", join(elsewhere, "junk.json")])).toBe(1)
        expect(await main(["evidence", "verify"])).toBe(2)
        expect(await main(["evidence", "consistency", "--from", "1"])).toBe(0)
        expect(log.mock.calls.at(-1)?.[0]).toMatch(/^[0-9a-f]{64}(,[0-9a-f]{64})*$/)
        expect(await main(["evidence", "consistency"])).toBe(2)
        expect(await main(["evidence", "export", "--subject", "nobody", "--out", join(elsewhere, "x.json")])).toBe(2)
        expect(await main(["evidence", "export", "--subject", "user:1000000000000000001", "--out", join(elsewhere, "x.json")])).toBe(1)
        expect(await main(["evidence", "export", "--contract", "1000000000000000001", "--out", join(elsewhere, "x.json")])).toBe(1)
        expect(err.mock.calls.flat().join("\n")).toContain("no events for contract:1000000000000000001")
      } finally {
        log.mockRestore()
        err.mockRestore()
      }

      // One byte of the middle event changed in the database.
      tamper("DROP TRIGGER evidence_events_no_update", "UPDATE evidence_events SET body = replace(body, '\"role\":\"user\"', '\"role\":\"usex\"') WHERE subject_seq = 1")
      const changed = verifyElsewhere(await exportBundle("changed.json"))
      expect(changed.code).toBe(1)
      expect(changed.out).toMatch(/FAIL {2}chain continuity — event 3 .* does not link/)
      expect(changed.out).toMatch(/FAIL {2}inclusion proofs — event 2 .* is not in the signed tree/)

      // The middle event deleted (with its openings and leaf row).
      tamper(
        "DROP TRIGGER evidence_events_no_delete", "DROP TRIGGER evidence_leaves_no_delete",
        "DELETE FROM evidence_openings WHERE event_id IN (SELECT id FROM evidence_events WHERE subject_seq = 1)",
        "DELETE FROM evidence_leaves WHERE event_id IN (SELECT id FROM evidence_events WHERE subject_seq = 1)",
        "DELETE FROM evidence_events WHERE subject_seq = 1",
      )
      const deleted = verifyElsewhere(await exportBundle("deleted.json"))
      expect(deleted.code).toBe(1)
      expect(deleted.out).toMatch(/FAIL {2}chain continuity — event 2 .* has chain position 2, expected 1/)
    } finally {
      if (saved.dir === undefined) delete process.env.SIGNET_DATA_DIR
      else process.env.SIGNET_DATA_DIR = saved.dir
      if (saved.url !== undefined) process.env.DATABASE_URL = saved.url
    }
  }, 180_000)
})

describe("signet evidence report", () => {
  it("writes a contract's 出证报告 from the configured database; its code opens the public check in the portal", async () => {
    const app = await bootForTest()
    const log = vi.spyOn(console, "log").mockImplementation(() => {})
    const err = vi.spyOn(console, "error").mockImplementation(() => {})
    try {
      const zhang = Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile("13800000001"))))
      const { items } = await app.run(ContractRepository.use((r) => r.list({ mobile: zhang.mobile, userId: zhang.id, status: ["completed"], limit: 1, offset: 0 })))
      const contract = items[0]!
      const out = join(elsewhere, "report.pdf")
      const code = await withEnv({ SIGNET_DATA_DIR: app.dataDir, DATABASE_URL: undefined }, () => main(["evidence", "report", "--contract", contract.id, "--out", out]))
      expect(code).toBe(0)
      const printed = log.mock.calls.flat().join("\n").match(/verification code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/)?.[1]
      expect(printed).toBeDefined()
      expect(new TextDecoder().decode(readFileSync(out).subarray(0, 5))).toBe("%PDF-")
      const page = await new TestBrowser(app.web).get(`/evidence/report/${printed}`)
      expect(page.html).toContain("验证通过")
      expect(page.html).toContain(contract.id)

      expect(await withEnv({ SIGNET_DATA_DIR: app.dataDir }, () => main(["evidence", "report", "--contract", "1000000000000000009", "--out", out]))).toBe(1)
      expect(err.mock.calls.flat().join("\n")).toContain("no contract 1000000000000000009")
      expect(await main(["evidence", "report", "--contract", "12", "--out", out])).toBe(2)
      expect(await main(["evidence", "report", "--out", out])).toBe(2)
    } finally {
      log.mockRestore()
      err.mockRestore()
      await app.close()
    }
  }, 120_000)
})
