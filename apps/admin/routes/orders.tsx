import type { Child } from "hono/jsx"
import { Hono } from "hono"
import type { Context } from "hono"
import { Effect, Option, Schema } from "effect"
import type { Staff } from "../../../core/accounts/User.ts"
import type { StaffId } from "../../../core/kernel/Ids.ts"
import { completeShippedOrder, confirmPickup, notifyPickup, ShipmentInput, shipOrder } from "../../../core/orders/fulfilOrder.ts"
import { fenFromYuan } from "../../../core/orders/Money.ts"
import { type RefundOutcome, refundOffline, refundOrder, retryRefunds } from "../../../core/orders/refundOrder.ts"
import { getOrderForStaff, SEARCH_PAGE_SIZE, searchOrders, type StaffQueue, staffQueue } from "../../../core/orders/listOrders.ts"
import { invoiceDocumentForStaff, invoiceFileName, invoiceQueue, issueInvoice, mailInvoice, resendInvoice, voidInvoice } from "../../../core/orders/invoicing.ts"
import { type OrderSearch, SEARCH_COUNT_CAP } from "../../../core/ports/OrderRepository.ts"
import { OrderStatus } from "../../../core/orders/OrderState.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { InvoiceQueue, type InvoiceTab, OrderSearchPage } from "../orderSearchViews.tsx"
import { lostCertificateOrigin } from "../../../core/orders/lostCertificate.ts"
import { makeKey } from "../../../core/orders/makeKey.ts"
import { ORDER_TABS, OrderId } from "../../../core/orders/Order.ts"
import { MATERIAL_SLOTS, type MaterialSlot, OCR_SLOTS, type OcrSlot, orderMaterialForStaff, readOrderMaterial } from "../../../core/orders/orderMaterials.ts"
import { approveOrder, rejectOrder } from "../../../core/orders/reviewOrder.ts"
import { StaffRepository } from "../../../core/ports/UserRepository.ts"
import { UploadRepository } from "../../../core/ports/VerificationRepository.ts"
import { UploadId } from "../../../core/verification/Upload.ts"
import type { AppServices } from "../../platform/layers.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { ExitRunner, Runner } from "../../platform/http/runner.ts"
import type { SecurityVariables } from "../../platform/http/security.ts"
import { doc } from "../../platform/views/form.tsx"
import { describeOrderError } from "../../web/routes/ordersErrors.ts"
import type { WebError } from "../../web/catalogue.ts"
import { attempt, serveUpload } from "../../web/routes/verificationFiles.ts"
import { OcrResult, OrderQueue, QUEUES, type Queue, StaffOrderDetail, type StaffOrderData } from "../orderViews.tsx"
import { AdminLayout, hereOf } from "../views.tsx"
import { beijingDayStart } from "../../../core/kernel/time.ts"

type Env = { Variables: SecurityVariables & { staff: Staff | null } }
type Status = 200 | 400 | 404 | 409 | 422 | 500 | 502

const ID = ":id{[1-9][0-9]{18}}"

const done: Record<string, string> = {
  approved: "已审核通过，订单进入待处理",
  rejected: "已审核不通过，用户将看到原因并可修改订单",
  "key-made": "USB-Key 已制作，证书已签发",
  shipped: "已发货，已通知用户",
  "pickup-notified": "已发送自提通知",
  "picked-up": "已确认自提，订单完成",
  completed: "已确认签收，订单完成",
  refunded: "已退款，款项已原路退回，已通知用户",
  "refund-pending": "已发起退款，等待支付平台确认（订单在待退款队列中）",
  "refund-refused": "支付平台拒绝了退款，订单在待退款队列中，请稍后重新发起或线下处理",
  "invoice-issued": "发票已开具",
  "invoice-resent": "电子发票已重新发送",
  "invoice-not-sent": "邮件服务暂时不可用，电子发票未发送，请稍后重新发送",
  "invoice-mailed": "纸质发票已寄出，已通知用户",
  "invoice-voided": "发票已作废",
}

const refundDone = (o: RefundOutcome) => (o === "refunded" ? "refunded" : o === "pending" ? "refund-pending" : "refund-refused")

/** 已线下退款: how the money went back (a bank transfer and its reference), which the buyer sees. */
const OfflineRefundForm = Schema.Struct({
  offlineReference: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 100, { message: "offlineReference.length" }))),
})

/** The refund form: an amount in yuan (two decimals at most, more than 0) and a reason the user sees. */
const RefundForm = Schema.Struct({
  refundAmount: Schema.String.pipe(Schema.check(Schema.makeFilter((v: string) => (fenFromYuan(v) ?? 0) > 0 || "refundAmount.invalid"))),
  refundReason: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 100, { message: "refundReason.length" }))),
})

const Day = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "date" })))
/** The staff search form (GET query), every field optional; empty fields are dropped before decoding. */
const SearchQuery = Schema.Struct({
  no: Schema.optional(OrderId),
  applicant: Schema.optional(Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 60)))),
  company: Schema.optional(Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 100)))),
  mobile: Schema.optional(Mobile),
  status: Schema.optional(Schema.Union([OrderStatus, Schema.Literal("closed")])),
  from: Schema.optional(Day),
  to: Schema.optional(Day),
  page: Schema.optional(Schema.NumberFromString.pipe(Schema.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: SEARCH_COUNT_CAP / SEARCH_PAGE_SIZE })))),
})
const SEARCH_ERRORS: Record<string, string> = {
  no: "订单号为 19 位数字", applicant: "姓名不超过 60 个字", company: "企业名称不超过 100 个字", mobile: "请输入 11 位手机号",
  status: "请选择状态", from: "日期格式为 年-月-日", to: "日期格式为 年-月-日", page: "页码超出范围",
}

/** How many orders wait in each staff queue (dashboard tiles). */
export const orderQueueCounts = Effect.gen(function*() {
  const counts: Record<string, number> = {}
  for (const [q] of QUEUES) counts[q] = (yield* staffQueue(q, 1000)).length
  return counts as Record<Queue, number>
})

const isQueue = (q: string | undefined): q is Queue => QUEUES.some(([k]) => k === q)
const isOcrSlot = (s: string): s is OcrSlot => (OCR_SLOTS as ReadonlyArray<string>).includes(s)

/** X2 订单审核 and 订单履约 for staff (mounted behind the admin log-in); every decision is recorded with the staff member. */
export const orderAdminRoutes = (deps: { readonly run: Runner<AppServices>; readonly exit: ExitRunner<AppServices> }) => {
  const app = new Hono<Env>()
  const staffOf = (c: Context<Env>) => c.get("staff")!
  const page = (c: Context<Env>, title: string, body: Child, status: Status = 200) =>
    c.html(doc(<AdminLayout here={hereOf(c.req.url)} title={title} staff={staffOf(c)} csrf={c.get("csrfToken")}>{body}</AdminLayout>), status)
  const idOf = (c: Context<Env>) => Schema.decodeUnknownOption(OrderId)(c.req.param("id"))
  const notFound = (c: Context<Env>) => page(c, "订单", <p class="alert alert-error" role="alert">订单不存在。<a href="/orders">返回订单队列</a></p>, 404)

  /** The order with what the page shows beside it: staff names on the timeline, which materials are PDFs, the lost certificate's origin. */
  const load = (id: OrderId) =>
    Effect.gen(function*() {
      const { order, history } = yield* getOrderForStaff(id)
      const staffIds = [...new Set(history.filter((h) => h.actor.kind === "staff").map((h) => h.actor.id))]
      const staffNames: Record<string, string> = {}
      for (const sid of staffIds) {
        const s = yield* StaffRepository.use((r) => r.findById(sid as StaffId))
        if (Option.isSome(s)) staffNames[sid] = `${s.value.name}（${s.value.username}）`
      }
      const pdfSlots: Array<MaterialSlot> = []
      for (const slot of MATERIAL_SLOTS) {
        const ref = Schema.decodeUnknownOption(UploadId)(order.application.materials[slot])
        if (Option.isNone(ref)) continue
        const u = yield* UploadRepository.use((r) => r.find(ref.value))
        if (Option.isSome(u) && u.value.mediaType === "application/pdf") pdfSlots.push(slot)
      }
      return { order, history, staffNames, pdfSlots, lost: yield* lostCertificateOrigin(order.application, order.id) } satisfies StaffOrderData
    })

  const detail = async (c: Context<Env>, p: { errors?: Record<string, string>; values?: Record<string, string>; status?: Status } = {}) => {
    const id = idOf(c)
    if (Option.isNone(id)) return notFound(c)
    const r = await attempt(deps.exit, load(id.value))
    if (!r.ok) return notFound(c)
    return page(c, r.value.order.state.status === "in_review" ? "订单审核" : "订单履约",
      <StaffOrderDetail data={r.value} csrf={c.get("csrfToken")} errors={p.errors} values={p.values} notice={done[c.req.query("done") ?? ""]} />, p.status ?? 200)
  }

  // X3 订单查询: number, applicant, company, mobile, status (已关闭 included), date range; paged with a bounded count.
  app.get("/search", async (c) => {
    const raw = c.req.query()
    const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.trim()]).filter(([k]) => k !== undefined && k in SearchQuery.fields)) as Record<string, string>
    if (Object.values(values).every((v) => v === "")) return page(c, "订单查询", <OrderSearchPage values={values} errors={{}} result={null} />)
    const form = decodeForm(SearchQuery, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "")))
    const errors: Record<string, string> = form.ok ? {} : Object.fromEntries(Object.keys(form.errors).map((k) => [k, SEARCH_ERRORS[k] ?? "格式不正确"]))
    const q = form.ok ? form.value : null
    const from = q?.from === undefined ? undefined : beijingDayStart(q.from)
    const until = q?.to === undefined ? undefined : beijingDayStart(q.to) + 86_400_000
    if (from !== undefined && until !== undefined && from >= until) errors.to = "截止日期不能早于起始日期"
    if (q === null || Object.keys(errors).length > 0) return page(c, "订单查询", <OrderSearchPage values={values} errors={errors} result={null} />, 422)
    const criteria: OrderSearch = {
      ...(q.no === undefined ? {} : { orderId: q.no }),
      ...(q.applicant === undefined ? {} : { applicant: q.applicant }),
      ...(q.company === undefined ? {} : { company: q.company }),
      ...(q.mobile === undefined ? {} : { mobile: q.mobile }),
      ...(q.status === undefined ? {} : { statuses: q.status === "closed" ? ORDER_TABS.closed : [q.status] }),
      ...(from === undefined ? {} : { from }),
      ...(until === undefined ? {} : { until }),
    }
    const result = await deps.run(searchOrders(criteria, q.page ?? 1))
    return page(c, "订单查询", <OrderSearchPage values={values} errors={{}} result={result} />)
  })

  // 开票: 待开票 (paid, not invoiced) and 待寄出 (paper invoices issued, not mailed).
  app.get("/invoices", async (c) => {
    const t = c.req.query("tab")
    const tab: InvoiceTab = t === "toMail" ? "toMail" : "toIssue"
    return page(c, "发票", <InvoiceQueue tab={tab} orders={await deps.run(invoiceQueue(tab))} notice={done[c.req.query("done") ?? ""]} />)
  })

  app.get("/", async (c) => {
    const q = c.req.query("queue")
    const queue: Queue = isQueue(q) ? q : "review"
    const orders = await deps.run(staffQueue(queue satisfies StaffQueue))
    return page(c, "订单", <OrderQueue queue={queue} orders={orders} notice={done[c.req.query("done") ?? ""]} />)
  })

  // X3: an order by its number.
  app.get("/lookup", (c) => {
    const id = Schema.decodeUnknownOption(OrderId)(c.req.query("no")?.trim())
    if (Option.isSome(id)) return c.redirect(`/orders/${id.value}`, 303)
    const typed = (c.req.query("no") ?? "").trim().slice(0, 19)
    return c.redirect(typed === "" ? "/orders/search" : `/orders/search?no=${encodeURIComponent(typed)}`, 303)
  })

  app.get(`/${ID}`, (c) => detail(c))

  app.get(`/${ID}/files/:uploadId`, async (c) => {
    const id = idOf(c)
    const uploadId = Schema.decodeUnknownOption(UploadId)(c.req.param("uploadId"))
    if (Option.isNone(id) || Option.isNone(uploadId)) return c.notFound()
    const r = await attempt(deps.exit, orderMaterialForStaff(id.value, uploadId.value))
    return r.ok ? serveUpload(c, r.value) : c.notFound()
  })

  // OCR beside the typed values, loaded into the review page by htmx (a whole page without JavaScript).
  app.get(`/${ID}/ocr/:slot`, async (c) => {
    const id = idOf(c)
    const slot = c.req.param("slot")
    if (Option.isNone(id) || !isOcrSlot(slot)) return c.notFound()
    const r = await attempt(deps.exit, readOrderMaterial(id.value, slot))
    if (!r.ok) return c.html(<p class="muted">无法识别该材料</p>, 404)
    const fragment = <OcrResult readings={r.value} />
    return c.req.header("hx-request") === "true" ? c.html(fragment) : page(c, "识别结果", fragment)
  })

  /** Runs a staff act; a refused one re-renders the order with the reason (nothing was written). */
  const act = <A, E extends WebError>(path: string, doneKey: string | ((a: A) => string), run: (c: Context<Env>, id: OrderId, staffId: StaffId) => Promise<{ effect: import("effect").Effect.Effect<A, E, AppServices> } | { errors: Record<string, string>; values: Record<string, string> }>) =>
    app.post(`/${ID}/${path}`, async (c) => {
      const id = idOf(c)
      if (Option.isNone(id)) return notFound(c)
      const prepared = await run(c, id.value, staffOf(c).id)
      if ("errors" in prepared) return detail(c, { errors: prepared.errors, values: prepared.values, status: 422 })
      const r = await attempt(deps.exit, prepared.effect)
      if (!r.ok) {
        if (r.error._tag === "NotFound") return notFound(c)
        const d = describeOrderError(r.error)
        const field = d.field === "reasons" ? (path === "refund" ? "refundReason" : "reasons") : d.field === "refundAmount" ? "refundAmount" : "_form"
        return detail(c, { errors: { [field]: d.message }, status: d.status === 404 ? 409 : d.status as Status })
      }
      return c.redirect(`/orders/${id.value}?done=${typeof doneKey === "string" ? doneKey : doneKey(r.value)}`, 303)
    })

  act("approve", "approved", async (_c, id, staffId) => ({ effect: approveOrder(staffId, id) }))

  act("reject", "rejected", async (c, id, staffId) => {
    const body = await c.req.parseBody({ all: true })
    const picked = ([] as Array<unknown>).concat(body.reason ?? []).filter((r): r is string => typeof r === "string")
    const other = typeof body.other === "string" ? body.other : ""
    const reasons = [...picked, ...other.split(/\r?\n/)].map((r) => r.trim()).filter((r) => r !== "")
    if (reasons.length === 0) return { errors: { reasons: "请至少选择或填写一条原因" }, values: { other } }
    if (reasons.some((r) => r.length > 100)) return { errors: { reasons: "每条原因不超过 100 字" }, values: { other } }
    return { effect: rejectOrder(staffId, id, reasons) }
  })

  act("make-key", "key-made", async (_c, id, staffId) => ({ effect: makeKey(staffId, id) }))

  act("ship", "shipped", async (c, id, staffId) => {
    const body = await c.req.parseBody()
    const values = { carrier: String(body.carrier ?? "").trim(), trackingNo: String(body.trackingNo ?? "").trim() }
    const form = decodeForm(ShipmentInput, values)
    if (!form.ok) {
      return { errors: { ...(form.errors.carrier === undefined ? {} : { carrier: "请选择快递公司" }), ...(form.errors.trackingNo === undefined ? {} : { trackingNo: "运单号为 6-40 位字母、数字或 -" }) }, values }
    }
    return { effect: shipOrder(staffId, id, form.value) }
  })

  act("notify-pickup", "pickup-notified", async (_c, id, staffId) => ({ effect: notifyPickup(staffId, id) }))
  act("confirm-pickup", "picked-up", async (_c, id, staffId) => ({ effect: confirmPickup(staffId, id) }))
  act("complete", "completed", async (_c, id, staffId) => ({ effect: completeShippedOrder(staffId, id) }))

  act("refund", refundDone, async (c, id, staffId) => {
    const body = await c.req.parseBody()
    const values = { refundAmount: String(body.refundAmount ?? "").trim(), refundReason: String(body.refundReason ?? "").trim() }
    const form = decodeForm(RefundForm, values)
    if (!form.ok) {
      return {
        errors: {
          ...(form.errors.refundAmount === undefined ? {} : { refundAmount: "请填写退款金额（元，最多两位小数，大于 0）" }),
          ...(form.errors.refundReason === undefined ? {} : { refundReason: "请填写退款原因（不超过 100 字）" }),
        },
        values,
      }
    }
    return { effect: refundOrder(staffId, id, { amountFen: fenFromYuan(form.value.refundAmount), reason: form.value.refundReason }) }
  })

  act("retry-refund", refundDone, async (_c, id, staffId) => ({ effect: retryRefunds(staffId, id) }))

  act("offline-refund", refundDone, async (c, id, staffId) => {
    const body = await c.req.parseBody()
    const values = { offlineReference: String(body.offlineReference ?? "").trim() }
    const form = decodeForm(OfflineRefundForm, values)
    if (!form.ok) return { errors: { offlineReference: "请填写线下退款方式及流水号（不超过 100 字）" }, values }
    return { effect: refundOffline(staffId, id, form.value.offlineReference) }
  })

  // 发票 PDF (staff print the paper one from it).
  app.get(`/${ID}/invoice.pdf`, async (c) => {
    const id = idOf(c)
    if (Option.isNone(id)) return c.notFound()
    const r = await attempt(deps.exit, invoiceDocumentForStaff(id.value))
    if (!r.ok) return c.notFound()
    return c.body(new Uint8Array(r.value.pdf), 200, {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="invoice-${r.value.number}.pdf"; filename*=UTF-8''${encodeURIComponent(invoiceFileName(r.value.number))}`,
      "cache-control": "private, no-store",
    })
  })

  act("invoice/issue", "invoice-issued", async (_c, id, staffId) => ({ effect: issueInvoice(staffId, id) }))
  app.post(`/${ID}/invoice/resend`, async (c) => {
    const id = idOf(c)
    if (Option.isNone(id)) return notFound(c)
    const r = await attempt(deps.exit, resendInvoice(staffOf(c).id, id.value))
    if (!r.ok) {
      if (r.error._tag === "NotFound") return notFound(c)
      const d = describeOrderError(r.error)
      return detail(c, { errors: { invoice: d.message }, status: d.status === 404 ? 409 : d.status as Status })
    }
    return c.redirect(`/orders/${id.value}?done=${r.value.emailed ? "invoice-resent" : "invoice-not-sent"}#invoice`, 303)
  })
  act("invoice/mail", "invoice-mailed", async (c, id, staffId) => {
    const body = await c.req.parseBody()
    const values = { invoiceCarrier: String(body.carrier ?? "").trim(), invoiceTrackingNo: String(body.trackingNo ?? "").trim() }
    const form = decodeForm(ShipmentInput, { carrier: values.invoiceCarrier, trackingNo: values.invoiceTrackingNo })
    if (!form.ok) {
      return {
        errors: { ...(form.errors.carrier === undefined ? {} : { invoiceCarrier: "请选择快递公司" }), ...(form.errors.trackingNo === undefined ? {} : { invoiceTrackingNo: "运单号为 6-40 位字母、数字或 -" }) },
        values,
      }
    }
    return { effect: mailInvoice(staffId, id, form.value) }
  })
  act("invoice/void", "invoice-voided", async (c, id, staffId) => {
    const body = await c.req.parseBody()
    const reason = String(body.voidReason ?? "").trim()
    if (reason === "" || reason.length > 100) return { errors: { voidReason: "请填写作废原因（不超过 100 字）" }, values: { voidReason: reason } }
    return { effect: voidInvoice(staffId, id, reason) }
  })

  return app
}
