import type { Kysely } from "kysely"

/**
 * Issue 18, refunds and late payments: each order keeps its late payments and
 * refunds (JSON, decoded by the core's schemas) and whether money is still owed
 * (`refund_due`, the staff queue 待退款, from the core's `refundDue`). The
 * development payment provider keeps its trades and refunds here too, so a
 * restart never asks a buyer to pay again. Late payments noted before this
 * (timeline entries PaidAfterCancel) become late payments owed.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("orders").addColumn("late_payments_json", "text", (c) => c.notNull().defaultTo("[]")).execute()
  await db.schema.alterTable("orders").addColumn("refunds_json", "text", (c) => c.notNull().defaultTo("[]")).execute()
  await db.schema.alterTable("orders").addColumn("refund_due", "integer", (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.createIndex("orders_refund_due").on("orders").columns(["refund_due", "updated_at"]).execute()

  const noted = await db.selectFrom("order_history").select(["order_id", "detail_json", "at"]).where("event", "=", "PaidAfterCancel").orderBy("seq").execute()
  const byOrder = new Map<string, Array<{ tradeNo: string; amountFen: number; paidAt: number }>>()
  for (const h of noted as Array<{ order_id: string; detail_json: string; at: number | string }>) {
    const d = JSON.parse(h.detail_json) as { tradeNo?: string; amount?: string }
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(d.amount ?? "")
    if (d.tradeNo === undefined || m === null) continue
    const list = byOrder.get(h.order_id) ?? []
    if (!list.some((p) => p.tradeNo === d.tradeNo)) list.push({ tradeNo: d.tradeNo, amountFen: Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")), paidAt: Number(h.at) })
    byOrder.set(h.order_id, list)
  }
  for (const [id, late] of byOrder) {
    await db.updateTable("orders").set({ late_payments_json: JSON.stringify(late), refund_due: 1 }).where("id", "=", id).execute()
  }

  await db.schema.createTable("mock_payment_trades")
    .addColumn("out_trade_no", "text", (c) => c.primaryKey())
    .addColumn("amount_fen", "bigint", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("return_url", "text", (c) => c.notNull())
    .addColumn("notify_url", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("trade_no", "text")
    .addColumn("method", "text")
    .addColumn("bank", "text")
    .addColumn("refunded_fen", "bigint", (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createTable("mock_payment_refunds")
    .addColumn("out_trade_no", "text", (c) => c.notNull())
    .addColumn("refund_no", "text", (c) => c.notNull())
    .addColumn("amount_fen", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("mock_payment_refunds_pk", ["out_trade_no", "refund_no"])
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("mock_payment_refunds").ifExists().execute()
  await db.schema.dropTable("mock_payment_trades").ifExists().execute()
  await db.schema.dropIndex("orders_refund_due").ifExists().execute()
  await db.schema.alterTable("orders").dropColumn("refund_due").execute()
  await db.schema.alterTable("orders").dropColumn("refunds_json").execute()
  await db.schema.alterTable("orders").dropColumn("late_payments_json").execute()
}
