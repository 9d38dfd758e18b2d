import { X509Certificate } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option, Schema } from "effect"
import { addAddress } from "../../../core/accounts/addressBook.ts"
import { AddressInput } from "../../../core/accounts/User.ts"
import type { OrderId } from "../../../core/orders/Order.ts"
import { OrderRepository } from "../../../core/ports/OrderRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { MailOutbox } from "../../../adapters/mail-outbox/index.ts"
import { SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { bootForTest, createUser, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, TestBrowser } from "../../../fixtures/browser.ts"
import { AGENT, apply, carried, certificateOnRecord, ENTERPRISE, invoice, payOnMock, placeOrderVia } from "../../../fixtures/orders/portal.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { staffBrowser } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 60_000)
afterAll(() => app?.close())

const order = (id: string) => app.run(OrderRepository.use((r) => Effect.map(r.find(id as OrderId), Option.getOrThrow)))

let n = 0
const buyer = async () => {
  n += 1
  const mobile = `1363000${String(n).padStart(4, "0")}`
  await createUser(app, mobile, `买家${n}`)
  const user = await app.run(UserRepository.use((r) => Effect.map(r.findByMobile(mobile as never), Option.getOrThrow)))
  return { b: await logInAs(app, mobile), user, mobile }
}

describe("补办 checks at submission (portal)", () => {
  it("an unknown serial is refused next to the field; the holder's own certificates are offered and accepted", async () => {
    const { b } = await buyer()
    await expect(apply(app, b, "reissue", "enterprise", "main-2y", { lostCertificateSerial: "abcdef0123" })).rejects.toThrow(/未找到本平台签发的该证书/)
    await certificateOnRecord(app, b, "enterprise", "c0de0001")
    const form = await b.get("/orders/apply?business=reissue&applicant=enterprise")
    expect(form.html).toContain('name="lostCertificatePick"')
    expect(form.html).toContain("序列号 c0de0001")
    const confirm = await apply(app, b, "reissue", "enterprise", "main-2y", { lostCertificateSerial: "", lostCertificatePick: "c0de0001" })
    expect(JSON.parse(carried(confirm.html)).lostCertificateSerial).toBe("c0de0001")
  })
})

describe("invoices through the portal and the admin app", () => {
  it("纸质发票 needs a mailing address (zh-CN next to the field); the chosen one is copied into the order", async () => {
    const { b, user } = await buyer()
    const confirm = await apply(app, b, "new", "enterprise")
    const base = { application: carried(confirm.html), delivery: "pickup", pointId: "nj-hq", ...invoice, invoiceMedium: "paper" }
    const missing = await b.post("/orders", base)
    expect(missing.status).toBe(422)
    expect(fieldError(missing.html, "invoiceAddressId")).toBe("纸质发票请选择邮寄地址")
    const a = await app.run(addAddress(user.id, Schema.decodeSync(AddressInput)({ recipient: "吴十", mobile: "13700003333", region: "浙江省 杭州市", detail: "文三路 9 号", isDefault: true })))
    const r = await b.post("/orders", { ...base, invoiceAddressId: a.id })
    expect(r.status).toBe(303)
    const id = r.location!.match(/(\d{19})/)![1]!
    expect((await order(id)).invoice).toMatchObject({ medium: "paper", mailTo: { recipient: "吴十", detail: "文三路 9 号" } })
  })

  it("电子发票: 待开票 lists the paid order, staff issue it, the PDF is e-mailed and downloadable by its buyer only; the order page says so", async () => {
    const { b } = await buyer()
    const id = await placeOrderVia(app, b)
    const s = await staffBrowser(app)
    expect((await s.get("/orders/invoices")).html).not.toContain(id)
    await payOnMock(b, id)
    expect((await s.get("/orders/invoices")).html).toContain(id)
    expect((await s.get(`/orders/${id}`)).html).toContain("开具发票")
    const issued = await s.post(`/orders/${id}/invoice/issue`, {})
    expect(issued.status).toBe(303)
    const o = await order(id)
    expect(o.invoiceRecord).toMatchObject({ status: "issued", issuer: "builtin-pdf" })
    expect(o.invoiceRecord.emailedAt).not.toBeNull()
    const [mail] = await app.run(MailOutbox.use((m) => m.recent(1, invoice.invoiceEmail)))
    expect(mail?.attachments?.[0]?.filename).toBe(`发票-${o.invoiceRecord.number}.pdf`)
    const page = await b.get(`/orders/${id}`)
    expect(page.html).toContain("已开票，已发送至邮箱")
    expect(page.html).toContain(`/orders/${id}/invoice.pdf`)
    const pdf = await app.web.request(`http://localhost/orders/${id}/invoice.pdf`, { headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } })
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get("content-type")).toBe("application/pdf")
    expect(Buffer.from(await pdf.arrayBuffer()).equals(Buffer.from(mail!.attachments![0]!.base64, "base64"))).toBe(true)
    const other = await buyer()
    expect((await other.b.get(`/orders/${id}/invoice.pdf`)).status).toBe(404)
    // Issued once: a second click is refused with the reason, nothing re-issued.
    const again = await s.post(`/orders/${id}/invoice/issue`, {})
    expect(again.status).toBe(409)
    expect((await order(id)).invoiceRecord.number).toBe(o.invoiceRecord.number)
  })
})

describe("staff search, navigation and evidence by order number", () => {
  it("finds orders by mobile, company, state (已关闭) and date; a bad mobile is refused next to the field", async () => {
    const { b, mobile } = await buyer()
    const id = await placeOrderVia(app, b, "new", "enterprise", {}, { agentMobile: mobile })
    const s = await staffBrowser(app)
    const byMobile = await s.get(`/orders/search?mobile=${mobile}`)
    expect(byMobile.status).toBe(200)
    expect(byMobile.html).toContain(`data-order="${id}"`)
    const byCompany = await s.get(`/orders/search?company=${encodeURIComponent(ENTERPRISE.name.slice(2, 6))}&mobile=${mobile}`)
    expect(byCompany.html).toContain(`data-order="${id}"`)
    expect((await s.get(`/orders/search?company=${encodeURIComponent("不存在的公司")}&mobile=${mobile}`)).html).not.toContain(`data-order="${id}"`)
    await b.post(`/orders/${id}/cancel`, {})
    expect((await s.get(`/orders/search?mobile=${mobile}&status=closed`)).html).toContain(`data-order="${id}"`)
    expect((await s.get(`/orders/search?mobile=${mobile}&status=in_review`)).html).not.toContain(`data-order="${id}"`)
    expect((await s.get(`/orders/search?mobile=${mobile}&from=2000-01-01&to=2000-01-02`)).html).not.toContain(`data-order="${id}"`)
    const bad = await s.get("/orders/search?mobile=12345")
    expect(bad.status).toBe(422)
    expect(bad.html).toContain("请输入 11 位手机号")
    // An unknown number typed in the queue's box goes to the search, not back to the queue.
    expect((await s.get("/orders/lookup?no=123")).location).toBe("/orders/search?no=123")
    void AGENT
  })

  it("every admin page carries the one navigation; 证据查询 takes an order number as typed", async () => {
    const { b } = await buyer()
    const id = await placeOrderVia(app, b)
    const s = await staffBrowser(app)
    for (const path of ["/", "/orders", "/orders/search", "/orders/invoices", "/verifications", "/evidence", `/orders/${id}`, "/account/totp"]) {
      const page = await s.get(path)
      expect(page.html, path).toContain('aria-label="运营后台菜单"')
      for (const href of ["/orders?queue=review", "/orders/invoices", "/orders/search", "/verifications", "/evidence"]) expect(page.html, path).toContain(`href="${href}"`)
    }
    expect((await s.get("/orders/search")).html).toMatch(/class="nav-item active" href="\/orders\/search"/)
    const evidence = await s.get(`/evidence?q=${id}`)
    expect(evidence.status).toBe(200)
    expect(evidence.html).toContain("order.created")
    expect((await s.get("/evidence")).html).toContain("无需加 order: 前缀")
  })
})

const softhsm = requireTools("certificate on the order page (SoftHSM2)", "softhsm2-util", SOFTHSM2_MODULE)
describe.skipIf(!softhsm)("the buyer's certificate", () => {
  it("after make key: serial, validity, issuer and PIN delivery on the order page; the .cer is the certificate; others get 404", async () => {
    const { b } = await buyer()
    const id = await placeOrderVia(app, b)
    await payOnMock(b, id)
    const s = await staffBrowser(app)
    await s.get(`/orders/${id}`)
    expect((await s.post(`/orders/${id}/approve`, {})).status).toBe(303)
    expect((await s.post(`/orders/${id}/make-key`, {})).status).toBe(303)
    const page = await b.get(`/orders/${id}`)
    const serial = (await order(id)).state.certificateSerial!
    expect(page.html).toContain(serial)
    expect(page.html).toContain('id="certificate-validity"')
    expect(page.html).toContain("PIN 码信封")
    expect(page.html).toMatch(/id="payment-method">支付宝/)
    const res = await app.web.request(`http://localhost/orders/${id}/certificate.cer`, { headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } })
    expect(res.status).toBe(200)
    const cert = new X509Certificate(Buffer.from(await res.arrayBuffer()))
    expect(cert.serialNumber.toLowerCase()).toBe(serial)
    expect(page.html).toContain(cert.issuer.match(/CN=([^\n]+)/)![1]!)
    expect((await (await buyer()).b.get(`/orders/${id}/certificate.cer`)).status).toBe(404)
    void TestBrowser
  })
})
