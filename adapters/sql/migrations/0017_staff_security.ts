import type { Kysely } from "kysely"

/**
 * X1 staff log-in: TOTP secrets (sealed under the master key) with the last
 * used step. (Failed log-ins are counted in limit_counters.)
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("staff_totp")
    .addColumn("staff_id", "text", (c) => c.primaryKey().references("staff.id"))
    .addColumn("secret", "text")
    .addColumn("pending", "text")
    .addColumn("last_step", "bigint")
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("staff_totp").execute()
}
