import { execFileSync } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import type { Page } from "playwright-core"
import * as pkijs from "pkijs"
import { caFiles, issueSigningCertificate, openSoftwareCa } from "../../../adapters/ca/index.ts"
import { toPem } from "../../../adapters/keys-software/index.ts"
import { inspectKey, KEY_LABEL, SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { DEV_USBKEY_USER_PIN } from "../../platform/orderLayers.ts"
import { createUser } from "../../../fixtures/boot.ts"
import { acceptDialogs, chromiumAvailable, expectUsable, startStack, viaMenu, type Viewport } from "../../../fixtures/e2e.ts"
import { shopSteps } from "../../../fixtures/orders/journey.ts"
import { AGENT, ENTERPRISE, HOLDER, keyMadeOnRecord, mockProvider } from "../../../fixtures/orders/portal.ts"
import { userByMobile } from "../../api/fixtures.ts"
import { requireTools } from "../../../fixtures/tools.ts"

const ok = chromiumAvailable("browser journey (orders)") && requireTools("browser journey (orders)", "softhsm2-util", SOFTHSM2_MODULE, "openssl", "pdftotext")

/**
 * The orders journey with the buyer's pages at `viewport` (staff at a desk). Each size runs from its own test file:
 * SoftHSM2 reads its configuration (the stack's token directory) once per process, so two stacks cannot share one.
 */
export const ordersJourney = (viewport: Viewport) =>
describe.skipIf(!ok)(`browser journey: e-seal orders from application to a USB-Key, invoices and staff search (O1-O10) at ${viewport.name}`, () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  const dir = mkdtempSync(join(tmpdir(), "signet-e2e-orders-"))
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => {
    await stack?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const steps = () => shopSteps(stack, dir, viewport)
  const fillApplication = (page: Page, enterprise: boolean, reissueSerial: string | null) => steps().fillApplication(page, { enterprise, reissueSerial })
  const pay = (page: Page, method: "alipay" | "cfca") => steps().pay(page, method)
  const staffOpens = (page: Page, queue: string, id: string) => steps().staffOpens(page, queue, id)
  const orderIdOf = (page: Page) => steps().orderIdOf(page)
  const photo = (name: string, ocr?: Record<string, string>) => steps().photo(name, ocr)
  const logIn = (mobile: string) => steps().logIn(mobile)
  const staffLogIn = () => steps().staffLogIn()

  /** An earlier, fulfilled personal order of the buyer whose key carried the certificate `serial` (the platform's record of it). */
  const earlierOrderWithCertificate = async (mobile: string, serial: string) =>
    keyMadeOnRecord(stack.apps, (await userByMobile(stack.apps, mobile)).id, serial, HOLDER)

  it("an enterprise new application (rejected, edited, resubmitted, shipped, paper invoice mailed) and a personal reissue of its own certificate (picked up, old key revoked, electronic invoice e-mailed); staff find both by mobile and company", async () => {
    const mobile = "13655561234"
    await createUser(stack.apps, mobile, "钱七")
    // The lost key of the reissue: a certificate the platform's CA made for this holder on an earlier order (its key long gone).
    const secrets = JSON.parse(readFileSync(join(stack.apps.dataDir, "dev-secrets.json"), "utf8")) as { masterKey: string }
    const ca = await Effect.runPromise(openSoftwareCa(join(stack.apps.dataDir, "ca"), new Uint8Array(Buffer.from(secrets.masterKey, "base64"))))
    const oldKey = generateKeyPairSync("ec", { namedCurve: "P-256" })
    const lostDer = new Uint8Array(await Effect.runPromise(issueSigningCertificate(ca, { kind: "person", name: HOLDER.name, idNumber: HOLDER.idNumber }, new Uint8Array(oldKey.publicKey.export({ type: "spki", format: "der" })))))
    const lostSerial = Buffer.from(pkijs.Certificate.fromBER(lostDer).serialNumber.valueBlock.valueHexView).toString("hex")
    await earlierOrderWithCertificate(mobile, lostSerial)

    const buyer = await logIn(mobile)
    const { page } = buyer

    // Enterprise new application, express to an address added on the confirm page.
    await viaMenu(page, "申请电子签章")
    await expectUsable(page, "申请电子签章")
    await page.getByRole("link", { name: /企业新办/ }).click()
    await fillApplication(page, true, null)
    await expectUsable(page, "the application form, filled")
    await page.check("input[name=delivery][value=express]")
    await page.locator("#addresses summary").click()
    await page.fill("#f-recipient", "钱七")
    await page.fill("#f-mobile", "13655561234")
    await page.fill("#f-region", "浙江省 杭州市 西湖区")
    await page.fill("#f-detail", "文三路 100 号 8 楼")
    await page.getByRole("button", { name: "保存地址" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("地址已保存")
    await page.check("input[name=invoiceMedium][value=paper]")
    await page.locator("#invoice-addresses input[name=invoiceAddressId]").first().check()
    await page.fill("#f-invoiceTitle", ENTERPRISE.name)
    await page.fill("#f-taxpayerId", ENTERPRISE.creditCode)
    await page.fill("#f-invoiceEmail", "fp@order-test.cn")
    await page.getByRole("button", { name: "提交订单" }).click()
    const enterpriseOrder = orderIdOf(page)
    await expectUsable(page, "支付订单")
    await pay(page, "alipay")

    // Personal reissue, self-pickup.
    await page.goto(`${stack.webUrl}/orders/shop`)
    await page.getByRole("link", { name: /个人补办/ }).click()
    await fillApplication(page, false, lostSerial)
    await page.check("input[name=delivery][value=pickup]")
    await page.check("input[name=invoiceKind][value=personal]")
    await page.fill("#f-invoiceTitle", HOLDER.name)
    await page.fill("#f-invoiceEmail", "qian7@order-test.cn")
    await page.getByRole("button", { name: "提交订单" }).click()
    const reissueOrder = orderIdOf(page)
    await pay(page, "cfca")
    await expectUsable(page, "我的订单")
    const inReview = await page.locator("#orders tbody tr").allInnerTexts()
    expect(inReview.join("\n")).toContain(enterpriseOrder)
    expect(inReview.join("\n")).toContain(reissueOrder)

    // Staff reject the enterprise order with a reason.
    const staff = await staffLogIn()
    await staff.page.getByRole("link", { name: /订单审核/ }).first().click()
    await staffOpens(staff.page, "review", enterpriseOrder)
    await expect.poll(() => staff.page.locator("#ocr-licence .badge-ok").count()).toBe(2)
    await staff.page.check("input[name=reason][value='《授权委托及诚信承诺书》未加盖公章或未签字']")
    await staff.page.getByRole("button", { name: "审核不通过" }).click()
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("已审核不通过")

    // The buyer sees 审核不通过 with the reason, edits (a new letter) and resubmits.
    await page.goto(`${stack.webUrl}/orders/${enterpriseOrder}`)
    expect(await page.locator("#reject-reasons").innerText()).toContain("未加盖公章")
    await page.getByRole("link", { name: "修改订单" }).first().click()
    await page.setInputFiles("#f-authorizationLetter", photo("letter-stamped.png"))
    await page.getByRole("button", { name: "重新提交审核" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("已重新提交")

    // Staff approve both, make the keys, ship one, hand over the other.
    for (const id of [enterpriseOrder, reissueOrder]) await steps().approveAndMakeKey(staff.page, id)
    await staffOpens(staff.page, "fulfil", enterpriseOrder)
    await staff.page.selectOption("#f-carrier", "顺丰速运")
    await staff.page.fill("#f-trackingNo", "SF1400000012345")
    await staff.page.getByRole("button", { name: "发货" }).click()
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("已发货")
    await staffOpens(staff.page, "fulfil", reissueOrder)
    await staff.page.getByRole("button", { name: "通知自提" }).click()
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("自提通知")
    await staffOpens(staff.page, "handover", reissueOrder)
    await steps().confirmAndPost(staff.page, staff.page.getByRole("button", { name: "确认已自提" }))
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("订单完成")

    // 发票: both wait in 待开票; the person's electronic invoice is issued (e-mailed with its PDF), the enterprise's paper
    // invoice issued and mailed with a tracking number.
    await staff.page.getByRole("link", { name: /发票（待开票/ }).click()
    await expect.poll(() => staff.page.locator(".page-title").innerText()).toBe("发票")
    const toIssue = (await staff.page.locator("#invoice-queue tbody tr").allInnerTexts()).join("\n")
    expect(toIssue).toContain(enterpriseOrder)
    expect(toIssue).toContain(reissueOrder)
    await staff.page.locator(`#invoice-queue tr[data-order="${reissueOrder}"]`).getByRole("link").click()
    await steps().confirmAndPost(staff.page, staff.page.getByRole("button", { name: "开具发票" }))
    await staff.page.waitForURL(/done=invoice-issued/, { timeout: 60_000 })
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("发票已开具")
    expect(await staff.page.locator("#invoice-state").innerText()).toBe("已开票，已发送至邮箱")
    await staff.page.goto(`${stack.adminUrl}/orders/invoices`)
    await staff.page.locator(`#invoice-queue tr[data-order="${enterpriseOrder}"]`).getByRole("link").click()
    await steps().confirmAndPost(staff.page, staff.page.getByRole("button", { name: "开具发票" }))
    await staff.page.waitForURL(/done=invoice-issued/, { timeout: 60_000 })
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("发票已开具")
    await staff.page.selectOption("#f-invoiceCarrier", "中国邮政 EMS")
    await staff.page.fill("#f-invoiceTrackingNo", "EMS1400000077777")
    await Promise.all([staff.page.waitForURL(/done=invoice-mailed/), staff.page.getByRole("button", { name: "发票已寄出" }).click()])
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("纸质发票已寄出")
    await staff.page.goto(`${stack.adminUrl}/orders/invoices?tab=toMail`)
    expect((await staff.page.locator("body").innerText())).not.toContain(enterpriseOrder)

    // Staff find the orders by the agent's mobile and by part of the company name.
    await staff.page.getByRole("link", { name: "订单查询" }).click()
    await staff.page.fill("#s-mobile", AGENT.mobile)
    await staff.page.getByRole("button", { name: "查询" }).click()
    const byMobile = (await staff.page.locator("#search-table tbody tr").allInnerTexts()).join("\n")
    expect(byMobile).toContain(enterpriseOrder)
    expect(byMobile).toContain(reissueOrder)
    await staff.page.goto(`${stack.adminUrl}/orders/search`)
    await staff.page.fill("#s-company", ENTERPRISE.name.slice(2, 8))
    await staff.page.getByRole("button", { name: "查询" }).click()
    const byCompany = (await staff.page.locator("#search-table tbody tr").allInnerTexts()).join("\n")
    expect(byCompany).toContain(enterpriseOrder)
    expect(byCompany).not.toContain(reissueOrder)
    // 证据查询 takes the order number as typed.
    await staff.page.getByRole("link", { name: "证据查询" }).click()
    await staff.page.fill("#f-q", enterpriseOrder)
    await staff.page.getByRole("button", { name: "查询" }).click()
    await expect.poll(() => staff.page.locator("body").innerText()).toContain("order.invoice_mailed")

    // The buyer: the electronic invoice downloads from the order page and arrived by mail (dev outbox) with its PDF;
    // the paper invoice's tracking number is on the other order; the certificate and how the PIN comes are shown.
    await page.goto(`${stack.webUrl}/orders/${reissueOrder}`)
    expect(await page.locator("#invoice-state").innerText()).toBe("已开票，已发送至邮箱")
    const [invoicePdf] = await Promise.all([page.waitForEvent("download"), page.locator("#invoice-download").click()])
    const invoicePath = join(dir, "invoice.pdf")
    await invoicePdf.saveAs(invoicePath)
    expect(readFileSync(invoicePath).subarray(0, 5).toString()).toBe("%PDF-")
    expect(execFileSync("pdftotext", ["-enc", "UTF-8", invoicePath, "-"], { encoding: "utf8" }).replace(/\s+/g, "")).toContain(HOLDER.name)
    expect(await page.locator("#certificate-validity").innerText()).toMatch(/^\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}$/)
    expect(await page.locator("#pin-delivery").innerText()).toContain("自提点")
    expect(await page.locator("#payment-method").innerText()).toBe("网银支付（中金支付） · 招商银行")
    const [cer] = await Promise.all([page.waitForEvent("download"), page.locator("#certificate-download").click()])
    const cerPath = join(dir, "mine.cer")
    await cer.saveAs(cerPath)
    expect(execFileSync("openssl", ["x509", "-inform", "DER", "-in", cerPath, "-noout", "-serial"], { encoding: "utf8" }).trim().toLowerCase())
      .toBe(`serial=${await page.locator("#certificate-serial").innerText()}`)
    await page.goto(`${stack.webUrl}/dev/mail?to=${encodeURIComponent("qian7@order-test.cn")}`)
    expect((await page.locator(".mail-attachment").allInnerTexts()).join("\n")).toMatch(/发票-\d{19}\.pdf/)
    await page.goto(`${stack.webUrl}/orders/${enterpriseOrder}`)
    expect(await page.locator("#invoice-state").innerText()).toBe("已寄出")
    expect(await page.locator("#invoice-shipment").innerText()).toContain("EMS1400000077777")

    // The buyer confirms receipt of the shipped key; both orders are completed.
    await page.goto(`${stack.webUrl}/orders?tab=receiving`)
    await page.locator(`tr[data-order="${enterpriseOrder}"]`).getByRole("link", { name: "查看" }).click()
    expect(await page.locator(".facts").first().innerText()).toContain("SF1400000012345")
    await page.getByRole("button", { name: "确认收货" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("订单完成")
    expect(await page.locator("#timeline").innerText()).toContain("审核不通过")
    await expectUsable(page, "the completed order")
    await page.goto(`${stack.webUrl}/orders?tab=completed`)
    expect((await page.locator("#orders tbody tr").allInnerTexts()).join("\n")).toContain(reissueOrder)
    await expectUsable(page, "我的订单 · 已完成")

    // O10: the agent's mail box holds the notices.
    await page.goto(`${stack.webUrl}/dev/mail?to=${encodeURIComponent(AGENT.email)}`)
    const subjects = (await page.locator(".mail-subject").allInnerTexts()).join("\n")
    for (const s of ["审核不通过", "已重新提交", "已发货", "待自提", "已完成"]) expect(subjects).toContain(s)

    // Each key is on its own token, labelled with the order number, not extractable; the certificates verify against the CA.
    const files = caFiles(join(stack.apps.dataDir, "ca"))
    execFileSync("openssl", ["crl", "-inform", "DER", "-in", files.crl, "-out", join(dir, "crl.pem")])
    const verify = (der: Uint8Array, name: string) => {
      writeFileSync(join(dir, name), toPem(der, "CERTIFICATE"))
      try {
        return execFileSync("openssl", ["verify", "-CAfile", files.rootCert, "-untrusted", files.issuingCert, "-crl_check", "-CRLfile", join(dir, "crl.pem"), join(dir, name)], { encoding: "utf8", stdio: "pipe" }).trim()
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? "") + String((e as { stderr?: string }).stderr ?? "")
      }
    }
    for (const id of [enterpriseOrder, reissueOrder]) {
      const key = inspectKey(SOFTHSM2_MODULE, id, DEV_USBKEY_USER_PIN, KEY_LABEL)
      expect(key).toMatchObject({ privateKeys: 1, sensitive: true, extractable: false, neverExtractable: true, generatedOnToken: true, valueRead: "refused" })
      expect(verify(key.certificateDer!, `${id}.pem`)).toMatch(/: OK$/)
    }
    const enterpriseCert = new TextDecoder("latin1").decode(inspectKey(SOFTHSM2_MODULE, enterpriseOrder, DEV_USBKEY_USER_PIN, KEY_LABEL).certificateDer!)
    expect(enterpriseCert).toContain(ENTERPRISE.creditCode)
    // The reissue revoked the lost certificate: it is on the CA's CRL.
    expect(verify(lostDer, "lost.pem")).toContain("certificate revoked")

    await staff.context.close()
    await buyer.context.close()
  }, 240_000)

  // The money paths (Back and 提交订单 again, a late payment, refunds) do the same at any width: they run with the
  // desktop journey only; the phone run checks the buyer's pages on the way to a USB-Key.
  if (viewport.width >= 600) it("money: Back + 提交订单 again is one order; paid after cancelling is refunded by itself; staff refund with a confirm, refused first (待退款), then paid back; the buyer is told (issue 18)", async () => {
    const mobile = "13655567890"
    await createUser(stack.apps, mobile, "钱七")
    const buyer = await logIn(mobile)
    const { page } = buyer
    const provider = await mockProvider(stack.apps)

    /** A personal new application, self-pickup, up to 提交订单; the order's number. */
    const placeOrder = () => steps().buyWithPickup(page, /个人新办/, { enterprise: false, reissueSerial: null }, { title: HOLDER.name, email: "qian7@order-test.cn" })

    // main-1y, personal, self-pickup: ￥300.00 (the pay page says so).
    const PRICE = "300.00"
    // Item 3: Back from the payment page to the confirm form and 提交订单 again: the same order, not a second one.
    const late = await placeOrder()
    await page.goBack()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("确认订单")
    await page.getByRole("button", { name: "提交订单" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("支付订单")
    expect(orderIdOf(page)).toBe(late)
    expect(await page.locator("[data-price=payable]").innerText()).toBe(`￥${PRICE}`)
    await page.goto(`${stack.webUrl}/orders?tab=unpaid`)
    expect(await page.locator("#orders tbody tr").count()).toBe(1)

    // The race: the checkout is open, the buyer cancels in another tab, then pays anyway.
    await page.goto(`${stack.webUrl}/orders/${late}/pay`)
    await page.getByRole("button", { name: /去支付/ }).click()
    await expect.poll(() => page.locator("h1").innerText()).toBe("选择支付方式")
    const other = await buyer.context.newPage()
    acceptDialogs(other)
    await other.goto(`${stack.webUrl}/orders/${late}`)
    await other.getByRole("button", { name: "取消订单" }).click()
    await expect.poll(() => other.locator(".alert-success").innerText()).toContain("订单已取消")
    await page.getByRole("link", { name: "支付宝（扫码支付）" }).click()
    await page.getByRole("button", { name: "模拟扫码并付款" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("支付结果")
    // The buyer sees the order still cancelled, the late payment and its automatic refund.
    await page.goto(`${stack.webUrl}/orders/${late}`)
    expect(await page.locator("[data-status]").first().innerText()).toBe("已取消")
    const money = await page.locator("#money").innerText()
    expect(money).toContain("关闭后收到付款")
    expect(await page.locator("[data-money=refund]").getAttribute("data-refund-status")).toBe("refunded")
    expect(money).toContain(`收款 ￥${PRICE} · 已退 ￥${PRICE} · 实收 ￥0.00`)

    // Staff see it too, with the payment as it is (not 未支付).
    const staff = await staffLogIn()
    await staff.page.goto(`${stack.adminUrl}/orders/${late}`)
    const staffMoney = await staff.page.locator("#money").innerText()
    expect(staffMoney).toContain("未支付")
    expect(staffMoney).toContain("关闭后收到付款")
    expect(staffMoney).toContain(`${late}R1`)
    expect(await staff.page.locator("#timeline").innerText()).toContain("退款成功")

    // A paid order staff cannot fulfil: refund part of it, confirmed in a dialog. The provider refuses first.
    const paidOrder = await placeOrder()
    await pay(page, "cfca")
    await staffOpens(staff.page, "review", paidOrder)
    await staff.page.getByRole("button", { name: "审核通过" }).click()
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("已审核通过")
    const dialogs: Array<string> = []
    staff.page.on("dialog", (d) => void dialogs.push(d.message()))
    // Chromium closes a confirm opened while the page's embedded PDF viewers start (window.confirm then answers
    // false and nothing is sent): the button is pressed again until its form is posted, at most 4 times.
    const confirmAndPost = (button: ReturnType<Page["getByRole"]>) => steps().confirmAndPost(staff.page, button)
    provider.control.refuseRefunds = true
    await staff.page.waitForLoadState("networkidle")
    expect(await staff.page.inputValue("#f-refundAmount")).toBe(PRICE)
    await staff.page.fill("#f-refundAmount", "250.00")
    await staff.page.fill("#f-refundReason", "证书暂停签发，无法制证")
    // As before 重新发起退款: the page (its embedded PDF viewers) settles before the confirm dialog opens.
    await staff.page.waitForLoadState("load")
    await confirmAndPost(staff.page.getByRole("button", { name: "退款" }))
    // The old page still shows 已审核通过 until the refund's round trip to the provider answers (slow under load).
    await expect.poll(() => staff.page.locator(".alert-success").innerText(), { timeout: 30_000 }).toContain("支付平台拒绝了退款")
    expect(dialogs[0]).toContain(`确定通过支付平台向用户退款？可退 ￥${PRICE}`)
    expect(await staff.page.locator("#money").innerText()).toContain("支付平台：商户账户余额不足")
    await staff.page.goto(`${stack.adminUrl}/orders?queue=refunds`)
    await staff.page.locator(`#order-queue tr[data-order="${paidOrder}"]`).getByRole("link", { name: "退款" }).click()
    await expect.poll(() => staff.page.locator("h2.card-title").first().innerText()).toContain(paidOrder)
    // The order page embeds the PDF materials: a confirm opened while Chromium's PDF viewer starts can be closed under it.
    await staff.page.waitForLoadState("networkidle")
    provider.control.refuseRefunds = false
    await confirmAndPost(staff.page.locator("#retry-refund").getByRole("button", { name: "重新发起退款" }))
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("已退款")
    expect(dialogs.length).toBeGreaterThanOrEqual(2)
    expect(dialogs.at(-1)).toMatch(/退款/)
    await staff.page.goto(`${stack.adminUrl}/orders?queue=refunds`)
    expect(await staff.page.locator(`#order-queue tr[data-order="${paidOrder}"]`).count()).toBe(0)

    // The buyer's page and messages.
    await page.goto(`${stack.webUrl}/orders/${paidOrder}`)
    expect(await page.locator("[data-status]").first().innerText()).toBe("已退款")
    await expectUsable(page, "a refunded order")
    expect(await page.locator("#money").innerText()).toContain(`收款 ￥${PRICE} · 已退 ￥250.00 · 实收 ￥50.00`)
    await page.goto(`${stack.webUrl}/dev/outbox?mobile=${AGENT.mobile}`)
    const texts = (await page.locator("#outbox .sms-text").allInnerTexts()).join("\n")
    expect(texts).toContain(`您的订单 ${late} 已关闭，收到的付款 ${PRICE} 元将原路退回`)
    expect(texts).toContain(`您的订单 ${late} 已退款 ${PRICE} 元`)
    expect(texts).toContain(`您的订单 ${paidOrder} 已退款 250.00 元，原因：证书暂停签发，无法制证。`)
    await page.goto(`${stack.webUrl}/dev/mail?to=${encodeURIComponent(AGENT.email)}`)
    expect((await page.locator(".mail-subject").allInnerTexts()).join("\n")).toContain(`订单 ${paidOrder}：已退款`)

    await staff.context.close()
    await buyer.context.close()
  }, 240_000)
})
