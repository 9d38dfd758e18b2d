import type { Kysely } from "kysely"

/**
 * E-seal / certificate orders (O2-O9) and their timelines. Money in fen
 * (bigint); structured parts the core decodes with its Schemas live in JSON
 * text columns; what queues and lookups filter on has its own column.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("business", "text", (c) => c.notNull())
    .addColumn("applicant", "text", (c) => c.notNull())
    .addColumn("application_json", "text", (c) => c.notNull())
    .addColumn("package_json", "text", (c) => c.notNull())
    .addColumn("delivery_json", "text", (c) => c.notNull())
    .addColumn("invoice_json", "text", (c) => c.notNull())
    .addColumn("goods_fen", "bigint", (c) => c.notNull())
    .addColumn("delivery_fee_fen", "bigint", (c) => c.notNull())
    .addColumn("service_fee_fen", "bigint", (c) => c.notNull())
    .addColumn("payable_fen", "bigint", (c) => c.notNull())
    // One provider trade pays at most one order.
    .addColumn("payment_trade_no", "text", (c) => c.unique())
    .addColumn("payment_amount_fen", "bigint")
    .addColumn("paid_at", "bigint")
    .addColumn("reject_reasons_json", "text", (c) => c.notNull())
    .addColumn("review_rounds", "integer", (c) => c.notNull())
    .addColumn("certificate_serial", "text")
    .addColumn("carrier", "text")
    .addColumn("tracking_no", "text")
    .addColumn("refund_reason", "text")
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("orders_user_status").on("orders").columns(["user_id", "status", "created_at"]).execute()
  await db.schema.createIndex("orders_status").on("orders").columns(["status", "updated_at"]).execute()
  await db.schema.createTable("order_history")
    .addColumn("order_id", "text", (c) => c.notNull().references("orders.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("actor_kind", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("detail_json", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("order_history_pk", ["order_id", "seq"])
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("order_history").ifExists().execute()
  await db.schema.dropTable("orders").ifExists().execute()
}
