import { describe, expect } from "vitest"
import { Effect, Layer, Option } from "effect"
import type { Kysely } from "kysely"
import { anOrder, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import type { OrderId } from "../../core/orders/Order.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { Database, migrate, migrateBefore } from "./index.ts"
import { layerOrderRepository } from "./orders.ts"

/** A payment noted on a cancelled order before 0022 (a PaidAfterCancel timeline entry) becomes a late payment owed, in 待退款. */
const backfill = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    const { db } = yield* Database
    yield* migrateBefore("0022")
    const u = aUser()
    const o = anOrder(u.id)
    yield* Effect.promise(async () => {
      await db.insertInto("users").values({ id: u.id, mobile: u.mobile, password_hash: "h", name: null, email: null, created_at: 1 }).execute()
      // The orders table as it stood before 0022 (no late payment or refund columns yet).
      const before = db as unknown as Kysely<{ orders: Record<string, unknown> }>
      await before.insertInto("orders").values({
        id: o.id, user_id: u.id, status: "cancelled", business: o.application.business, applicant: o.application.applicant,
        application_json: JSON.stringify(o.application), package_json: JSON.stringify(o.package), delivery_json: JSON.stringify(o.delivery),
        invoice_json: JSON.stringify(o.invoice), goods_fen: o.price.goodsFen, delivery_fee_fen: o.price.deliveryFeeFen, service_fee_fen: o.price.serviceFeeFen,
        payable_fen: o.price.payableFen, payment_trade_no: null, payment_amount_fen: null, paid_at: null, reject_reasons_json: "[]", review_rounds: 0,
        certificate_serial: null, carrier: null, tracking_no: null, refund_reason: null, version: 3, created_at: 1, updated_at: 9,
      }).execute()
      const entry = (seq: number, event: string, detail: object) => ({
        order_id: o.id, seq, event, status: "cancelled", actor_kind: "payment", actor_id: "mock", detail_json: JSON.stringify(detail), at: 1_000 + seq,
      })
      await db.insertInto("order_history").values([entry(2, "Cancel", {}), entry(3, "PaidAfterCancel", { tradeNo: "MOCK1", amount: "540.5" })]).execute()
    })
    expect(yield* migrate).toContain("0022_refunds")
    return yield* Effect.gen(function*() {
      const repo = yield* OrderRepository
      return { order: Option.getOrThrow(yield* repo.find(o.id as OrderId)), due: (yield* repo.listRefundDue(100)).map((x) => x.id) }
    }).pipe(Effect.provide(layerOrderRepository))
  }).pipe(Effect.provide(database))

describe("migration 0022 turns payments noted after cancelling into late payments owed", () => {
  itOnSqliteAndPostgres("refunds migration backfill", async (database) => {
    const r = await Effect.runPromise(backfill(database))
    expect(r.order.state).toMatchObject({ status: "cancelled", payment: null, latePayments: [{ tradeNo: "MOCK1", amountFen: 54_050, paidAt: 1_003 }], refunds: [] })
    expect(r.due).toEqual([r.order.id])
  })
})
