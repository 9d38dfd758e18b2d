import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { createNda } from "../../examples/api-client.ts"
import { embedDemo, layerEmbedded } from "../../examples/embed-core.ts"
import { apiClient, bootApi, demoEnterprise, type TestApp } from "./fixtures.ts"

describe("README examples", () => {
  let app: TestApp
  beforeAll(async () => {
    app = await bootApi()
  })
  afterAll(() => app.close())

  it("examples/embed-core.ts: the core on SQLite alone creates a contract, both parties sign with SMS codes, the PDF carries both signatures", async () => {
    const dir = mkdtempSync(join(tmpdir(), "signet-embed-"))
    try {
      const { contract, pdf } = await Effect.runPromise(embedDemo.pipe(Effect.provide(layerEmbedded(dir, new Uint8Array(randomBytes(32)), new Uint8Array(randomBytes(32))))))
      const text = new TextDecoder("latin1").decode(pdf)
      expect([contract.status, contract.documentVersion, contract.parties.map((p) => p.status)]).toEqual(["completed", 2, ["signed", "signed"]])
      expect(text.match(/\/Type\s*\/Sig\b/g)?.length).toBe(2)
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
