import type { Kysely } from "kysely"

/**
 * 自动签署 (issue 20) logs the seal's use like any other (seal_usages, `seal.used`): the authorization it was used
 * under is named, so the usage log tells an API call from a person.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("seal_usages").addColumn("auto_sign_id", "text").execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("seal_usages").dropColumn("auto_sign_id").execute()
}
