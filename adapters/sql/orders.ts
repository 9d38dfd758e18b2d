import { Effect, Layer, Option, Schema } from "effect"
import { sql } from "kysely"
import { Application } from "../../core/orders/Application.ts"
import { Package } from "../../core/orders/Catalogue.ts"
import { Invoice, invoiceMedium } from "../../core/orders/Invoice.ts"
import { INITIAL_INVOICE, InvoiceRecord } from "../../core/orders/invoiceMachine.ts"
import { Delivery, Order, OrderHistoryEntry, OrderId } from "../../core/orders/Order.ts"
import { refundDue } from "../../core/orders/orderMoney.ts"
import { OrderRepository, SEARCH_COUNT_CAP } from "../../core/ports/OrderRepository.ts"
import { LatePayment, Refund } from "../../core/orders/OrderState.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { OrderHistoryTable, OrdersTable } from "./schema.ts"

/** The JSON text columns, decoded by the core's own schemas (never cast). */
const JsonColumns = Schema.Struct({
  application: Schema.fromJsonString(Application),
  package: Schema.fromJsonString(Package),
  delivery: Schema.fromJsonString(Delivery),
  invoice: Schema.fromJsonString(Invoice),
  rejectReasons: Schema.fromJsonString(Schema.Array(Schema.String)),
  invoiceRecord: Schema.NullOr(Schema.fromJsonString(InvoiceRecord)),
  latePayments: Schema.fromJsonString(Schema.Array(LatePayment)),
  refunds: Schema.fromJsonString(Schema.Array(Refund)),
})
const decodeJson = decodeRow(JsonColumns, "orders")
const decodeOrder = decodeRow(Order, "orders")
const decodeClaim = decodeRow(Schema.Struct({ order_id: OrderId }), "order_submissions")

const toOrder = (r: OrdersTable) =>
  decodeJson({
    application: r.application_json, package: r.package_json, delivery: r.delivery_json, invoice: r.invoice_json,
    rejectReasons: r.reject_reasons_json, invoiceRecord: r.invoice_record_json, latePayments: r.late_payments_json, refunds: r.refunds_json,
  }).pipe(Effect.flatMap((j) =>
    decodeOrder({
      id: r.id, userId: r.user_id, application: j.application, package: j.package, delivery: j.delivery, invoice: j.invoice,
      price: { goodsFen: r.goods_fen, deliveryFeeFen: r.delivery_fee_fen, serviceFeeFen: r.service_fee_fen, payableFen: r.payable_fen },
      state: {
        status: r.status,
        delivery: j.delivery._tag,
        payableFen: r.payable_fen,
        payment: r.payment_trade_no === null ? null : { tradeNo: r.payment_trade_no, amountFen: r.payment_amount_fen, paidAt: r.paid_at },
        rejectReasons: j.rejectReasons,
        reviewRounds: r.review_rounds,
        certificateSerial: r.certificate_serial,
        shipment: r.carrier === null ? null : { carrier: r.carrier, trackingNo: r.tracking_no },
        refundReason: r.refund_reason,
        latePayments: j.latePayments,
        refunds: j.refunds,
      },
      invoiceRecord: j.invoiceRecord ?? INITIAL_INVOICE,
      certificateDer: r.certificate_der,
      version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
    })
  ))

/** Everything that may change after creation. */
const mutable = (o: Order) => ({
  status: o.state.status,
  application_json: JSON.stringify(o.application),
  payment_trade_no: o.state.payment?.tradeNo ?? null,
  payment_amount_fen: o.state.payment?.amountFen ?? null,
  paid_at: o.state.payment?.paidAt ?? null,
  reject_reasons_json: JSON.stringify(o.state.rejectReasons),
  review_rounds: o.state.reviewRounds,
  certificate_serial: o.state.certificateSerial,
  carrier: o.state.shipment?.carrier ?? null,
  tracking_no: o.state.shipment?.trackingNo ?? null,
  refund_reason: o.state.refundReason,
  invoice_status: o.invoiceRecord.status,
  invoice_medium: invoiceMedium(o.invoice),
  invoice_record_json: JSON.stringify(o.invoiceRecord),
  certificate_der: o.certificateDer,
  holder_name: o.application.holder.name,
  agent_name: o.application.agent.name,
  company_name: o.application.enterprise?.name ?? "",
  agent_mobile: o.application.agent.mobile,
  late_payments_json: JSON.stringify(o.state.latePayments),
  refunds_json: JSON.stringify(o.state.refunds),
  // The core's rule, stored so that the staff queue 待退款 is one indexed query.
  refund_due: refundDue(o.state) ? 1 : 0,
  version: o.version,
  updated_at: o.updatedAt,
})

const decodeHistory = decodeRow(
  Schema.Struct({ ...OrderHistoryEntry.fields, detail: Schema.fromJsonString(OrderHistoryEntry.fields.detail) }),
  "order_history",
)
const toHistory = (r: OrderHistoryTable) =>
  decodeHistory({
    orderId: r.order_id, seq: r.seq, event: r.event, status: r.status, actor: { kind: r.actor_kind, id: r.actor_id },
    detail: r.detail_json, at: r.at,
  }).pipe(Effect.map((e) => new OrderHistoryEntry(e)))

/** A LIKE pattern matching `text` anywhere, its own % _ and \\ taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`

export const layerOrderRepository = Layer.effect(
  OrderRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const many = (rows: ReadonlyArray<OrdersTable>) => Effect.forEach(rows, toOrder)
    const one = (r: OrdersTable | undefined) => r === undefined ? Effect.succeedNone : Effect.map(toOrder(r), Option.some)
    return {
      insert: (o) =>
        q("orders.insert", (db) =>
          db.insertInto("orders").values({
            ...mutable(o),
            id: o.id,
            user_id: o.userId,
            business: o.application.business,
            applicant: o.application.applicant,
            package_json: JSON.stringify(o.package),
            delivery_json: JSON.stringify(o.delivery),
            invoice_json: JSON.stringify(o.invoice),
            goods_fen: o.price.goodsFen,
            delivery_fee_fen: o.price.deliveryFeeFen,
            service_fee_fen: o.price.serviceFeeFen,
            payable_fen: o.price.payableFen,
            created_at: o.createdAt,
          }).execute()).pipe(Effect.asVoid),
      find: (id) => q("orders.find", (db) => db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst()).pipe(Effect.flatMap(one)),
      update: (o) =>
        q("orders.update", (db) =>
          db.updateTable("orders").set(mutable(o)).where("id", "=", o.id).where("version", "=", o.version - 1).executeTakeFirst()).pipe(
            Effect.map((r) => Number(r.numUpdatedRows) === 1),
          ),
      listByUser: (userId, statuses) =>
        statuses.length === 0 ? Effect.succeed([]) : q("orders.listByUser", (db) =>
          db.selectFrom("orders").selectAll().where("user_id", "=", userId).where("status", "in", [...statuses])
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap(many)),
      listByStatus: (statuses, limit) =>
        statuses.length === 0 ? Effect.succeed([]) : q("orders.listByStatus", (db) =>
          db.selectFrom("orders").selectAll().where("status", "in", [...statuses])
            .orderBy("updated_at", "asc").orderBy("id", "asc").limit(limit).execute()).pipe(Effect.flatMap(many)),
      listRefundDue: (limit) =>
        q("orders.listRefundDue", (db) =>
          db.selectFrom("orders").selectAll().where("refund_due", "=", 1).orderBy("updated_at", "asc").orderBy("id", "asc").limit(limit).execute()).pipe(
            Effect.flatMap(many),
          ),
      findByCertificateSerial: (serialHex) =>
        q("orders.findByCertificateSerial", (db) => db.selectFrom("orders").selectAll().where("certificate_serial", "=", serialHex.toLowerCase()).execute()).pipe(
          Effect.flatMap(many),
        ),
      findByTradeNo: (tradeNo) =>
        q("orders.findByTradeNo", (db) => db.selectFrom("orders").selectAll().where("payment_trade_no", "=", tradeNo).executeTakeFirst()).pipe(
          Effect.flatMap(one),
        ),
      claimSubmission: (userId, token, orderId, at) =>
        q("orders.claimSubmission", async (db) => {
          await db.insertInto("order_submissions").values({ user_id: userId, token, order_id: orderId, created_at: at })
            .onConflict((oc) => oc.columns(["user_id", "token"]).doNothing()).execute()
          return db.selectFrom("order_submissions").select("order_id").where("user_id", "=", userId).where("token", "=", token).executeTakeFirstOrThrow()
        }).pipe(Effect.flatMap(decodeClaim), Effect.map((r) => r.order_id)),
      listForInvoicing: (invoiceStatus, medium, orderStatuses, limit) =>
        orderStatuses.length === 0 ? Effect.succeed([]) : q("orders.listForInvoicing", (db) => {
          let query = db.selectFrom("orders").selectAll().where("invoice_status", "=", invoiceStatus).where("status", "in", [...orderStatuses])
          if (medium !== null) query = query.where("invoice_medium", "=", medium)
          return query.orderBy("updated_at", "asc").orderBy("id", "asc").limit(limit).execute()
        }).pipe(Effect.flatMap(many)),
      search: (c, offset, limit) =>
        q("orders.search", async (db) => {
          let query = db.selectFrom("orders")
          if (c.orderId !== undefined) query = query.where("id", "=", c.orderId)
          if (c.mobile !== undefined) query = query.where("agent_mobile", "=", c.mobile)
          if (c.company !== undefined) query = query.where(sql<boolean>`company_name like ${contains(c.company)} escape '\\'`)
          if (c.applicant !== undefined) {
            const p = contains(c.applicant)
            query = query.where(sql<boolean>`(holder_name like ${p} escape '\\' or agent_name like ${p} escape '\\')`)
          }
          if (c.statuses !== undefined && c.statuses.length > 0) query = query.where("status", "in", [...c.statuses])
          if (c.from !== undefined) query = query.where("created_at", ">=", c.from)
          if (c.until !== undefined) query = query.where("created_at", "<", c.until)
          const rows = await query.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).offset(offset).execute()
          // Bounded count: at most SEARCH_COUNT_CAP + 1 rows are looked at to say how many matched.
          const counted = await db.selectFrom(query.select(sql<number>`1`.as("one")).limit(SEARCH_COUNT_CAP + 1).as("hits"))
            .select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow()
          return { rows, n: Number(counted.n) }
        }).pipe(Effect.flatMap(({ rows, n }) =>
          Effect.map(many(rows), (orders) => ({ orders, total: Math.min(n, SEARCH_COUNT_CAP), totalCapped: n > SEARCH_COUNT_CAP }))
        )),
      appendHistory: (e) =>
        q("orders.appendHistory", (db) =>
          db.insertInto("order_history").values({
            order_id: e.orderId, seq: e.seq, event: e.event, status: e.status, actor_kind: e.actor.kind, actor_id: e.actor.id,
            detail_json: JSON.stringify(e.detail), at: e.at,
          }).execute()).pipe(Effect.asVoid),
      history: (orderId) =>
        q("orders.history", (db) => db.selectFrom("order_history").selectAll().where("order_id", "=", orderId).orderBy("seq", "asc").execute()).pipe(
          Effect.flatMap((rows) => Effect.forEach(rows, toHistory)),
        ),
    }
  }),
)
