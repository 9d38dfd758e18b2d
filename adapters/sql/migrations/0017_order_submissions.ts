import type { Kysely } from "kysely"

/**
 * O5 提交订单 once: the confirm form's one-time submission token, claimed by the order it created. A resubmitted
 * form (browser Back, a double click, a retry) finds its order instead of making a second one.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("order_submissions")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("order_id", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("order_submissions_pk", ["user_id", "token"])
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("order_submissions").ifExists().execute()
}
