import type { Kysely } from "kysely"

/**
 * X1 staff log-in: TOTP secrets (sealed under the master key) with the last
 * used step, and failed log-ins counted per username and client address.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("staff_totp")
    .addColumn("staff_id", "text", (c) => c.primaryKey().references("staff.id"))
    .addColumn("secret", "text")
    .addColumn("pending", "text")
    .addColumn("last_step", "bigint")
    .execute()
  await db.schema.createTable("staff_login_failures")
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("since", "bigint", (c) => c.notNull())
    .addColumn("locked_until", "bigint")
    .addPrimaryKeyConstraint("staff_login_failures_pk", ["username", "client"])
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("staff_login_failures").execute()
  await db.schema.dropTable("staff_totp").execute()
}
