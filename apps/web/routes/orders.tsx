import { Hono } from "hono"
import { Effect, Option, Schema } from "effect"
import { cancelOrder } from "../../../core/orders/cancelOrder.ts"
import { certificateInfo } from "../../../core/orders/certificateInfo.ts"
import { invoiceFileName, myInvoiceDocument } from "../../../core/orders/invoicing.ts"
import { OrderCatalogue } from "../../../core/ports/OrderCatalogue.ts"
import { confirmReceipt } from "../../../core/orders/fulfilOrder.ts"
import { getMyOrder, listMyOrders } from "../../../core/orders/listOrders.ts"
import { ORDER_TABS, OrderId, type OrderTab } from "../../../core/orders/Order.ts"
import { refreshPaymentStatus, startPayment } from "../../../core/orders/payOrder.ts"
import { SAMPLE_DOCUMENTS, samplePdf, type SampleDocument } from "../../../core/orders/samplePdfs.ts"
import { PaymentCallbacks } from "../../../core/ports/PaymentGateway.ts"
import { renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { OrderDetail, OrderList, PayPage, PayReturn } from "../views/orders.tsx"
import { Shop } from "../views/ordersForms.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { orderApplyRoutes, orderEditRoutes } from "./ordersApply.tsx"
import { describeOrderError } from "./ordersErrors.ts"
import { attempt } from "./verificationFiles.ts"

const ID = ":id{[1-9][0-9]{18}}"

const notices: Record<string, string> = {
  cancelled: "订单已取消",
  resubmitted: "订单已重新提交，请等待审核",
  received: "已确认收货，订单完成",
  paid: "支付成功，订单已进入审核",
  "not-paid": "尚未收到支付平台的支付结果；如已付款，请稍后再查询",
  "needs-refund": "订单已关闭，收到的款项将原路退回（处理中）",
  "late-refunded": "订单已关闭，收到的款项已原路退回",
}

const isTab = (t: string | undefined): t is OrderTab => t !== undefined && Object.hasOwn(ORDER_TABS, t)
const isSample = (d: string): d is SampleDocument => Object.hasOwn(SAMPLE_DOCUMENTS, d)

const pdf = (c: WebContext, bytes: Uint8Array, doc: SampleDocument) =>
  c.body(new Uint8Array(bytes), 200, {
    "content-type": "application/pdf",
    "content-disposition": `attachment; filename="${doc}.pdf"; filename*=UTF-8''${encodeURIComponent(SAMPLE_DOCUMENTS[doc])}.pdf`,
    "cache-control": "private, no-store",
  })

/** O1-O9 for the buyer: shop, apply, confirm, pay, 我的订单, detail, cancel, 修改订单, receipt. */
export const orderRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const idOf = (c: WebContext) => Schema.decodeUnknownOption(OrderId)(c.req.param("id"))
  /** The user's own order, or null (another user's order number is simply not found). */
  const loadOwn = async (c: WebContext) => {
    const id = idOf(c)
    if (Option.isNone(id)) return null
    const r = await attempt(deps.exit, getMyOrder(currentUser(c).id, id.value))
    return r.ok ? r.value.order : null
  }
  const notFound = (c: WebContext) => renderPage(c, deps, "订单", <p class="alert alert-error" role="alert">订单不存在或无权查看。<a href="/orders">返回我的订单</a></p>, 404)

  app.get("/", async (c) => {
    const q = c.req.query("tab")
    const tab: OrderTab = isTab(q) ? q : "unpaid"
    const orders = await deps.run(listMyOrders(currentUser(c).id, tab))
    return renderPage(c, deps, "我的订单", <OrderList tab={tab} orders={orders} csrf={c.get("csrfToken")} notice={notices[c.req.query("done") ?? ""]} />)
  })

  app.get("/shop", async (c) => {
    const cat = await deps.run(OrderCatalogue.use(Effect.succeed))
    return renderPage(c, deps, "申请电子签章", <Shop packages={cat.packages} rules={cat.rules} />)
  })

  // Blank samples on the application form (O3).
  app.get("/samples/:file{[A-Za-z]+\\.pdf}", async (c) => {
    const doc = c.req.param("file").replace(/\.pdf$/, "")
    if (!isSample(doc)) return c.notFound()
    return pdf(c, await deps.run(samplePdf(doc)), doc)
  })

  // Back from the provider: shows the state, the two buttons only lead to lists (O6).
  app.get("/pay/return", async (c) => {
    const id = Schema.decodeUnknownOption(OrderId)(c.req.query("out_trade_no"))
    const found = Option.isNone(id) ? null : await attempt(deps.exit, getMyOrder(currentUser(c).id, id.value))
    return renderPage(c, deps, "支付结果", <PayReturn order={found?.ok === true ? found.value.order : null} csrf={c.get("csrfToken")} />)
  })

  app.route("/", orderApplyRoutes(deps))

  app.get(`/${ID}`, async (c) => {
    const id = idOf(c)
    if (Option.isNone(id)) return notFound(c)
    const r = await attempt(deps.exit, getMyOrder(currentUser(c).id, id.value))
    if (!r.ok) return notFound(c)
    return renderPage(c, deps, "订单详情", <OrderDetail order={r.value.order} history={r.value.history} csrf={c.get("csrfToken")} notice={notices[c.req.query("done") ?? ""]} />)
  })

  // Samples filled in from the order (修改订单 reprints them).
  app.get(`/${ID}/samples/:file{[A-Za-z]+\\.pdf}`, async (c) => {
    const o = await loadOwn(c)
    const doc = c.req.param("file").replace(/\.pdf$/, "")
    if (o === null || !isSample(doc)) return c.notFound()
    return pdf(c, await deps.run(samplePdf(doc, o.application, o.package)), doc)
  })

  app.get(`/${ID}/pay`, async (c) => {
    const o = await loadOwn(c)
    if (o === null) return notFound(c)
    if (o.state.status !== "pending_payment") return c.redirect(`/orders/${o.id}`, 303)
    return renderPage(c, deps, "支付订单", <PayPage order={o} csrf={c.get("csrfToken")} />)
  })

  // 去支付: the provider is told the server's amount; the browser comes back to /orders/pay/return.
  app.post(`/${ID}/pay`, async (c) => {
    const o = await loadOwn(c)
    if (o === null) return notFound(c)
    const { notifyUrl } = await deps.run(PaymentCallbacks.use(Effect.succeed))
    const returnUrl = new URL("/orders/pay/return", c.req.url).toString()
    const r = await attempt(deps.exit, startPayment(currentUser(c).id, o.id, { returnUrl, notifyUrl }))
    if (!r.ok) {
      const d = describeOrderError(r.error)
      return renderPage(c, deps, "支付订单", <PayPage order={o} csrf={c.get("csrfToken")} error={d.message} />, d.status)
    }
    return c.redirect(r.value.redirectUrl, 303)
  })

  // 查询支付结果: asks the provider; the order is paid only if the provider says so.
  app.post(`/${ID}/payment-status`, async (c) => {
    const o = await loadOwn(c)
    if (o === null) return notFound(c)
    const r = await attempt(deps.exit, refreshPaymentStatus(currentUser(c).id, o.id))
    if (!r.ok) {
      const d = describeOrderError(r.error)
      const got = await deps.run(getMyOrder(currentUser(c).id, o.id))
      return renderPage(c, deps, "订单详情", <OrderDetail order={got.order} history={got.history} csrf={c.get("csrfToken")} error={d.message} />, d.status)
    }
    return c.redirect(`/orders/${o.id}?done=${r.value === "already-paid" ? "paid" : r.value}`, 303)
  })

  app.post(`/${ID}/cancel`, async (c) => {
    const o = await loadOwn(c)
    if (o === null) return notFound(c)
    const r = await attempt(deps.exit, cancelOrder(currentUser(c).id, o.id))
    if (!r.ok) {
      const got = await deps.run(getMyOrder(currentUser(c).id, o.id))
      return renderPage(c, deps, "订单详情", <OrderDetail order={got.order} history={got.history} csrf={c.get("csrfToken")} error={describeOrderError(r.error).message} />, 409)
    }
    return c.redirect("/orders?tab=closed&done=cancelled", 303)
  })

  // 确认收货 of a shipped key.
  app.post(`/${ID}/receipt`, async (c) => {
    const o = await loadOwn(c)
    if (o === null) return notFound(c)
    const r = await attempt(deps.exit, confirmReceipt(currentUser(c).id, o.id))
    if (!r.ok) {
      const got = await deps.run(getMyOrder(currentUser(c).id, o.id))
      return renderPage(c, deps, "订单详情", <OrderDetail order={got.order} history={got.history} csrf={c.get("csrfToken")} error={describeOrderError(r.error).message} />, 409)
    }
    return c.redirect(`/orders/${o.id}?done=received`, 303)
  })

  // 下载电子发票: the buyer's own electronic invoice, once issued.
  app.get(`/${ID}/invoice.pdf`, async (c) => {
    const id = idOf(c)
    if (Option.isNone(id)) return c.notFound()
    const r = await attempt(deps.exit, myInvoiceDocument(currentUser(c).id, id.value))
    if (!r.ok) return notFound(c)
    return c.body(new Uint8Array(r.value.pdf), 200, {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="invoice-${r.value.number}.pdf"; filename*=UTF-8''${encodeURIComponent(invoiceFileName(r.value.number))}`,
      "cache-control": "private, no-store",
    })
  })

  // 下载证书: the certificate made onto the buyer's USB-Key (DER, .cer as Windows opens it).
  app.get(`/${ID}/certificate.cer`, async (c) => {
    const o = await loadOwn(c)
    const cert = o === null ? null : certificateInfo(o.certificateDer)
    if (o === null || cert === null) return notFound(c)
    return c.body(new Uint8Array(cert.der), 200, {
      "content-type": "application/pkix-cert",
      "content-disposition": `attachment; filename="certificate-${cert.serialHex}.cer"`,
      "cache-control": "private, no-store",
    })
  })

  app.route(`/${ID}/edit`, orderEditRoutes(deps, loadOwn))
  return app
}
