import { Hono } from "hono"
import type { Context } from "hono"
import { Effect, Option, Schema } from "effect"
import type { Staff } from "../../../core/accounts/User.ts"
import type { StaffId } from "../../../core/kernel/Ids.ts"
import { completeShippedOrder, confirmPickup, notifyPickup, refundOrder, ShipmentInput, shipOrder } from "../../../core/orders/fulfilOrder.ts"
import { getOrderForStaff, STAFF_QUEUES, staffQueue } from "../../../core/orders/listOrders.ts"
import { lostCertificateOrigin } from "../../../core/orders/lostCertificate.ts"
import { makeKey } from "../../../core/orders/makeKey.ts"
import { OrderId } from "../../../core/orders/Order.ts"
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
import { attempt, serveUpload } from "../../web/routes/verificationFiles.ts"
import { OcrResult, OrderQueue, QUEUES, type Queue, StaffOrderDetail, type StaffOrderData } from "../orderViews.tsx"
import { AdminLayout } from "../views.tsx"

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
  refunded: "已退款，订单关闭",
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
  const page = (c: Context<Env>, title: string, body: unknown, status: Status = 200) =>
    c.html(doc(<AdminLayout title={title} staff={staffOf(c)} csrf={c.get("csrfToken")}>{body as never}</AdminLayout>), status)
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

  app.get("/", async (c) => {
    const q = c.req.query("queue")
    const queue: Queue = isQueue(q) ? q : "review"
    const orders = await deps.run(staffQueue(queue satisfies keyof typeof STAFF_QUEUES))
    return page(c, "订单", <OrderQueue queue={queue} orders={orders} notice={done[c.req.query("done") ?? ""]} />)
  })

  // X3: an order by its number.
  app.get("/lookup", (c) => {
    const id = Schema.decodeUnknownOption(OrderId)(c.req.query("no")?.trim())
    return Option.isSome(id) ? c.redirect(`/orders/${id.value}`, 303) : c.redirect("/orders", 303)
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
  const act = <A, E extends { readonly _tag: string }>(path: string, doneKey: string, run: (c: Context<Env>, id: OrderId, staffId: StaffId) => Promise<{ effect: import("effect").Effect.Effect<A, E, AppServices> } | { errors: Record<string, string>; values: Record<string, string> }>) =>
    app.post(`/${ID}/${path}`, async (c) => {
      const id = idOf(c)
      if (Option.isNone(id)) return notFound(c)
      const prepared = await run(c, id.value, staffOf(c).id)
      if ("errors" in prepared) return detail(c, { errors: prepared.errors, values: prepared.values, status: 422 })
      const r = await attempt(deps.exit, prepared.effect)
      if (!r.ok) {
        if (r.error._tag === "NotFound") return notFound(c)
        const d = describeOrderError(r.error as never)
        return detail(c, { errors: { [d.field === "reasons" ? "reasons" : "_form"]: d.message }, status: d.status === 404 ? 409 : d.status as Status })
      }
      return c.redirect(`/orders/${id.value}?done=${doneKey}`, 303)
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

  act("refund", "refunded", async (c, id, staffId) => {
    const body = await c.req.parseBody()
    const reason = String(body.refundReason ?? "").trim()
    if (reason === "" || reason.length > 100) return { errors: { refundReason: "请填写退款原因（不超过 100 字）" }, values: { refundReason: reason } }
    return { effect: refundOrder(staffId, id, reason) }
  })

  return app
}
