import type { Kysely } from "kysely"

/**
 * Enterprises in contracts (C1, C4, C10): the enterprise (and branch) an
 * initiator acted for, and enterprise parties (the enterprise, the branch that
 * signs for it, the member named to sign). The enterprise list (C10) reads
 * both sides through an index each: contracts an enterprise initiated, and
 * contracts addressed to it, by branch.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("contracts").addColumn("initiator_enterprise_id", "text").execute()
  await db.schema.alterTable("contracts").addColumn("initiator_branch_id", "text").execute()
  for (const column of ["enterprise_id", "branch_id", "branch_name", "signer_user_id"]) {
    await db.schema.alterTable("contract_parties").addColumn(column, "text").execute()
  }
  await db.schema.createIndex("contracts_initiator_enterprise").on("contracts").columns(["initiator_enterprise_id", "initiator_branch_id", "created_at"]).execute()
  await db.schema.createIndex("contract_parties_enterprise").on("contract_parties").columns(["enterprise_id", "branch_id", "contract_id"]).execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropIndex("contract_parties_enterprise").execute()
  await db.schema.dropIndex("contracts_initiator_enterprise").execute()
  for (const column of ["signer_user_id", "branch_name", "branch_id", "enterprise_id"]) {
    await db.schema.alterTable("contract_parties").dropColumn(column).execute()
  }
  await db.schema.alterTable("contracts").dropColumn("initiator_branch_id").execute()
  await db.schema.alterTable("contracts").dropColumn("initiator_enterprise_id").execute()
}
