import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option, Schema } from "effect"
import * as pkijs from "pkijs"
import { addAddress } from "../../../core/accounts/addressBook.ts"
import { AddressInput } from "../../../core/accounts/User.ts"
import { EventBody } from "../../../core/evidence/Event.ts"
import type { OrderId } from "../../../core/orders/Order.ts"
import { OrderRepository } from "../../../core/ports/OrderRepository.ts"
import { EvidenceStore } from "../../../core/ports/EvidenceStore.ts"
import { StaffRepository, UserRepository } from "../../../core/ports/UserRepository.ts"
import { caFiles } from "../../../adapters/ca/index.ts"
import { toPem } from "../../../adapters/keys-software/index.ts"
import { inspectKey, KEY_LABEL, SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { DEV_USBKEY_USER_PIN } from "../../platform/orderLayers.ts"
import { bootForTest, createUser, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError, TestBrowser } from "../../../fixtures/browser.ts"
import { mockProvider, payOnMock, placeOrderVia } from "../../../fixtures/orders/portal.ts"
import { tempDir } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { staffBrowser } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 60_000)
afterAll(() => app?.close())

const order = (id: string) => app.run(OrderRepository.use((r) => Effect.map(r.find(id as OrderId), Option.getOrThrow)))
const reviewer = () => app.run(StaffRepository.use((r) => Effect.map(r.findByUsername("reviewer"), Option.getOrThrow)))

let n = 0
const buyer = async () => {
  n += 1
  const mobile = `1362000${String(n).padStart(4, "0")}`
  await createUser(app, mobile, `买家${n}`)
  return { b: await logInAs(app, mobile), mobile }
}

/** A paid order (self-pickup unless `express`), made through the portal and the mock checkout. */
const paid = async (business: "new" | "reissue" = "new", applicant: "enterprise" | "personal" = "enterprise", express = false, lost?: string) => {
  const { b, mobile } = await buyer()
  const extra: Record<string, string> = {}
  if (express) {
    const user = await app.run(UserRepository.use((r) => Effect.map(r.findByMobile(mobile as never), Option.getOrThrow)))
    const a = await app.run(addAddress(user.id, Schema.decodeSync(AddressInput)({ recipient: "吴十", mobile: "13700003333", region: "浙江省 杭州市", detail: "文三路 9 号", isDefault: true })))
    Object.assign(extra, { delivery: "express", addressId: a.id })
  }
  const id = await placeOrderVia(app, b, business, applicant, extra, lost === undefined ? {} : { lostCertificateSerial: lost })
  await payOnMock(b, id)
  return { id, b }
}

const staffPage = async () => {
  const s = await staffBrowser(app)
  await s.get("/orders")
  return s
}

describe("admin order review (O7, X2)", () => {
  it("only staff open the queues: a portal user's session does not", async () => {
    const { id, b } = await paid()
    const asUser = new TestBrowser(app.admin)
    for (const [k, v] of b.cookies) asUser.cookies.set(k, v)
    expect((await asUser.get("/orders")).location).toBe("/login")
    expect((await asUser.post(`/orders/${id}/approve`, { _csrf: b.csrf })).status).toBeGreaterThanOrEqual(401)
    expect((await order(id)).state.status).toBe("in_review")
  })

  it("the review page shows the materials inline with OCR beside the typed values; files of other orders are not served", async () => {
    const { id } = await paid()
    const other = await paid()
    const s = await staffPage()
    const queue = await s.get("/orders?queue=review")
    expect(queue.html).toContain(id)
    const page = await s.get(`/orders/${id}`)
    const o = await order(id)
    const licence = o.application.materials.licence!
    expect(page.html).toContain(`src="/orders/${id}/files/${licence}"`)
    expect(page.html).toContain(`hx-get="/orders/${id}/ocr/licence"`)
    // PDFs are drawn by pdf.js (static/pdf-preview.js), never by a native viewer <object>.
    expect(page.html).toContain("class=\"pdf-preview\"")
    expect(page.html).not.toContain("<object")
    expect((await s.get(`/orders/${id}/files/${licence}`)).status).toBe(200)
    expect((await s.get(`/orders/${id}/files/${(await order(other.id)).application.materials.licence}`)).status).toBe(404)
    const ocr = await app.admin.request(`http://localhost/orders/${id}/ocr/licence`, { headers: { cookie: [...s.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "hx-request": "true" } })
    const fragment = await ocr.text()
    expect(fragment).toContain(o.application.enterprise!.creditCode)
    expect(fragment.match(/一致/g)?.length).toBe(2)
    expect(fragment).not.toContain("不一致")
  })

  it("reject needs a reason; with reasons the buyer sees them; the decision is evidence carrying the staff member", async () => {
    const { id, b } = await paid("new", "personal")
    const s = await staffPage()
    await s.get(`/orders/${id}`)
    const none = await s.post(`/orders/${id}/reject`, { other: "  " })
    expect(none.status).toBe(422)
    expect(fieldError(none.html, "reasons")).toBe("请至少选择或填写一条原因")
    expect((await order(id)).state.status).toBe("in_review")
    const body = new URLSearchParams({ _csrf: s.csrf, other: "申请表日期未填写" })
    body.append("reason", "《服务协议》未签字盖章")
    body.append("reason", "身份证照片不清晰或已过期")
    const res = await app.admin.request(`http://localhost/orders/${id}/reject`, { method: "POST", body, headers: { cookie: [...s.cookies].map(([k, v]) => `${k}=${v}`).join("; ") }, redirect: "manual" })
    expect(res.status).toBe(303)
    const o = await order(id)
    expect(o.state.rejectReasons).toEqual(["《服务协议》未签字盖章", "身份证照片不清晰或已过期", "申请表日期未填写"])
    expect((await b.get(`/orders/${id}`)).html).toContain("申请表日期未填写")
    const staff = await reviewer()
    const events = await app.run(Effect.gen(function*() {
      const store = yield* EvidenceStore
      const es = yield* store.eventsOf(`order:${id}`)
      const openings = yield* store.openingsOf(es.map((e) => e.id))
      return es.map((e) => ({ body: Schema.decodeUnknownSync(EventBody)(JSON.parse(e.body)), actor: openings.find((x) => x.eventId === e.id && x.field === "actor")?.value }))
    }))
    const decision = events.find((e) => e.body.type === "order.reviewed")!
    expect(decision.body).toMatchObject({ role: "staff", data: { decision: "rejected", reasons: 3 } })
    expect(decision.actor).toBe(staff.id)
    expect(events.map((e) => e.body.type)).toEqual(["order.created", "order.paid", "order.reviewed"])
    // A rejected order abandoned by the buyer is refunded through the gateway, after a confirm dialog, with an amount and a reason.
    const page = (await s.get(`/orders/${id}`)).html
    expect(page).toMatch(/<script src="\/static\/app.js" defer/)
    expect((await app.admin.request("http://localhost/static/app.js")).status).toBe(200)
    expect(page).toMatch(/id="refund-form"[^>]*data-confirm="确定通过支付平台向用户退款？可退 ￥540.00/)
    expect(page).toContain('id="f-refundAmount" name="refundAmount" inputmode="decimal" maxlength="12" value="540.00"')
    const blank = await s.post(`/orders/${id}/refund`, { refundAmount: "", refundReason: "" })
    expect(blank.status).toBe(422)
    expect([fieldError(blank.html, "refundAmount"), fieldError(blank.html, "refundReason")]).toEqual(["请填写退款金额（元，最多两位小数，大于 0）", "请填写退款原因（不超过 100 字）"])
    const tooMuch = await s.post(`/orders/${id}/refund`, { refundAmount: "540.01", refundReason: "用户放弃补正材料" })
    expect(tooMuch.status).toBe(400)
    expect(fieldError(tooMuch.html, "refundAmount")).toBe("退款金额须大于 0 且不超过可退金额 ￥540.00")
    expect((await order(id)).state.status).toBe("rejected")
    const done = await s.post(`/orders/${id}/refund`, { refundAmount: "500", refundReason: "用户放弃补正材料" })
    expect([done.status, done.location]).toEqual([303, `/orders/${id}?done=refunded`])
    const refunded = await order(id)
    expect([refunded.state.status, refunded.state.refunds.map((r) => [r.amountFen, r.status])]).toEqual(["refunded", [[50_000, "refunded"]]])
    // The admin page says where the money stands, not 未支付.
    const after = (await s.get(`/orders/${id}`)).html
    expect(after).toContain("已支付 ￥540.00")
    expect(after).toContain("收款 ￥540.00 · 已退 ￥500.00 · 实收 ￥40.00")
  })

  it("待退款: a refund the provider refused is queued; 已线下退款 needs a reference, then closes it and the buyer sees it", async () => {
    const { id, b } = await paid("new", "personal")
    const s = await staffPage()
    expect((await s.post(`/orders/${id}/approve`, {})).status).toBe(303)
    const provider = await mockProvider(app)
    provider.control.refuseRefunds = true
    const refused = await s.post(`/orders/${id}/refund`, { refundAmount: "100", refundReason: "无法制证" }).finally(() => { provider.control.refuseRefunds = false })
    expect([refused.status, refused.location]).toEqual([303, `/orders/${id}?done=refund-refused`])
    expect((await s.get("/orders?queue=refunds")).html).toContain(`data-order="${id}"`)
    const page = (await s.get(`/orders/${id}`)).html
    expect(page).toContain("支付平台：商户账户余额不足")
    expect(page).toMatch(/id="offline-refund"[^>]*data-confirm="确认款项已通过其他方式/)
    // Not before the provider refused: an order with nothing refused has no offline refund to record.
    const { id: fresh } = await paid("new", "personal")
    expect((await s.post(`/orders/${fresh}/offline-refund`, { offlineReference: "银行转账" })).status).toBe(409)
    const blank = await s.post(`/orders/${id}/offline-refund`, { offlineReference: "" })
    expect(blank.status).toBe(422)
    expect(fieldError(blank.html, "offlineReference")).toBe("请填写线下退款方式及流水号（不超过 100 字）")
    const done = await s.post(`/orders/${id}/offline-refund`, { offlineReference: "已通过银行转账退回，流水号 20261207001" })
    expect([done.status, done.location]).toEqual([303, `/orders/${id}?done=refunded`])
    const o = await order(id)
    expect([o.state.status, o.state.refunds.map((r) => [r.amountFen, r.status])]).toEqual(["refunded", [[10_000, "failed"], [10_000, "refunded"]]])
    expect((await s.get("/orders?queue=refunds")).html).not.toContain(`data-order="${id}"`)
    const mine = (await b.get(`/orders/${id}`)).html
    expect(mine).toContain("已通过银行转账退回，流水号 20261207001")
    expect(mine).toContain("已线下退款")
    // Nothing is left to pay back outside the provider.
    expect((await s.post(`/orders/${id}/offline-refund`, { offlineReference: "再退一次" })).status).toBe(409)
  })

  it("a decision on an order in the wrong state is refused (409) and changes nothing", async () => {
    const { id } = await paid()
    const s = await staffPage()
    await s.get(`/orders/${id}`)
    const early = await s.post(`/orders/${id}/notify-pickup`, {})
    expect(early.status).toBe(409)
    expect(formError(early.html)).toContain("当前状态下不能进行此操作")
    expect((await order(id)).version).toBe(2)
    expect((await s.post("/orders/1999999999999999999/approve", {})).status).toBe(404)
  })
})

const softhsm = requireTools("admin make key (SoftHSM2)", "softhsm2-util", SOFTHSM2_MODULE, "openssl")

describe.skipIf(!softhsm)("admin fulfilment on a SoftHSM2 token (O8)", () => {
  const opensslVerify = (der: Uint8Array) => {
    const ca = caFiles(join(app.dataDir, "ca"))
    const dir = tempDir("signet-admin-cert-")
    writeFileSync(join(dir, "cert.pem"), toPem(der, "CERTIFICATE"))
    execFileSync("openssl", ["crl", "-inform", "DER", "-in", ca.crl, "-out", join(dir, "crl.pem")])
    try {
      return execFileSync("openssl", ["verify", "-CAfile", ca.rootCert, "-untrusted", ca.issuingCert, "-crl_check", "-CRLfile", join(dir, "crl.pem"), join(dir, "cert.pem")], { encoding: "utf8", stdio: "pipe" }).trim()
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? "") + String((e as { stderr?: string }).stderr ?? "")
    }
  }

  it("approve, make the key on the order's token, ship with a tracking number, complete; a reissue revokes the lost certificate", async () => {
    const { id } = await paid("new", "enterprise", true)
    const s = await staffPage()
    await s.get(`/orders/${id}`)
    expect((await s.post(`/orders/${id}/approve`, {})).location).toBe(`/orders/${id}?done=approved`)
    await s.get(`/orders/${id}`)
    const made = await s.post(`/orders/${id}/make-key`, {})
    expect(made.location).toBe(`/orders/${id}?done=key-made`)
    const o = await order(id)
    expect(o.state.status).toBe("certificate_made")
    const key = inspectKey(SOFTHSM2_MODULE, id, DEV_USBKEY_USER_PIN, KEY_LABEL)
    expect(key).toMatchObject({ privateKeys: 1, sensitive: true, extractable: false, valueRead: "refused" })
    const cert = pkijs.Certificate.fromBER(new Uint8Array(key.certificateDer!))
    expect(Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString("hex")).toBe(o.state.certificateSerial)
    expect(opensslVerify(key.certificateDer!)).toMatch(/: OK$/)
    // Shipping needs a carrier and a tracking number.
    await s.get(`/orders/${id}`)
    const bad = await s.post(`/orders/${id}/ship`, { carrier: "", trackingNo: "1" })
    expect(bad.status).toBe(422)
    expect(fieldError(bad.html, "trackingNo")).toBe("运单号为 6-40 位字母、数字或 -")
    expect((await s.post(`/orders/${id}/ship`, { carrier: "顺丰速运", trackingNo: "SF1234567890" })).status).toBe(303)
    expect((await order(id)).state).toMatchObject({ status: "shipped", shipment: { carrier: "顺丰速运", trackingNo: "SF1234567890" } })
    await s.get(`/orders/${id}`)
    expect((await s.post(`/orders/${id}/complete`, {})).status).toBe(303)
    expect((await order(id)).state.status).toBe("completed")

    // The same enterprise reports the key lost: the reissue revokes it when the new key is made.
    const lost = (await order(id)).state.certificateSerial!
    const re = await paid("reissue", "enterprise", false, lost)
    await s.get(`/orders/${re.id}`)
    expect((await s.get(`/orders/${re.id}`)).html).toContain("持有人一致")
    await s.post(`/orders/${re.id}/approve`, {})
    await s.get(`/orders/${re.id}`)
    expect((await s.post(`/orders/${re.id}/make-key`, {})).status).toBe(303)
    const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(readFileSync(caFiles(join(app.dataDir, "ca")).crl)))
    expect((crl.revokedCertificates ?? []).map((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString("hex"))).toContain(lost)
    expect(opensslVerify(key.certificateDer!)).toContain("certificate revoked")
    await s.get(`/orders/${re.id}`)
    expect((await s.post(`/orders/${re.id}/notify-pickup`, {})).status).toBe(303)
    await s.get(`/orders/${re.id}`)
    expect((await s.post(`/orders/${re.id}/confirm-pickup`, {})).status).toBe(303)
    expect((await order(re.id)).state.status).toBe("completed")
    // Fulfilment acts are on the order's evidence chain with the staff member.
    const types = await app.run(EvidenceStore.use((st) => Effect.map(st.eventsOf(`order:${re.id}`), (es) => es.map((e) => e.type))))
    expect(types).toEqual(["order.created", "order.paid", "order.reviewed", "order.key_made", "order.pickup_notified", "order.picked_up"])
  })
})
