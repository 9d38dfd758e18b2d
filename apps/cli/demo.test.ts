import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it, vi } from "vitest"
import { withEnv } from "../../fixtures/tools.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { signetElsewhere } from "../../fixtures/cli.ts"
import { demoContractPdf } from "../platform/demoPdf.ts"
import { main } from "./main.ts"

const dir = mkdtempSync(join(tmpdir(), "signet-demo-"))
const elsewhere = mkdtempSync(join(tmpdir(), "signet-demo-check-"))
afterAll(() => [dir, elsewhere].forEach((d) => rmSync(d, { recursive: true, force: true })))

describe("signet demo", () => {
  it("runs a three-party contract (a person, an enterprise with seal and delegated signature, a person; sequential) on the configured database and writes a PDF that `signet pdf verify` accepts and an evidence bundle that `signet evidence verify` accepts", async () => {
    await withEnv({ SIGNET_DATA_DIR: join(dir, "var"), DATABASE_URL: undefined }, async () => {
      expect(await main(["demo", "--out", join(dir, "out")])).toBe(0)
    })
    expect(existsSync(join(dir, "out", "contract.pdf"))).toBe(true)
    expect(await main(["pdf", "verify", join(dir, "out", "contract.pdf"), "--trust", join(dir, "out", "trust-root.pem")])).toBe(0)
    // The demo signs at B-LTA (the dev profile's level): four signatures, each act followed by a DSS, a document
    // timestamp and the timestamp's own DSS; later revisions add only signatures and validation data.
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
    try {
      expect(await main(["pdf", "verify", join(dir, "out", "contract.pdf"), "--trust", join(dir, "out", "trust-root.pem"), "--json", "--revocation"])).toBe(0)
      const report = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as { verdict: string; signatures: Array<{ kind: string; coverage: { revision: number; of: number } }>; revisions: Array<{ changes: Array<{ rule: string }> }> }
      expect(report.verdict).toBe("signaturesAdded")
      expect(report.signatures.filter((s) => s.kind === "signature")).toHaveLength(4)
      expect(report.signatures.filter((s) => s.kind === "documentTimestamp")).toHaveLength(3) // one per signing act
      expect(new Set(report.revisions.flatMap((r) => r.changes.map((c) => c.rule)))).toEqual(new Set(["signature", "dss", "docTimestamp"]))
    } finally {
      log.mockRestore()
    }
    // The evidence bundle verifies offline, in another process, against the signed PDF it describes...
    const verified = signetElsewhere(elsewhere, "evidence", "verify", join(dir, "out", "evidence"), "--pdf", join(dir, "out", "contract.pdf"))
    expect(verified.out).toMatch(/result: valid/)
    expect(verified.code).toBe(0)
    const bundle = JSON.parse(readFileSync(join(dir, "out", "evidence"), "utf8")) as { subject: string; events: Array<{ body: string }> }
    expect(bundle.subject).toMatch(/^contract:\d{19}$/)
    const signed = bundle.events.map((e) => JSON.parse(e.body)).filter((b: { type: string }) => b.type === "contract.signed")
    expect(signed).toHaveLength(3)
    // The enterprise, second in order: its seal and the signature its signatory delegated to the agent, confirmed by a code.
    expect(signed.map((b: { data: { party: number; signatures?: number; delegated?: boolean } }) => [b.data.party, b.data.signatures ?? 1, b.data.delegated ?? null]))
      .toEqual([[0, 1, null], [1, 2, true], [2, 1, null]])
    expect(signed[1].data.otpChallenge).toMatch(/^\d{19}$/)
    // One signature per person, two for the enterprise: four in the PDF.
    expect(new TextDecoder("latin1").decode(readFileSync(join(dir, "out", "contract.pdf"))).match(/\/Type\s*\/Sig\b/g)?.length).toBe(4)
    // ...and not against another PDF (the first version, before anyone signed).
    const unsigned = join(elsewhere, "unsigned.pdf")
    writeFileSync(unsigned, await demoContractPdf("Signet demo contract"))
    const wrong = signetElsewhere(elsewhere, "evidence", "verify", join(dir, "out", "evidence"), "--pdf", unsigned)
    expect([wrong.code, /result: INVALID/.test(wrong.out)]).toEqual([1, true])
    expect(await main(["demo"])).toBe(2)
  }, 60_000)

  const url = postgresUrl("signet demo on Postgres")
  it.skipIf(url === null)("on Postgres the trust root it writes is the CA's in the database (no CA in the data dir)", async () => {
    const database = `signet_demo_${randomBytes(5).toString("hex")}`
    const psql = (sql: string) => execFileSync("psql", [url!, "-tAc", sql], { stdio: "pipe" })
    psql(`create database ${database}`)
    try {
      await withEnv({ SIGNET_DATA_DIR: join(dir, "var-pg"), DATABASE_URL: url!.replace(/\/[^/?]+(\?|$)/, `/${database}$1`) }, async () => {
        expect(await main(["demo", "--out", join(dir, "out-pg")])).toBe(0)
      })
      expect(existsSync(join(dir, "var-pg", "ca"))).toBe(false)
      expect(await main(["pdf", "verify", join(dir, "out-pg", "contract.pdf"), "--trust", join(dir, "out-pg", "trust-root.pem")])).toBe(0)
    } finally {
      psql(`drop database if exists ${database} with (force)`)
    }
  }, 90_000)
})
