import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { SignField } from "../../../core/contracts/Contract.ts"
import { UsbKeyIssuer } from "../../../core/ports/UsbKeyIssuer.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import type { User } from "../../../core/accounts/User.ts"
import { bootForTest, createVerifiedUser, logInAs } from "../../../fixtures/boot.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { keyMadeOnRecord } from "../../../fixtures/orders/portal.ts"
import { startAgent } from "../../cli/commands/agentServer.ts"
import { DEV_USBKEY_USER_PIN } from "../../platform/orderLayers.ts"

const ok = requireTools("使用 USB-Key 签署 (SoftHSM2)", "softhsm2-util", SOFTHSM2_MODULE)
const ORIGIN = "http://localhost"

describe.skipIf(!ok)("使用 USB-Key 签署 on the contract page (issue 20)", () => {
  let app: Awaited<ReturnType<typeof bootForTest>>
  let agent: Awaited<ReturnType<typeof startAgent>>
  let a: User
  let b: User
  beforeAll(async () => {
    app = await bootForTest()
    a = await createVerifiedUser(app, "13900000301", "赵一")
    b = await createVerifiedUser(app, "13900000302", "钱二")
    agent = await startAgent({ origin: ORIGIN, module: SOFTHSM2_MODULE, port: 0, pin: async () => DEV_USBKEY_USER_PIN, log: () => {} })
  }, 60_000)
  afterAll(async () => {
    await agent?.close()
    await app?.close()
  })

  const newContract = () => app.run(Effect.gen(function*() {
    const c = yield* createContract(a, {
      name: "房屋租赁合同", pdf: yield* Effect.promise(() => classicPdf(1, "Lease")), mode: "simultaneous", deadline: Date.now() + 86400_000,
      parties: [{ name: "赵一", mobile: a.mobile }, { name: "钱二", mobile: b.mobile }],
      fields: [0, 1].map((i) => new SignField({ partyIndex: i, page: 1, x: 60 + i * 200, y: 80, width: 150, height: 60, kind: "signature" })),
    })
    return yield* sendContract(a, c.id)
  }))
  const fromAgent = async (path: string, body?: unknown) => {
    const r = await fetch(`http://127.0.0.1:${agent.port}${path}`, { method: body === undefined ? "GET" : "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return (await r.json()) as Record<string, unknown>
  }

  it("the party signs with the USB-Key through the agent; another party's certificate and a revoked one are refused with the reason", async () => {
    const holder = { kind: "person" as const, name: "赵一", idNumber: "440305199208150034" }
    const issued = await app.run(UsbKeyIssuer.use((i) => i.issue({ tokenLabel: "portal-ukey-1", holder, years: 1 })))
    // The shop sold 赵一 that key: the platform has it on record, so 赵一 is offered the USB-Key way.
    await keyMadeOnRecord(app, a.id, issued.serialHex, { name: holder.name, idNumber: holder.idNumber })
    const contract = await newContract()
    const zhao = await logInAs(app, a.mobile, "Demo1234", `/contracts/${contract.id}`)
    expect((await zhao.get(`/contracts/${contract.id}`)).html).toContain("使用 USB-Key 签署")
    const cert = ((await fromAgent("/certificates")).certificates as Array<{ token: string; label: string; certificate: string }>).find((c) => c.token === "portal-ukey-1")!
    const prepared = await zhao.postJson(`/contracts/${contract.id}/ukey/prepare`, { certificate: cert.certificate, party: 0 })
    expect(prepared.status).toBe(200)
    expect(prepared.json.contract).toMatchObject({ id: contract.id, name: "房屋租赁合同" })
    const signed = await fromAgent("/sign", { token: cert.token, label: cert.label, toBeSigned: prepared.json.toBeSigned, contract: prepared.json.contract })
    const done = await zhao.postJson(`/contracts/${contract.id}/ukey/complete`, { preparedId: prepared.json.preparedId, signatureValue: signed.signatureValue, certificate: cert.certificate })
    expect([done.status, done.json.redirect]).toEqual([200, `/contracts/${contract.id}?done=signed`])
    const after = await app.run(Effect.map(ContractRepository.use((r) => r.find(contract.id)), Option.getOrThrow))
    expect([after.parties.map((p) => p.status), after.documentVersion]).toEqual([["signed", "waiting"], 1])

    // 钱二 bought no key and the trust list holds no other CA: the option is not shown, and preparing is refused.
    const qian = await logInAs(app, b.mobile, "Demo1234", `/contracts/${contract.id}`)
    expect((await qian.get(`/contracts/${contract.id}`)).html).not.toContain("使用 USB-Key 签署")
    const notOffered = await qian.postJson(`/contracts/${contract.id}/ukey/prepare`, { certificate: cert.certificate, party: 1 })
    expect([notOffered.status, String(notOffered.json.error)]).toEqual([403, expect.stringContaining("不能使用 USB-Key 签署")])
    // Once the shop sold 钱二 a key, a certificate naming another person's ID number still cannot sign for 钱二.
    await keyMadeOnRecord(app, b.id, "0b0b0b01", { name: "钱二", idNumber: "440305199208150034" })
    expect((await qian.get(`/contracts/${contract.id}`)).html).toContain("使用 USB-Key 签署")
    const other = await app.run(UsbKeyIssuer.use((i) => i.issue({ tokenLabel: "portal-ukey-2", holder: { kind: "person", name: "孙三", idNumber: "11010519491231002X" }, years: 1 })))
    const refused = await qian.postJson(`/contracts/${contract.id}/ukey/prepare`, { certificate: Buffer.from(other.certificateDer).toString("base64"), party: 1 })
    expect([refused.status, String(refused.json.error)]).toEqual([422, expect.stringContaining("不属于签署方")])

    // After 补办 revokes it, the certificate cannot sign any more.
    await app.run(UsbKeyIssuer.use((i) => i.revoke(issued.serialHex)))
    const next = await newContract()
    await zhao.get(`/contracts/${next.id}`)
    const revoked = await zhao.postJson(`/contracts/${next.id}/ukey/prepare`, { certificate: cert.certificate, party: 0 })
    expect([revoked.status, String(revoked.json.error)]).toEqual([422, expect.stringContaining("已被吊销")])
  }, 120_000)
})
