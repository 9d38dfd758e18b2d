import type { Kysely } from "kysely"

/**
 * The archive renewal walks completed contracts by number, a page at a time
 * (ContractRepository.completedAfter): (status, id) makes each page an index
 * range instead of sorting every completed contract again.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createIndex("contracts_status_id").on("contracts").columns(["status", "id"]).execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropIndex("contracts_status_id").execute()
}
