import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { SOFTHSM2_MODULE } from "../../adapters/usb-key/index.ts"
import { caFiles } from "../../adapters/ca/index.ts"
import { signThroughApi, signOnToken, tokenCertificate } from "../../examples/deferred-signing.ts"
import { AutoSignAuthorization } from "../../core/seals/AutoSignAuthorization.ts"
import { AutoSignRepository } from "../../core/ports/AutoSignRepository.ts"
import { authorizeAutoSign, requestAutoSignCode, revokeAutoSign } from "../../core/seals/autoSign.ts"
import { orgScope } from "../../core/organizations/orgScope.ts"
import { UsbKeyIssuer } from "../../core/ports/UsbKeyIssuer.ts"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { verifyPdf } from "../../core/signing/verify/verifyPdf.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import type { Enterprise } from "../../core/organizations/Enterprise.ts"
import { lastCode } from "../../fixtures/boot.ts"
import { expectValidators, nssDbTrusting } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { DEV_USBKEY_USER_PIN } from "../platform/orderLayers.ts"
import { apiClient, bootApi, demoEnterprise, otherEnterprise, type TestApp } from "./fixtures.ts"

const softhsm = requireTools("deferred signing through the API (SoftHSM2)", "softhsm2-util", SOFTHSM2_MODULE)
const pdfsig = requireTools("deferred signing through the API (pdfsig)", "pdfsig")

type Api = Awaited<ReturnType<typeof apiClient>>

/** An NDA between the key's enterprise (party 0) and a person. */
const ndaWith = async (api: Api, enterprise: Enterprise, other: { name: string; mobile: string }) => {
  const r = await api.post("/api/v1/contracts", { json: {
    name: "保密协议", deadline: new Date(Date.now() + 86400_000).toISOString(), parties: [{ enterpriseName: enterprise.name }, other],
    template: { id: "nda", values: { partyA: enterprise.name, partyB: other.name, years: "1", place: "北京" } },
  } })
  expect(r.status, await r.clone().text()).toBe(201)
  return String(((await r.json()) as { id: string }).id) as NumericId
}

describe("signing as the enterprise through the partner API (issue 20)", () => {
  let app: TestApp
  beforeAll(async () => {
    app = await bootApi()
  })
  afterAll(() => app.close())

  const contractOf = (id: NumericId) => app.run(Effect.map(ContractRepository.use((r) => r.find(id)), Option.getOrThrow))
  const eventsOf = (id: NumericId) => app.run(EvidenceStore.use((e) => e.eventsOf(`contract:${id}`)))
  const problem = async (r: Response) => ({ status: r.status, code: ((await r.json()) as { code: string }).code })

  it.skipIf(!softhsm)("examples/deferred-signing.ts: a key on a SoftHSM token signs; the verifier names its certificate; a replay and another enterprise's certificate are refused", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const id = await ndaWith(api, enterprise, { name: "李四", mobile: "13800000002" })
    const holder = { kind: "enterprise" as const, name: enterprise.name, organization: enterprise.name, uscc: enterprise.creditCode }
    await app.run(UsbKeyIssuer.use((i) => i.issue({ tokenLabel: "api-deferred-1", holder, years: 1 })))
    const hsm = { module: SOFTHSM2_MODULE, token: "api-deferred-1", pin: DEV_USBKEY_USER_PIN }
    const signed = await signThroughApi(api.creds, id, hsm, api.fetch)
    expect(signed.parties.map((p) => p.status)).toEqual(["signed", "waiting"])
    const contract = await contractOf(id)
    const pdf = await app.run(Effect.map(BlobStore.use((b) => b.get(contract.documentSha256)), Option.getOrThrow))
    const report = await app.run(TrustList.use((t) => verifyPdf(pdf, { trust: t.roots })))
    expect(report.signatures.map((s) => [s.signatureValid, s.timestampTime !== undefined])).toEqual([[true, true]])
    expect(report.signatures[0]!.signer).toContain(enterprise.creditCode)
    if (pdfsig) {
      const root = caFiles(join(app.dataDir, "ca")).rootCert
      expectValidators(pdf, 1, { nss: nssDbTrusting(root), rootPem: root, name: "api-deferred" })
    }
    const act = JSON.parse((await eventsOf(id)).find((e) => e.type === "contract.signed")!.body)
    expect(act.data).toMatchObject({ keyHeld: "signer", party: 0, confirmation: "api-key", revocation: "good" })
    expect(act.data.certificateSerial).toMatch(/^[0-9a-f]+$/)

    // Replayed completion (a fresh request, not an idempotent retry): refused, nothing more written.
    const second = await ndaWith(api, enterprise, { name: "李四", mobile: "13800000002" })
    const cert = Buffer.from(tokenCertificate(hsm)).toString("base64")
    const p = await (await api.post(`/api/v1/contracts/${second}/signatures:prepare`, { json: { certificateChain: [cert] } })).json() as { preparedId: string; algorithm: string; toBeSigned: string }
    const value = Buffer.from(signOnToken(hsm, p.algorithm, new Uint8Array(Buffer.from(p.toBeSigned, "base64")))).toString("base64")
    const complete = () => api.post(`/api/v1/contracts/${second}/signatures:complete`, { json: { preparedId: p.preparedId, signatureValue: value, certificateChain: [cert] } })
    expect((await complete()).status).toBe(200)
    const events = (await eventsOf(second)).length
    expect(await problem(await complete())).toEqual({ status: 409, code: "prepared_used" })
    expect((await eventsOf(second)).length).toBe(events)
    // The prepared id under another contract's number: not found.
    expect((await problem(await api.post(`/api/v1/contracts/${id}/signatures:complete`, { json: { preparedId: p.preparedId, signatureValue: value, certificateChain: [cert] } }))).code).toBe("prepared_not_found")

    // Another enterprise's USB-Key cannot sign for this one.
    const other = await otherEnterprise(app)
    await app.run(UsbKeyIssuer.use((i) => i.issue({ tokenLabel: "api-deferred-2", holder: { kind: "enterprise", name: other.enterprise.name, organization: other.enterprise.name, uscc: other.enterprise.creditCode }, years: 1 })))
    const third = await ndaWith(api, enterprise, { name: "李四", mobile: "13800000002" })
    const foreign = Buffer.from(tokenCertificate({ ...hsm, token: "api-deferred-2" })).toString("base64")
    expect(await problem(await api.post(`/api/v1/contracts/${third}/signatures:prepare`, { json: { certificateChain: [foreign] } }))).toEqual({ status: 422, code: "certificate_not_of_party" })
    // And the other enterprise's API key cannot prepare on a contract it is not a party of.
    const otherApi = await apiClient(app, other.admin, other.enterprise.id)
    expect((await problem(await otherApi.post(`/api/v1/contracts/${third}/signatures:prepare`, { json: { certificateChain: [foreign] } }))).status).toBe(404)
    expect((await contractOf(third)).documentVersion).toBe(0)
  }, 120_000)

  it("auto-signing: within the authorization it signs; out of scope, over the count, revoked or expired it is refused and nothing is written", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const scope = await app.run(orgScope(admin.id, enterprise.id))
    const seal = (await app.run(SealRepository.use((r) => r.seals(enterprise.id)))).find((s) => s.enabled)!
    const now = Date.now()
    const input = { sealId: seal.id, scopeKind: "counterparties" as const, scopeValues: ["李四"], validFrom: now - 60_000, validUntil: now + 3600_000, maxCount: 1 }
    await app.run(requestAutoSignCode(scope, input))
    const granted = await app.run(authorizeAutoSign(scope, input, await lastCode(app, admin.mobile)))
    const auto = (id: NumericId) => api.post(`/api/v1/contracts/${id}/signatures:auto`)
    const unchanged = async (id: NumericId, r: Response, code: string) => {
      const before = (await eventsOf(id)).length
      expect(await problem(r)).toEqual({ status: 403, code })
      expect([(await contractOf(id)).documentVersion, (await eventsOf(id)).length]).toEqual([0, before])
    }

    const first = await ndaWith(api, enterprise, { name: "李四", mobile: "13800000002" })
    const ok = await auto(first)
    expect(ok.status, await ok.clone().text()).toBe(200)
    expect(((await ok.json()) as { parties: Array<{ status: string }> }).parties.map((p) => p.status)).toEqual(["signed", "waiting"])
    const act = JSON.parse((await eventsOf(first)).find((e) => e.type === "contract.signed")!.body)
    expect(act.data).toMatchObject({ autoSignAuthorization: granted.id, sealId: seal.id, party: 0 })
    // The seal's use is in its usage log with its seal.used event, as a person's use would be; the signature has its timestamp.
    const usages = () => app.run(SealRepository.use((r) => r.usagesOfSeal(enterprise.id, seal.id, 100)))
    const used = (await usages()).filter((u) => u.contractId === first)
    expect(used.map((u) => [u.autoSignId, u.actorUserId, u.kind])).toEqual([[granted.id, admin.id, "seal"]])
    const sealEvents = () => app.run(EvidenceStore.use((e) => e.eventsOf(`seal:${seal.id}`)))
    expect((await sealEvents()).filter((e) => e.type === "seal.used" && JSON.parse(e.body).data.usageId === used[0]!.id)).toHaveLength(1)
    const autoSha = (await contractOf(first)).documentSha256
    const autoPdf = await app.run(Effect.map(BlobStore.use((b) => b.get(autoSha)), Option.getOrThrow))
    const autoReport = await app.run(TrustList.use((t) => verifyPdf(autoPdf, { trust: t.roots })))
    expect(autoReport.signatures.filter((s) => s.kind === "signature").map((s) => [s.signatureValid, s.checks.timestamp?.ok])).toEqual([[true, true]])
    const usagesBefore = (await usages()).length

    const outOfScope = await ndaWith(api, enterprise, { name: "王五", mobile: "13800000005" })
    await unchanged(outOfScope, await auto(outOfScope), "auto_sign_out_of_scope")
    const overCount = await ndaWith(api, enterprise, { name: "李四", mobile: "13800000002" })
    await unchanged(overCount, await auto(overCount), "auto_sign_over_count")
    // Refused calls log no use of the seal.
    expect((await usages()).length).toBe(usagesBefore)

    // A second authorization (written directly: a second code to the admin would wait out the 60 s resend limit), then revoked:
    // the newest one's reason is the answer.
    const row = (id: string, createdAt: number, window: { validFrom: number; validUntil: number }) => new AutoSignAuthorization({
      id, enterpriseId: enterprise.id, sealId: seal.id, scopeKind: "counterparties", scopeValues: ["李四"], ...window,
      maxCount: 10, usedCount: 0, grantedBy: admin.id, createdAt, revokedAt: null, revokedBy: null,
    })
    await app.run(AutoSignRepository.use((r) => r.insert(row("second0000000000", Date.now() + 1, { validFrom: now - 60_000, validUntil: now + 3600_000 }))))
    await app.run(revokeAutoSign(scope, "second0000000000"))
    await unchanged(overCount, await auto(overCount), "auto_sign_revoked")

    // An authorization whose window has ended (written as it stands in the table: the portal refuses to grant one).
    await app.run(AutoSignRepository.use((r) => r.insert(row("ended00000000000", Date.now() + 2, { validFrom: now - 7200_000, validUntil: now - 3600_000 }))))
    await unchanged(overCount, await auto(overCount), "auto_sign_expired")

    // Another enterprise's key: not found.
    const other = await otherEnterprise(app)
    const otherApi = await apiClient(app, other.admin, other.enterprise.id)
    expect((await otherApi.post(`/api/v1/contracts/${overCount}/signatures:auto`)).status).toBe(404)
  }, 120_000)
})
