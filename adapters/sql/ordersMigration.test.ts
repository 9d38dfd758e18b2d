import { describe, expect } from "vitest"
import type { Kysely } from "kysely"
import { Effect, Layer, Option } from "effect"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { INITIAL_INVOICE } from "../../core/orders/invoiceMachine.ts"
import { anOrder } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { Database, migrate, migrateBefore } from "./index.ts"
import { layerOrderRepository } from "./orders.ts"
import type { UserId } from "../../core/kernel/Ids.ts"

/** Orders written before 0023 read back with a pending invoice and no certificate, and are found by the new search columns. */
const backfill = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    const { db } = yield* Database
    yield* migrateBefore("0023")
    const o = anOrder("1000000000000000001" as UserId, 1_700_000_000_000)
    yield* Effect.promise(async () => {
      await db.insertInto("users").values({ id: o.userId, mobile: "13800000001", password_hash: "h", name: null, email: null, created_at: 5 }).execute()
      // The row as 0004-0019 wrote it (the typed schema has 0023's columns, so untyped here).
      await (db as unknown as Kysely<any>).insertInto("orders").values({
        id: o.id, user_id: o.userId, status: "in_review", business: "new", applicant: "enterprise",
        application_json: JSON.stringify(o.application), package_json: JSON.stringify(o.package), delivery_json: JSON.stringify(o.delivery),
        invoice_json: JSON.stringify({ kind: o.invoice.kind, title: o.invoice.title, taxpayerId: o.invoice.taxpayerId, email: o.invoice.email }),
        goods_fen: o.price.goodsFen, delivery_fee_fen: o.price.deliveryFeeFen, service_fee_fen: o.price.serviceFeeFen, payable_fen: o.price.payableFen,
        payment_trade_no: `T${o.id}`, payment_amount_fen: o.price.payableFen, paid_at: 9, reject_reasons_json: "[]", review_rounds: 0,
        certificate_serial: null, carrier: null, tracking_no: null, refund_reason: null, version: 2, created_at: o.createdAt, updated_at: 9,
      }).execute()
    })
    expect(yield* migrate).toContain("0023_invoices_search")
    return yield* Effect.gen(function*() {
      const repo = yield* OrderRepository
      const back = Option.getOrThrow(yield* repo.find(o.id))
      const byMobile = yield* repo.search({ mobile: o.application.agent.mobile }, 0, 10)
      const byCompany = yield* repo.search({ company: o.application.enterprise!.name.slice(1, 5) }, 0, 10)
      const queue = yield* repo.listForInvoicing("pending", "electronic", ["in_review"], 10)
      return { o, back, ids: [byMobile, byCompany].map((r) => r.orders.map((x) => x.id)), queue: queue.map((x) => x.id) }
    }).pipe(Effect.provide(layerOrderRepository))
  }).pipe(Effect.provide(database))

describe("migration 0023 backfills orders written before it", () => {
  itOnSqliteAndPostgres("orders 0023 backfill", async (database) => {
    const r = await Effect.runPromise(backfill(database))
    expect(r.back.invoiceRecord).toEqual(INITIAL_INVOICE)
    expect(r.back.certificateDer).toBeNull()
    expect(r.back.invoice.medium).toBeUndefined()
    expect(r.ids).toEqual([[r.o.id], [r.o.id]])
    expect(r.queue).toEqual([r.o.id])
  })
})
