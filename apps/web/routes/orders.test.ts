import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { createUser, bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError, TestBrowser } from "../../../fixtures/browser.ts"
import { AGENT, allFiles, apply, certificateOnRecord, applicationFields, carried, ENTERPRISE, invoice, mockProvider, notify, placeOrderVia, png } from "../../../fixtures/orders/portal.ts"
import { postMultipart } from "../../../fixtures/verification/multipart.ts"
import { staffQueue } from "../../../core/orders/listOrders.ts"
import { OrderRepository } from "../../../core/ports/OrderRepository.ts"
import type { OrderId } from "../../../core/orders/Order.ts"
import { rejectOrder } from "../../../core/orders/reviewOrder.ts"
import { StaffRepository } from "../../../core/ports/UserRepository.ts"
import { MailOutbox } from "../../../adapters/mail-outbox/index.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 60_000)
afterAll(() => app?.close())

const order = (id: string) => app.run(OrderRepository.use((r) => Effect.map(r.find(id as OrderId), Option.getOrThrow)))
const pays = (id: string) => app.run(OrderRepository.use((r) => Effect.map(r.history(id as OrderId), (h) => h.filter((e) => e.event === "Pay").length)))
const reviewerId = () => app.run(StaffRepository.use((r) => Effect.map(r.findByUsername("reviewer"), (s) => Option.getOrThrow(s).id)))

let n = 0
/** A fresh buyer, logged in. */
const buyer = async () => {
  n += 1
  const mobile = `1361000${String(n).padStart(4, "0")}`
  await createUser(app, mobile, `买家${n}`)
  return logInAs(app, mobile)
}

describe("portal orders: apply, confirm, price (O1-O5)", () => {
  it("the shop lists business types and packages; the menu has 订单", async () => {
    const b = await buyer()
    const r = await b.get("/orders/shop")
    expect(r.status).toBe(200)
    for (const s of ["企业新办", "个人新办", "企业补办", "个人补办", "主锁 1年", "副锁 5年", "￥300.00"]) expect(r.html).toContain(s)
    expect(r.html).toContain('href="/orders"')
  })

  it("上传并识别: the licence photo fills name and credit code; the agent's ID fills the agent", async () => {
    const b = await buyer()
    await b.get("/orders/apply?business=new&applicant=enterprise")
    const r = await postMultipart(app.web, b, "/orders/apply?ocr=licence", { business: "new", applicant: "enterprise" }, { licence: allFiles("enterprise").licence! })
    expect(r.status).toBe(200)
    expect(r.html).toContain("已识别营业执照：企业名称、统一社会信用代码")
    expect(r.html).toContain(`value="${ENTERPRISE.name}"`)
    expect(r.html).toContain(`value="${ENTERPRISE.creditCode}"`)
    const licenceId = r.html.match(/name="licenceId" value="(\d{19})"/)?.[1]
    expect(licenceId).toBeDefined()
    const agent = await postMultipart(app.web, b, "/orders/apply?ocr=agentIdFront", { business: "new", applicant: "enterprise", licenceId: licenceId! }, { agentIdFront: allFiles("enterprise").agentIdFront! })
    expect(agent.html).toContain(`value="${AGENT.idNumber}"`)
    // The licence uploaded before is kept.
    expect(agent.html).toContain(`name="licenceId" value="${licenceId}"`)
  })

  it("a wrong credit code check character, a missing document and a PDF as ID photo: 422 with zh-CN messages, values kept, no order", async () => {
    const b = await buyer()
    await b.get("/orders/apply?business=new&applicant=enterprise")
    const fields = applicationFields("new", "enterprise")
    const badCode = fields.creditCode!.slice(0, 17) + (fields.creditCode!.endsWith("1") ? "2" : "1")
    const { serviceAgreement: _, ...files } = allFiles("enterprise")
    const r = await postMultipart(app.web, b, "/orders/apply", { ...fields, creditCode: badCode }, { ...files, holderIdBack: { name: "x.pdf", type: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n") } })
    expect(r.status).toBe(422)
    expect(fieldError(r.html, "creditCode")).toBe("统一社会信用代码校验位不正确，请检查是否输错")
    expect(fieldError(r.html, "serviceAgreement")).toBe("请上传服务协议")
    expect(fieldError(r.html, "holderIdBack")).toContain("照片仅限jpeg、jpg、png格式")
    expect(r.html).toContain(`value="${AGENT.email}"`)
    expect(await b.get("/orders?tab=unpaid").then((p) => p.html)).toContain("暂无订单")
  })

  it("confirm: both price breakdowns computed on the server; a tampered price in the form is ignored", async () => {
    const b = await buyer()
    await certificateOnRecord(app, b, "personal", "7f00aa01")
    const confirm = await apply(app, b, "reissue", "personal", "main-2y")
    // main-2y 540 元; express 15 元; reissue service 50 元
    expect(confirm.html).toContain("￥605.00")
    expect(confirm.html).toContain("￥590.00")
    const r = await b.post("/orders", {
      application: carried(confirm.html), delivery: "pickup", pointId: "nj-hq", ...invoice,
      payableFen: "1", price: "0.01", goodsFen: "1", serviceFeeFen: "0", amount: "0.01", total_amount: "0.01",
    })
    expect(r.status).toBe(303)
    const id = r.location!.match(/(\d{19})/)![1]!
    const o = await order(id)
    expect(o.price).toMatchObject({ goodsFen: 54_000, deliveryFeeFen: 0, serviceFeeFen: 5_000, payableFen: 59_000 })
    expect(o.state.payableFen).toBe(59_000)
    const pay = await b.get(`/orders/${id}/pay`)
    expect(pay.html).toContain("￥590.00")
  })

  it("a tampered application in the confirm form is checked again: another buyer's upload is refused, nothing created", async () => {
    const a = await buyer()
    const confirmA = await apply(app, a, "new", "personal")
    const b = await buyer()
    const confirmB = await apply(app, b, "new", "personal")
    const stolen = JSON.parse(carried(confirmB.html)) as { materials: Record<string, string> }
    stolen.materials.holderIdFront = (JSON.parse(carried(confirmA.html)) as { materials: Record<string, string> }).materials.holderIdFront!
    const r = await b.post("/orders", { application: JSON.stringify(stolen), delivery: "pickup", pointId: "nj-hq", ...invoice })
    expect(r.status).toBe(400)
    expect(formError(r.html) ?? fieldError(r.html, "holderIdFront") ?? r.html).toContain("请重新上传")
    expect((await b.get("/orders?tab=unpaid")).html).toContain("暂无订单")
  })

  it("invoice: an invalid taxpayer id and a company invoice without one are refused (422), nothing created", async () => {
    const b = await buyer()
    const confirm = await apply(app, b, "new", "enterprise")
    const bad = await b.post("/orders", { application: carried(confirm.html), delivery: "pickup", pointId: "nj-hq", ...invoice, taxpayerId: ENTERPRISE.creditCode.slice(0, 17) + "Z" })
    expect(bad.status).toBe(422)
    expect(fieldError(bad.html, "taxpayerId")).toBe("纳税人识别号校验位不正确，请检查是否输错")
    const none = await b.post("/orders", { application: carried(confirm.html), delivery: "pickup", pointId: "nj-hq", ...invoice, taxpayerId: "" })
    expect(fieldError(none.html, "taxpayerId")).toBe("单位发票请填写纳税人识别号")
    expect((await b.get("/orders?tab=unpaid")).html).toContain("暂无订单")
  })

  it("express: an address added inline is saved, selected, and copied into the order", async () => {
    const b = await buyer()
    const confirm = await apply(app, b, "new", "enterprise")
    const application = carried(confirm.html)
    const bad = await b.post("/orders/confirm/address", { application, recipient: "", mobile: "123", region: "浙江省 杭州市", detail: "文三路 1 号", ...invoice })
    expect(bad.status).toBe(422)
    expect(fieldError(bad.html, "mobile")).toBe("请输入正确的 11 位手机号码")
    const added = await b.post("/orders/confirm/address", { application, recipient: "周九", mobile: "13700002222", region: "浙江省 杭州市 西湖区", detail: "文三路 100 号", ...invoice })
    expect(added.status).toBe(200)
    const addressId = added.html.match(/name="addressId" value="(\d{19})" checked/)?.[1]
    expect(addressId).toBeDefined()
    expect(added.html).toContain(`value="${invoice.invoiceTitle}"`)
    const r = await b.post("/orders", { application, delivery: "express", addressId: addressId!, ...invoice })
    expect(r.status).toBe(303)
    const o = await order(r.location!.match(/(\d{19})/)![1]!)
    expect(o.delivery).toMatchObject({ _tag: "express", recipient: "周九", detail: "文三路 100 号" })
    expect(o.price.deliveryFeeFen).toBe(1_500)
  })

  it("the three sample documents download as PDFs", async () => {
    const b = await buyer()
    for (const doc of ["applicationForm", "authorizationLetter", "serviceAgreement"]) {
      const r = await b.get(`/orders/samples/${doc}.pdf`)
      expect(r.status).toBe(200)
      expect(new TextDecoder().decode(b.lastBytes.subarray(0, 5))).toBe("%PDF-")
    }
    expect((await b.get("/orders/samples/other.pdf")).status).toBe(404)
  })
})

describe("payment (O6): only a verified notification pays, once", () => {
  it("pay on the mock checkout: redirect, 支付成功 without a notification changes nothing, the notification pays", async () => {
    const b = await buyer()
    const id = await placeOrderVia(app, b)
    const go = await b.post(`/orders/${id}/pay`, {})
    expect(go.status).toBe(303)
    expect(go.location).toBe(`/mock-pay/${id}`)
    const checkout = await b.get(go.location!)
    expect(checkout.html).toContain("支付宝（扫码支付）")
    expect(checkout.html).toContain("中金支付（选择银行）")
    expect((await b.get(`${go.location!}/cfca`)).html).toContain("中国工商银行")
    // Back without paying: the "支付成功" button is a link to a list and nothing more.
    const back = await b.get(`/orders/pay/return?out_trade_no=${id}&result=success`)
    expect(back.html).toContain('href="/orders?tab=in_review">支付成功')
    expect(back.html).toContain('href="/orders?tab=unpaid">支付失败')
    expect(back.html).toContain("尚未收到支付平台的支付通知")
    await b.get("/orders?tab=in_review")
    expect((await order(id)).state.status).toBe("pending_payment")
    // Asking the provider while nothing was paid: still unpaid.
    expect((await b.post(`/orders/${id}/payment-status`, {})).location).toBe(`/orders/${id}?done=not-paid`)
    expect((await order(id)).state.status).toBe("pending_payment")
    // Paying at the checkout (no CSRF token: it is the provider's page) sends the signed notification.
    const paid = await b.post(`/mock-pay/${id}/pay`, { method: "cfca", bank: "招商银行", _csrf: "" })
    expect(paid.status).toBe(303)
    expect(paid.location).toContain("/orders/pay/return?out_trade_no=")
    const o = await order(id)
    expect(o.state.status).toBe("in_review")
    expect(o.state.payment?.amountFen).toBe(o.price.payableFen)
    expect((await b.get("/orders?tab=in_review")).html).toContain(id)
    // O10: the agent was texted and mailed.
    const mails = await app.run(MailOutbox.use((m) => m.recent(20, AGENT.email)))
    expect(mails.some((m) => m.subject === `【Signet】订单 ${id}：已支付，审核中`)).toBe(true)
  })

  it("提交订单 again from the same confirm form (browser Back, a double click) gives the one order it made", async () => {
    const b = await buyer()
    const confirm = await apply(app, b, "new", "enterprise", "main-2y")
    const submission = confirm.html.match(/name="submission" value="([^"]+)"/)?.[1]
    expect(submission).toMatch(/^[A-Za-z0-9_-]{24}$/)
    const form = { application: carried(confirm.html), delivery: "pickup", pointId: "nj-hq", ...invoice, submission: submission! }
    const [one, two] = await Promise.all([b.post("/orders", form), b.post("/orders", form)])
    const three = await b.post("/orders", form)
    expect([one.status, two.status, three.status]).toEqual([303, 303, 303])
    expect(new Set([one.location, two.location, three.location]).size).toBe(1)
    const id = one.location!.match(/^\/orders\/(\d{19})\/pay$/)![1]!
    const mine = await app.run(Effect.gen(function*() {
      const order = Option.getOrThrow(yield* (yield* OrderRepository).find(id as OrderId))
      return yield* (yield* OrderRepository).listByUser(order.userId, ["pending_payment"])
    }))
    expect(mine.map((o) => o.id)).toEqual([id])
    // A new confirm page is a new form: a second order is a deliberate one.
    const again = await apply(app, b, "new", "enterprise", "main-2y")
    expect(again.html.match(/name="submission" value="([^"]+)"/)?.[1]).not.toBe(submission)
  })

  it("forged, replayed, re-amounted and re-bound notifications leave the order unpaid; a double notification pays once", async () => {
    const b = await buyer()
    const first = await placeOrderVia(app, b)
    const second = await placeOrderVia(app, b)
    const provider = await mockProvider(app)
    await b.post(`/orders/${first}/pay`, {})
    await b.post(`/orders/${second}/pay`, {})
    await b.post(`/mock-pay/${first}/pay`, { method: "alipay" })
    const sent = provider.sent.filter((s) => s.params.out_trade_no === first)
    expect(sent.length).toBe(1)
    const genuine = sent[0]!.params
    expect(await pays(first)).toBe(1)

    // Double (and late) notification of the same trade: "success", still one payment.
    expect(await notify(app, genuine)).toEqual({ status: 200, text: "success" })
    expect(await notify(app, genuine)).toEqual({ status: 200, text: "success" })
    expect(await pays(first)).toBe(1)

    const signed = (p: Record<string, string>) => {
      const { sign: _, ...rest } = p
      return { ...rest, sign: provider.sign(rest) }
    }
    // Forged: the first order's notification re-addressed to the second without the provider's key.
    expect((await notify(app, { ...genuine, out_trade_no: second })).text).toBe("fail")
    expect((await notify(app, { ...genuine, out_trade_no: second, sign: "00".repeat(32) })).status).toBe(400)
    // Replayed trade: genuinely signed, but the first order's trade number presented for the second.
    expect((await notify(app, signed({ ...genuine, out_trade_no: second }))).text).toBe("fail")
    // A different amount, genuinely signed.
    const { payableFen } = (await order(second)).price
    expect((await notify(app, signed({ ...genuine, out_trade_no: second, trade_no: "MOCK-OTHER-1", total_amount: `${(payableFen - 1) / 100}` }))).text).toBe("fail")
    // A "waiting for payment" status, genuinely signed.
    expect((await notify(app, signed({ ...genuine, out_trade_no: second, trade_no: "MOCK-OTHER-2", trade_status: "WAIT_BUYER_PAY" }))).text).toBe("success")
    const s = await order(second)
    expect([s.state.status, s.state.payment]).toEqual(["pending_payment", null])
    expect(await pays(second)).toBe(0)
    expect((await order(first)).state.payment?.tradeNo).toBe(genuine.trade_no)
  })

  it("cancel an unpaid order; a paid one cannot be cancelled", async () => {
    const b = await buyer()
    const id = await placeOrderVia(app, b)
    const r = await b.post(`/orders/${id}/cancel`, {})
    expect(r.location).toBe("/orders?tab=closed&done=cancelled")
    expect((await order(id)).state.status).toBe("cancelled")
    expect((await b.get("/orders?tab=closed")).html).toContain(id)
    const paid = await placeOrderVia(app, b)
    await b.post(`/orders/${paid}/pay`, {})
    await b.post(`/mock-pay/${paid}/pay`, { method: "alipay" })
    expect((await b.post(`/orders/${paid}/cancel`, {})).status).toBe(409)
    expect((await order(paid)).state.status).toBe("in_review")
  })
})

describe("my orders (O7, O9)", () => {
  it("another user's order number: 404 on every page and action, and nothing changes", async () => {
    const owner = await buyer()
    const id = await placeOrderVia(app, owner)
    const other = await buyer()
    for (const path of [`/orders/${id}`, `/orders/${id}/pay`, `/orders/${id}/edit`, `/orders/${id}/samples/applicationForm.pdf`]) {
      expect((await other.get(path)).status).toBe(404)
    }
    for (const path of [`/orders/${id}/cancel`, `/orders/${id}/pay`, `/orders/${id}/payment-status`, `/orders/${id}/receipt`, `/orders/${id}/edit`]) {
      expect((await other.post(path, {})).status).toBe(404)
    }
    expect((await other.get(`/orders/pay/return?out_trade_no=${id}`)).html).not.toContain(id)
    const o = await order(id)
    expect([o.state.status, o.version]).toEqual(["pending_payment", 1])
    expect((await other.get("/orders?tab=unpaid")).html).not.toContain(id)
  })

  it("审核不通过: reasons on the order, 修改订单 with a new document, resubmitted to review", async () => {
    const b = await buyer()
    const id = await placeOrderVia(app, b, "new", "personal")
    await b.post(`/orders/${id}/pay`, {})
    await b.post(`/mock-pay/${id}/pay`, { method: "alipay" })
    await app.run(rejectOrder(await reviewerId(), id as OrderId, ["《服务协议》未签字", "经办人身份证国徽面不清晰"]))
    const detail = await b.get(`/orders/${id}`)
    expect(detail.html).toContain("审核不通过")
    expect(detail.html).toContain("《服务协议》未签字")
    expect(detail.html).toContain(`href="/orders/${id}/edit"`)
    expect((await b.get("/orders?tab=in_review")).html).toContain("修改订单")
    const form = await b.get(`/orders/${id}/edit`)
    expect(form.html).toContain("经办人身份证国徽面不清晰")
    const before = (await order(id)).application.materials
    const kept = Object.fromEntries(Object.entries(before).filter(([, v]) => v !== null).map(([k, v]) => [`${k}Id`, v as string]))
    const fields = applicationFields("new", "personal")
    const r = await postMultipart(app.web, b, `/orders/${id}/edit`, { ...fields, ...kept, packageId: "secondary-5y" }, { agentIdBack: png("agent-back-2.png") })
    expect(r.status).toBe(303)
    const after = await order(id)
    expect(after.state.status).toBe("in_review")
    expect(after.application.materials.agentIdBack).not.toBe(before.agentIdBack)
    expect(after.application.materials.serviceAgreement).toBe(before.serviceAgreement)
    // What was paid for does not change.
    expect(after.application.packageId).toBe("main-2y")
    expect((await b.get(`/orders/${id}`)).html).toContain("修改订单并重新提交")
  })

  it("张三 sees the demo orders in every tab", async () => {
    const b = await logInAs(app, "13800000001")
    const tabs = { unpaid: 1, in_review: 2, processing: 1, receiving: 1, completed: 2, closed: 2 }
    for (const [tab, count] of Object.entries(tabs)) {
      const r = await b.get(`/orders?tab=${tab}`)
      expect(r.html.match(/<tr data-order=/g)?.length ?? 0).toBe(count)
    }
    // The money demo (issue 18): one order refunded in part at the mock provider, one paid after cancelling whose refund the provider refused.
    const closed = (await b.get("/orders?tab=closed")).html
    const ids = [...closed.matchAll(/<tr data-order="(\d{19})"/g)].map((m) => m[1]!)
    const pages = await Promise.all(ids.map(async (id) => (await b.get(`/orders/${id}`)).html))
    const refunded = pages.find((h) => h.includes('data-status="refunded"'))!
    expect(refunded).toContain('data-refund-status="refunded"')
    expect(refunded).toMatch(/已退 ￥\d+\.\d{2} · 实收 ￥50\.00/)
    const late = pages.find((h) => h.includes('data-status="cancelled"'))!
    expect(late).toContain("关闭后收到付款")
    expect(late).toContain('data-refund-status="failed"')
    // The buyer is told staff will handle it, not the provider's reason (商户账户余额不足) nor its code.
    expect(late).toContain("工作人员将尽快处理")
    expect(late).not.toContain("ACQ.")
    expect(late).not.toContain("余额不足")
    const queue = await app.run(staffQueue("refunds"))
    expect(queue.map((o) => o.id)).toContain(ids[pages.indexOf(late)])
  })

  it("the notify route needs no session or CSRF token, the order pages do", async () => {
    expect((await notify(app, { out_trade_no: "1", sign: "x" })).text).toBe("fail")
    const anonymous = new TestBrowser(app.web)
    expect((await anonymous.get("/orders")).status).toBe(303)
  })
})
