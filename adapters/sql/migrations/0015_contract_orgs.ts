import type { Kysely } from "kysely"

/**
 * C10 enterprise lists at scale: one row per (enterprise, sent contract,
 * branch of that enterprise on it) — the branch it was initiated at, the
 * branch signing for it — with the contract's status, creation time,
 * creator and searchable text (its name, sending enterprise and parties'
 * names) copied in, so that an enterprise's list, its count and its search
 * are read from one covering index in creation order, whatever its size.
 * Exactly one row per (enterprise, contract) is `is_primary`: the head
 * office's view counts each contract once without DISTINCT. Rows exist only
 * once a contract is sent (a draft is its initiator's alone); the repository
 * rewrites a contract's rows with every save, in the save's transaction.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("contract_orgs")
    .addColumn("enterprise_id", "text", (c) => c.notNull())
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("branch_id", "text", (c) => c.notNull())
    .addColumn("is_primary", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("initiator_user_id", "text", (c) => c.notNull())
    .addColumn("search_text", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contract_orgs_pk", ["enterprise_id", "contract_id", "branch_id"])
    .execute()
  // Covering indexes (the contract id and the text ride along), newest first by scanning backwards.
  await db.schema.createIndex("contract_orgs_list").on("contract_orgs").columns(["enterprise_id", "is_primary", "created_at", "contract_id", "search_text"]).execute()
  await db.schema.createIndex("contract_orgs_status").on("contract_orgs").columns(["enterprise_id", "is_primary", "status", "created_at", "contract_id"]).execute()
  await db.schema.createIndex("contract_orgs_branch").on("contract_orgs").columns(["enterprise_id", "branch_id", "created_at", "contract_id"]).execute()
  await db.schema.createIndex("contract_orgs_contract").on("contract_orgs").columns(["contract_id"]).execute()

  // Contracts sent before this migration, derived as the repository derives them.
  const contracts = await db.selectFrom("contracts").select(["id", "name", "initiator_org_name", "initiator_enterprise_id", "initiator_branch_id", "status", "created_at", "initiator_user_id"])
    .where("status", "<>", "draft").execute()
  const parties = await db.selectFrom("contract_parties").select(["contract_id", "party_index", "name", "enterprise_id", "branch_id"]).orderBy("contract_id").orderBy("party_index").execute()
  const byContract = new Map<string, Array<(typeof parties)[number]>>()
  for (const p of parties) byContract.set(p.contract_id, [...(byContract.get(p.contract_id) ?? []), p])
  const rows: Array<Record<string, unknown>> = []
  for (const c of contracts) {
    const ps = byContract.get(c.id) ?? []
    const branches = new Map<string, Set<string>>()
    const add = (e: string | null, b: string | null) => {
      if (e !== null) branches.set(e, (branches.get(e) ?? new Set<string>()).add(b ?? e))
    }
    add(c.initiator_enterprise_id, c.initiator_branch_id)
    for (const p of ps) add(p.enterprise_id, p.branch_id)
    const text = [c.name, c.initiator_org_name ?? "", ...ps.map((p) => p.name)].join("\n")
    for (const [e, set] of branches) {
      ;[...set].forEach((b, i) => rows.push({
        enterprise_id: e, contract_id: c.id, branch_id: b, is_primary: i === 0 ? 1 : 0, status: c.status,
        created_at: c.created_at, initiator_user_id: c.initiator_user_id, search_text: text,
      }))
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insertInto("contract_orgs").values(rows.slice(i, i + 500)).execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("contract_orgs").ifExists().execute()
}
