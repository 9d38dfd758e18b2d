import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { spawnSync } from "node:child_process"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { createNda } from "../../examples/api-client.ts"
import { embedDemo, layerEmbedded } from "../../examples/embed-core.ts"
import { apiClient, bootApi, demoEnterprise, type TestApp } from "./fixtures.ts"

const root = new URL("../../", import.meta.url).pathname

/** `signet evidence verify` in its own process, with no database configured (as an auditor would run it). */
const verifyBundleFile = (dir: string, bundle: string, pdf: string) => {
  const env = { ...process.env }
  delete env.DATABASE_URL
  delete env.SIGNET_DATA_DIR
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "apps/cli/main.ts"), "evidence", "verify", bundle, "--pdf", pdf], {
    cwd: dir, env, encoding: "utf8", timeout: 60_000,
  })
  return { code: r.status, out: r.stdout + r.stderr }
}

describe("README examples", () => {
  let app: TestApp
  beforeAll(async () => {
    app = await bootApi()
  })
  afterAll(() => app.close())

  it("examples/embed-core.ts: the core on SQLite alone creates a contract, both parties sign with SMS codes, the PDF carries both signatures, and `signet evidence verify` accepts its evidence bundle", async () => {
    const dir = mkdtempSync(join(tmpdir(), "signet-embed-"))
    try {
      const { contract, pdf, evidence } = await Effect.runPromise(embedDemo.pipe(Effect.provide(layerEmbedded(dir, new Uint8Array(randomBytes(32)), new Uint8Array(randomBytes(32))))))
      const text = new TextDecoder("latin1").decode(pdf)
      expect([contract.status, contract.documentVersion, contract.parties.map((p) => p.status)]).toEqual(["completed", 2, ["signed", "signed"]])
      expect(text.match(/\/Type\s*\/Sig\b/g)?.length).toBe(2)
      // Every act is on the contract's chain (the download too), the completion with the signed document's digest.
      expect(evidence.events.map((e) => JSON.parse(e.body).type)).toEqual(["contract.created", "contract.sent", "contract.signed", "contract.signed", "contract.completed", "contract.downloaded"])
      writeFileSync(join(dir, "signed.pdf"), pdf)
      writeFileSync(join(dir, "evidence.json"), JSON.stringify(evidence))
      const ok = verifyBundleFile(dir, "evidence.json", "signed.pdf")
      expect(ok.out).toContain("PASS  inclusion proofs")
      expect(ok.out).toContain("PASS  timestamp token")
      expect(ok.code).toBe(0)
      // The same bundle with one event's data changed is refused: the check above can fail.
      const forged = { ...evidence, events: evidence.events.map((e, i) => (i === 2 ? { ...e, body: e.body.replace("\"party\":0", "\"party\":1") } : e)) }
      expect(forged.events[2]!.body).not.toBe(evidence.events[2]!.body)
      writeFileSync(join(dir, "forged.json"), JSON.stringify(forged))
      expect(verifyBundleFile(dir, "forged.json", "signed.pdf").code).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("examples/api-client.ts: a signed request creates an NDA (once, whatever the retries) and reads its status", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const signers = [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }] as const
    const first = await createNda(api.creds, "PO-2026-0042", signers, api.fetch)
    const again = await createNda(api.creds, "PO-2026-0042", signers, api.fetch)
    const other = await createNda(api.creds, "PO-2026-0043", signers, api.fetch)
    expect(other.id).not.toBe(first.id)
    expect([first.status, first.parties.map((p) => p.status), again.id]).toEqual(["inProgress", ["waiting", "waiting"], first.id])
  })
})
