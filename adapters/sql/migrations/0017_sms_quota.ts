import type { Kysely } from "kysely"

/** Issue 16: daily SMS counters per account ("a:<user id>") and per recipient ("r:<mobile>"), one row per key and day. */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("sms_quota")
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("sms_quota_pk", ["key", "day"])
    .execute()
}
