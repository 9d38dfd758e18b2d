import { generateKeyPairSync, sign as nodeSign } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import * as pkijs from "pkijs"
import { issueSigningCertificate, revoke } from "../../adapters/ca/index.ts"
import { toPem } from "../../adapters/keys-software/index.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import type { Enterprise } from "../../core/organizations/Enterprise.ts"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { TrustList } from "../../core/ports/TrustList.ts"
import { verifyPdf } from "../../core/signing/verify/verifyPdf.ts"
import { logInAs } from "../../fixtures/boot.ts"
import { openLtvWorld, type LtvWorld } from "../../fixtures/signing/ltv.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { apiClient, bootApi, demoEnterprise, type TestApp } from "./fixtures.ts"

/**
 * A certificate from another CA on the trust list (SIGNET_TRUST_ROOTS): a
 * second software CA that serves OCSP and CRLs over HTTP, named in its
 * certificates (AIA, CRL DP). Completion asks those services; a revoked
 * certificate and one whose status cannot be confirmed (the services are
 * down) are refused, nothing written (issue 20).
 */
describe("signing with a certificate from another CA on the trust list (issue 20)", () => {
  let world: LtvWorld
  let app: TestApp
  beforeAll(async () => {
    world = await openLtvWorld()
    const roots = join(tempDir("signet-trust-roots-"), "other-ca.pem")
    writeFileSync(roots, toPem(world.ca.rootDer, "CERTIFICATE"))
    app = await bootApi({ SIGNET_TRUST_ROOTS: roots })
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    await world?.stop()
  })

  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64")
  /** A key held outside the platform and its certificate from the other CA, naming the enterprise. */
  const otherCaKey = async (enterprise: Enterprise) => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" })
    const der = new Uint8Array(await Effect.runPromise(issueSigningCertificate(world.ca, {
      kind: "enterprise", name: enterprise.name, organization: enterprise.name, uscc: enterprise.creditCode,
    }, new Uint8Array(publicKey.export({ type: "spki", format: "der" })))))
    return {
      chain: [der, world.ca.issuingDer, world.ca.rootDer].map(b64),
      serial: Buffer.from(pkijs.Certificate.fromBER(der).serialNumber.valueBlock.valueHexView).toString("hex"),
      sign: (data: Uint8Array) => b64(new Uint8Array(nodeSign("sha256", data, { key: privateKey, dsaEncoding: "der" }))),
    }
  }

  const nda = async (api: Awaited<ReturnType<typeof apiClient>>, enterprise: Enterprise) => {
    const r = await api.post("/api/v1/contracts", { json: {
      name: "保密协议", deadline: new Date(Date.now() + 86400_000).toISOString(), parties: [{ enterpriseName: enterprise.name }, { name: "李四", mobile: "13800000002" }],
      template: { id: "nda", values: { partyA: enterprise.name, partyB: "李四", years: "1", place: "北京" } },
    } })
    expect(r.status, await r.clone().text()).toBe(201)
    return String(((await r.json()) as { id: string }).id) as NumericId
  }
  const contractOf = (id: NumericId) => app.run(Effect.map(ContractRepository.use((r) => r.find(id)), Option.getOrThrow))
  const eventsOf = (id: NumericId) => app.run(EvidenceStore.use((e) => e.eventsOf(`contract:${id}`)))
  const problem = async (r: Response) => {
    const body = (await r.json()) as { code: string; detail?: string }
    return { status: r.status, code: body.code, detail: body.detail ?? "" }
  }

  it("its status is asked of the CA's OCSP responder: good signs; revoked and unconfirmable are refused with the reason, nothing written; the portal offers the USB-Key way", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const key = await otherCaKey(enterprise)

    const id = await nda(api, enterprise)
    const prepared = await api.post(`/api/v1/contracts/${id}/signatures:prepare`, { json: { certificateChain: key.chain } })
    expect(prepared.status, await prepared.clone().text()).toBe(200)
    const p = (await prepared.json()) as { preparedId: string; toBeSigned: string }
    const done = await api.post(`/api/v1/contracts/${id}/signatures:complete`, { json: { preparedId: p.preparedId, signatureValue: key.sign(new Uint8Array(Buffer.from(p.toBeSigned, "base64"))), certificateChain: key.chain } })
    expect(done.status, await done.clone().text()).toBe(200)
    const sha = (await contractOf(id)).documentSha256
    const pdf = await app.run(Effect.map(BlobStore.use((b) => b.get(sha)), Option.getOrThrow))
    const report = await app.run(TrustList.use((t) => verifyPdf(pdf, { trust: t.roots })))
    expect(report.signatures.filter((s) => s.kind === "signature").map((s) => s.signatureValid)).toEqual([true])
    const act = JSON.parse((await eventsOf(id)).find((e) => e.type === "contract.signed")!.body)
    expect([act.data.revocation, act.data.revocationSource, act.data.certificateSerial]).toEqual(["good", expect.stringContaining("OCSP 在线查询"), key.serial])

    // Trust roots beyond the platform's: every party is offered 使用 USB-Key 签署 (the platform cannot list those certificates beforehand).
    const web = await logInAs(app, admin.mobile, "Demo1234", `/contracts/${id}`)
    const next = await nda(api, enterprise)
    expect((await web.get(`/contracts/${next}`)).html).toContain("使用 USB-Key 签署")

    // The other CA revokes it: the responder says so, the certificate is refused.
    await Effect.runPromise(revoke(world.ca, key.serial))
    const before = (await eventsOf(next)).length
    expect(await problem(await api.post(`/api/v1/contracts/${next}/signatures:prepare`, { json: { certificateChain: key.chain } })))
      .toMatchObject({ status: 422, code: "certificate_revoked" })

    // The CA's services are down: nothing confirms the status of a fresh certificate, so it is refused too, saying why.
    const fresh = await otherCaKey(enterprise)
    await world.stop()
    const unconfirmed = await problem(await api.post(`/api/v1/contracts/${next}/signatures:prepare`, { json: { certificateChain: fresh.chain } }))
    expect(unconfirmed).toMatchObject({ status: 422, code: "certificate_status_unconfirmed" })
    expect(unconfirmed.detail).toContain("OCSP/CRL 服务无法访问")
    expect([(await contractOf(next)).documentVersion, (await eventsOf(next)).length]).toEqual([0, before])
  }, 120_000)
})
