import { describe, expect, it } from "vitest"
import { Effect, type Layer } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { Database, migrate, migrateBefore } from "./index.ts"

const [E1, E2, B1, B2] = ["3000000000000000001", "3000000000000000002", "4000000000000000001", "4000000000000000002"]

/**
 * Contracts sent before 0015 get their enterprise list rows: the initiating
 * enterprise's branch (primary), its own signing branch when another, the
 * other enterprise's; a draft gets none.
 */
const backfill = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    const { db } = yield* Database
    yield* migrateBefore("0015")
    yield* Effect.promise(async () => {
      const contract = (id: string, status: string) => ({
        id, name: "c", initiator_user_id: "1000000000000000001", initiator_org_name: "一号", initiator_enterprise_id: E1, initiator_branch_id: B1,
        mode: "sequential", deadline: 9, status, fields_json: "[]", document_sha256: "0".repeat(64), document_version: 0, created_at: Number(id.slice(-2)),
        sent_at: null, ended_at: null, rejection_reason: null, revision: 1,
      })
      const party = (contractId: string, index: number, enterpriseId: string, branchId: string) => ({
        contract_id: contractId, party_index: index, name: "x", mobile: "13800000001", status: "waiting", acted_at: null, last_reminded_at: null, viewed_at: null,
        enterprise_id: enterpriseId, branch_id: branchId, branch_name: "b", signer_user_id: null,
      })
      await db.insertInto("contracts").values([contract("2000000000000000011", "inProgress"), contract("2000000000000000012", "draft")]).execute()
      await db.insertInto("contract_parties").values([
        party("2000000000000000011", 0, E1, B2), party("2000000000000000011", 1, E2, E2), party("2000000000000000012", 0, E2, E2),
      ]).execute()
    })
    expect(yield* migrate).toContain("0015_contract_orgs")
    return yield* Effect.promise(() => db.selectFrom("contract_orgs").selectAll().orderBy("enterprise_id").orderBy("branch_id").execute())
  }).pipe(Effect.provide(database))

const expectBackfilled = (rows: ReadonlyArray<{ enterprise_id: string; contract_id: string; branch_id: string; is_primary: number; status: string; created_at: number; search_text: string }>) =>
  expect(rows.map((r) => [r.enterprise_id, r.contract_id, r.branch_id, Number(r.is_primary), r.status, Number(r.created_at), r.search_text])).toEqual([
    [E1, "2000000000000000011", B1, 1, "inProgress", 11, "c\n一号\nx\nx"],
    [E1, "2000000000000000011", B2, 0, "inProgress", 11, "c\n一号\nx\nx"],
    [E2, "2000000000000000011", E2, 1, "inProgress", 11, "c\n一号\nx\nx"],
  ])

describe("migration 0015 backfills the enterprise list rows of contracts sent before it", () => {
  itOnSqliteAndPostgres("contract list migration backfill", async (database) => expectBackfilled(await Effect.runPromise(backfill(database))))
})
