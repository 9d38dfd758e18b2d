import type { Kysely } from "kysely"

/**
 * 我的签约 by status: with (initiator, created_at) alone the planner preferred
 * the (status, deadline) index and scanned every running contract (78 ms p95 at
 * 100k contracts). Two equality columns make the initiator index the obvious choice.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropIndex("contracts_initiator").execute()
  await db.schema.createIndex("contracts_initiator_status").on("contracts").columns(["initiator_user_id", "status", "created_at"]).execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropIndex("contracts_initiator_status").execute()
  await db.schema.createIndex("contracts_initiator").on("contracts").columns(["initiator_user_id", "created_at"]).execute()
}
