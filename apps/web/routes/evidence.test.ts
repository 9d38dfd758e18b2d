import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Layer, Option, Result } from "effect"
import { Hex } from "effect/encoding"
import { layer as layerCrypto } from "../../../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../../../adapters/keys-software/index.ts"
import { publish } from "../../../core/evidence/checkpoint.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { compareCheckpoints } from "../../../core/evidence/fork.ts"
import { leafHash, verifyInclusion } from "../../../core/evidence/merkle.ts"
import { parseCheckpoint, parseNote, parseVerifierKey } from "../../../core/evidence/note.ts"
import { recordEvent } from "../../../core/evidence/recordEvent.ts"
import { Crypto } from "../../../core/ports/Crypto.ts"
import { EvidenceStore } from "../../../core/ports/EvidenceStore.ts"
import { bootForTest, lastCode, logInAs } from "../../../fixtures/boot.ts"
import { PDFDocument } from "pdf-lib"
import type { Bundle } from "../../../core/evidence/Bundle.ts"
import { verifyBundle } from "../../../core/evidence/verifyBundle.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { TestBrowser } from "../../../fixtures/browser.ts"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

const get = async (path: string) => {
  const r = await app.web.request(`http://localhost${path}`)
  return { status: r.status, body: await r.text() }
}
/** What a monitor does on its own machine: no app runtime, only hashing and WebCrypto. */
const offline = <A, E>(e: Effect.Effect<A, E, Crypto | import("../../../core/ports/WebCrypto.ts").WebCrypto>) =>
  Effect.runPromise(e.pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
const hashes = (proof: ReadonlyArray<string>) => proof.map((h) => Result.getOrThrow(Hex.decode(h)))

describe("evidence read API", () => {
  it("serves the key, signed checkpoints and proofs that a monitor checks without our database", async () => {
    const record = (id: string) => app.run(recordEvent({ type: "user.registered", subjectId: id, role: "user" }))
    await record("1000000000000000001")
    const first = await app.run(publish())
    const event = await record("1000000000000000002")
    await record("1000000000000000003")
    const second = await app.run(publish())
    const [stored] = await app.run(EvidenceStore.use((s) => s.eventsOf(event.subject)))

    const key = (await get("/evidence/key")).body.trim()
    const latest = await get("/evidence/checkpoint")
    expect(latest.body).toBe(second.checkpoint.note)
    const old = await get(`/evidence/checkpoint/${first.checkpoint.size}`)
    expect(old.body).toBe(first.checkpoint.note)
    const consistency = JSON.parse((await get(`/evidence/proof/consistency?from=${first.checkpoint.size}&to=${second.checkpoint.size}`)).body) as { proof: Array<string> }
    const inclusion = JSON.parse((await get(`/evidence/proof/inclusion?index=${stored!.leafIndex}&size=${second.checkpoint.size}`)).body) as { proof: Array<string> }

    const checked = await offline(Effect.gen(function*() {
      const { sha256 } = yield* Crypto
      const trusted = [Result.getOrThrow(parseVerifierKey(sha256, key))]
      const verdict = yield* compareCheckpoints(old.body, latest.body, hashes(consistency.proof), trusted)
      const cp = Result.getOrThrow(parseCheckpoint(Result.getOrThrow(parseNote(latest.body)).text))
      const included = verifyInclusion(sha256, stored!.leafIndex!, cp.size, leafHash(sha256, new TextEncoder().encode(event.body)), hashes(inclusion.proof), cp.root)
      return { verdict: verdict.verdict, included }
    }))
    expect(checked).toEqual({ verdict: "consistent", included: true })

    expect((await get("/evidence/proof/inclusion?index=-1&size=2")).status).toBe(400)
    expect((await get("/evidence/proof/inclusion?index=abc&size=2")).status).toBe(400)
    expect((await get(`/evidence/proof/inclusion?index=0&size=${second.checkpoint.size + 5}`)).status).toBe(404)
    expect((await get("/evidence/proof/consistency?from=3&to=2")).status).toBe(404)
    expect((await get("/evidence/checkpoint/999999")).status).toBe(404)
  })

  it("a user downloads their own bundle after registering; `signet evidence verify` in another process, with no database, passes it", async () => {
    expect((await new TestBrowser(app.web).get("/evidence/mine")).location).toBe("/login?next=%2Fevidence%2Fmine")
    const mobile = "13712349876"
    const b = new TestBrowser(app.web)
    await b.get("/register")
    await b.post("/register/code", { mobile }, { "hx-request": "true" })
    expect((await b.post("/register", { mobile, code: await lastCode(app, mobile), password: "abc12345", confirmPassword: "abc12345" })).status).toBe(303)
    const download = await b.get("/evidence/mine")
    expect(download.status).toBe(200)
    const text = new TextDecoder().decode(b.lastBytes)
    const bundle = JSON.parse(text) as { subject: string; events: Array<{ body: string }> }
    expect(bundle.events.map((e) => JSON.parse(e.body).type)).toEqual(["user.registered"])
    const dir = mkdtempSync(join(tmpdir(), "signet-bundle-"))
    try {
      writeFileSync(join(dir, "bundle.json"), text)
      const env = { ...process.env }
      delete env.DATABASE_URL
      delete env.SIGNET_DATA_DIR
      const root = new URL("../../../", import.meta.url).pathname
      const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "apps/cli/main.ts"), "evidence", "verify", "bundle.json"], {
        cwd: dir, env, encoding: "utf8", timeout: 60_000,
      })
      expect(r.stdout).toContain("PASS  inclusion proofs")
      expect(r.stdout).toContain("PASS  timestamp token")
      expect(r.status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("the public verify page checks an uploaded bundle (and PDF) and names what failed; bad uploads get zh-CN errors", async () => {
    await app.run(recordEvent({ type: "user.registered", subjectId: "1000000000000000077", role: "user" }))
    const bundle = await app.run(exportBundle("user:1000000000000000077", { withOpenings: false }))
    const b = new TestBrowser(app.web)
    expect((await b.get("/evidence/verify")).html).toContain("证据包（.json")
    const blob = (text: string, type = "application/json") => new Blob([text], { type })
    const ok = await b.postMultipart("/evidence/verify", { bundle: blob(JSON.stringify(bundle)) }, "bundle.json")
    expect(ok.status).toBe(200)
    expect(ok.html).toContain("验证通过")
    expect(ok.html).toContain('data-check="inclusion proofs" data-status="pass"')
    await b.get("/evidence/verify")
    const forged = { ...bundle, events: bundle.events.map((e) => ({ ...e, body: e.body.replace('"role":"user"', '"role":"staff"') })) }
    const bad = await b.postMultipart("/evidence/verify", { bundle: blob(JSON.stringify(forged)) }, "bundle.json")
    expect(bad.html).toContain("验证未通过")
    expect(bad.html).toContain('data-check="inclusion proofs" data-status="fail"')
    await b.get("/evidence/verify")
    const empty = await b.postMultipart("/evidence/verify", { bundle: blob("") }, "bundle.json")
    expect([empty.status, fieldErrorOf(empty.html)]).toEqual([422, "请选择证据包文件"])
    await b.get("/evidence/verify")
    const notJson = await b.postMultipart("/evidence/verify", { bundle: blob("%PDF-1.7") }, "bundle.json")
    expect([notJson.status, fieldErrorOf(notJson.html)]).toEqual([422, "证据包不是有效的 JSON 文件"])
    await b.get("/evidence/verify")
    const notPdf = await b.postMultipart("/evidence/verify", { bundle: blob(JSON.stringify(bundle)), pdf: blob("{}", "application/pdf") }, "x.pdf")
    expect(notPdf.status).toBe(422)
    expect(notPdf.html).toContain("合同文件必须是 PDF")
    expect((await new TestBrowser(app.web).postMultipart("/evidence/verify", { bundle: blob(JSON.stringify(bundle)) })).status).toBe(403)
  })
})

describe("a contract's evidence for its people: bundle, 出证报告 and the report's public code", () => {
  it("the initiator downloads the bundle (own openings only) and the report; strangers and logged-out visitors cannot", async () => {
    const zhang = await logInAs(app, "13800000001")
    const zhangId = Option.getOrThrow(await app.run(UserRepository.use((r) => r.findByMobile("13800000001")))).id
    const { items } = await app.run(ContractRepository.use((r) => r.list({ mobile: "13800000001", userId: zhangId, status: ["completed"], limit: 1, offset: 0 })))
    const contract = items[0]!
    // The contract page links both.
    const page = await zhang.get(`/contracts/${contract.id}`)
    expect(page.html).toContain(`href="/evidence/contract/${contract.id}/bundle"`)
    expect(page.html).toContain(`href="/evidence/contract/${contract.id}/report"`)

    expect((await zhang.get(`/evidence/contract/${contract.id}/bundle`)).status).toBe(200)
    const bundle = JSON.parse(new TextDecoder().decode(zhang.lastBytes)) as Bundle
    expect(bundle.subject).toBe(`contract:${contract.id}`)
    expect(bundle.document?.sha256).toBe(contract.documentSha256)
    const actors = bundle.events.flatMap((e) => e.openings.filter((o) => o.field === "actor").map((o) => o.value))
    expect(actors.length).toBeGreaterThan(0)
    expect(new Set(actors)).toEqual(new Set([zhangId]))
    expect((await offline(verifyBundle(bundle, {}))).filter((c) => c.status === "fail")).toEqual([])

    const report = await zhang.get(`/evidence/contract/${contract.id}/report`)
    expect(report.status).toBe(200)
    const pdf = zhang.lastBytes
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-")
    // The code is in the PDF's metadata (the page text is checked by core/evidence/report.test.ts).
    const code = (await PDFDocument.load(pdf)).getSubject()?.match(/^signet evidence report ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})$/)?.[1]
    expect(code).toBeDefined()
    // Issuing the report is itself an act on the contract, recorded with the stored report.
    const last = (await app.run(EvidenceStore.use((s) => s.eventsOf(`contract:${contract.id}`)))).at(-1)!
    expect([last.type, JSON.parse(last.body).data.what, JSON.parse(last.body).role]).toEqual(["contract.downloaded", "evidence_report", "party"])

    // Anyone with the code sees the checks re-run on the frozen bundle; typed loosely, it still opens.
    const visitor = new TestBrowser(app.web)
    const result = await visitor.get(`/evidence/report/${code}`)
    expect(result.status).toBe(200)
    expect(result.html).toContain("验证通过")
    expect(result.html).toContain(contract.id)
    expect(result.html).not.toContain(contract.parties[0]!.mobile)
    expect((await visitor.get(`/evidence/report/${code!.toLowerCase().replace(/-/g, "")}`)).html).toContain("验证通过")
    expect((await visitor.get(`/evidence/verify?code=${encodeURIComponent(code!)}`)).location).toBe(`/evidence/report/${encodeURIComponent(code!)}`)
    expect((await visitor.get("/evidence/report/AAAA-BBBB-CCCC-DDDD")).status).toBe(404)
    expect((await visitor.get("/evidence/report/x")).status).toBe(404)

    // Not logged in: to the log-in page. Someone else (not a party): not found, nothing revealed.
    expect((await visitor.get(`/evidence/contract/${contract.id}/report`)).location).toMatch(/^\/login/)
    const other = await logInAs(app, "13800000003")
    expect((await other.get(`/evidence/contract/${contract.id}/bundle`)).status).toBe(404)
    expect((await other.get(`/evidence/contract/${contract.id}/report`)).status).toBe(404)
    expect((await other.get("/evidence/contract/not-a-number/report")).status).toBe(404)
  })
})

const fieldErrorOf = (html: string) => html.match(/class="field-error" id="e-bundle">([^<]*)</)?.[1] ?? null
