import type { Kysely } from "kysely"

/** The hourly clean-up of prepared signatures (issue 20) reads them by expiry: an index range, not a scan. */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createIndex("external_signatures_expires").on("external_signatures").column("expires_at").execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropIndex("external_signatures_expires").execute()
}
