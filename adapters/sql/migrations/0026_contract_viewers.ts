import { sql, type Kysely } from "kysely"

/**
 * 我的签约 at any history (issue 23): one row per (person, contract they may list) — `u:<user id>` for the contract
 * they initiated (drafts included), `m:<mobile>` for a contract their mobile is a party of as a person (sent ones
 * only: a draft is its initiator's alone; an enterprise party's mobile is only whom it is texted to, C10) — with the
 * contract's creation time, status and initiating enterprise copied in. A page is then read from one index in
 * creation order per key (two keys: the user's id and mobile, merged), never the union of everything the person ever
 * saw sorted in a temporary B-tree. The repository writes a contract's rows with every save, in the save's transaction.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("contract_viewers")
    .addColumn("viewer", "text", (c) => c.notNull())
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("initiator_enterprise_id", "text")
    .addPrimaryKeyConstraint("contract_viewers_pk", ["viewer", "contract_id"])
    .execute()
  // Covering: a page, its status filter and the acting-for filter come from the index, newest first by scanning backwards.
  await db.schema.createIndex("contract_viewers_list").on("contract_viewers").columns(["viewer", "created_at", "contract_id", "status", "initiator_enterprise_id"]).execute()
  // One status asked for: its rows in creation order (a status no recent contract has would otherwise scan the key).
  await db.schema.createIndex("contract_viewers_status").on("contract_viewers").columns(["viewer", "status", "created_at", "contract_id", "initiator_enterprise_id"]).execute()
  await db.schema.createIndex("contract_viewers_contract").on("contract_viewers").columns(["contract_id"]).execute()

  // Contracts written before this migration, derived as the repository derives them.
  await db.insertInto("contract_viewers").columns(["viewer", "contract_id", "created_at", "status", "initiator_enterprise_id"])
    .expression(db.selectFrom("contracts").select([sql<string>`'u:' || initiator_user_id`.as("viewer"), "id", "created_at", "status", "initiator_enterprise_id"]))
    .execute()
  await db.insertInto("contract_viewers").columns(["viewer", "contract_id", "created_at", "status", "initiator_enterprise_id"])
    .expression(db.selectFrom("contract_parties as p").innerJoin("contracts as c", "c.id", "p.contract_id")
      .select([sql<string>`'m:' || p.mobile`.as("viewer"), "c.id", "c.created_at", "c.status", sql<null>`null`.as("initiator_enterprise_id")]).distinct()
      .where("p.enterprise_id", "is", null).where("c.status", "<>", "draft"))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("contract_viewers").ifExists().execute()
}
