import type { Kysely } from "kysely"

/**
 * Limits shared by every instance and kept across restarts (issue 22): one
 * row per counted thing (wrong codes of a number, failed log-ins of an
 * account, requests of a client address), its count in the current fixed
 * window and when that window ends. Rows whose window is over are purged.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("limit_counters")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("window_ends_at", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("limit_counters_window").on("limit_counters").column("window_ends_at").execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("limit_counters").ifExists().execute()
}
