import type { Kysely } from "kysely"

/**
 * C7 search by sending enterprise: the enterprise's name as sent (null for a
 * person). Searches filter the few contracts a user's indexed lookups find, so
 * no index on it (a leading-wildcard LIKE could not use one anyway).
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("contracts").addColumn("initiator_org_name", "text").execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("contracts").dropColumn("initiator_org_name").execute()
}
