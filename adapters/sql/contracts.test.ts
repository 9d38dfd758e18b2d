import { describe, expect } from "vitest"
import { Effect, Layer } from "effect"
import type { Kysely } from "kysely"
import { ContractRepository, LIST_TOTAL_CAP, type ContractListQuery } from "../../core/ports/ContractRepository.ts"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { layerContractRepository } from "./contracts.ts"
import { Database, migrate, migrateBefore } from "./index.ts"
import type { DB } from "./schema.ts"

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

const U = "1000000000000000001"
const O = "1000000000000000002"
const [MU, M2] = ["13800000001", "13800000002"]

/** Contracts written straight into the tables before migration 0026 (its backfill makes their 我的签约 rows). */
const seedBefore0026 = (db: Kysely<DB>, extra: number) =>
  Effect.promise(async () => {
    const contract = (n: number, initiator: string, status: string) => ({
      id: `2${String(n).padStart(18, "0")}`, name: `合同${n}`, initiator_user_id: initiator, initiator_org_name: null, initiator_enterprise_id: null, initiator_branch_id: null,
      mode: "simultaneous", deadline: 9e12, status, fields_json: "[]", document_sha256: "0".repeat(64), document_version: 0, created_at: 1_000 + n,
      sent_at: null, ended_at: null, rejection_reason: null, revision: 1,
    })
    const party = (n: number, index: number, mobile: string, enterpriseId: string | null = null) => ({
      contract_id: `2${String(n).padStart(18, "0")}`, party_index: index, name: "x", mobile, status: "waiting", acted_at: null, last_reminded_at: null, viewed_at: null,
      enterprise_id: enterpriseId, branch_id: enterpriseId, branch_name: null, signer_user_id: null,
    })
    // 1: U's draft; 2: U's, U's own mobile a party too; 3: O's to U; 4: O's to an enterprise texted at U's mobile; 5…: O's to U.
    const contracts = [contract(1, U, "draft"), contract(2, U, "inProgress"), contract(3, O, "completed"), contract(4, O, "inProgress")]
    const parties = [party(1, 0, M2), party(2, 0, MU), party(2, 1, M2), party(3, 0, MU), party(4, 0, MU, E1)]
    for (let n = 5; n < 5 + extra; n++) {
      contracts.push(contract(n, O, n % 2 === 0 ? "completed" : "inProgress"))
      parties.push(party(n, 0, MU))
    }
    for (let i = 0; i < contracts.length; i += 500) await db.insertInto("contracts").values(contracts.slice(i, i + 500)).execute()
    for (let i = 0; i < parties.length; i += 500) await db.insertInto("contract_parties").values(parties.slice(i, i + 500)).execute()
  })

const id = (n: number) => `2${String(n).padStart(18, "0")}`
const listOf = (query: Partial<ContractListQuery>) =>
  ContractRepository.use((r) => r.list({ mobile: MU, userId: U, limit: 10, offset: 0, ...query }))

/**
 * 我的签约 from the per-person index (migration 0026, issue 23): the backfill
 * writes the initiator's rows (drafts too) and a person party's (sent only; an
 * enterprise party's mobile lists nothing), a contract U initiated and is a
 * party of is listed once, keyset pages (created, id) cover the list exactly
 * once in order, and the total stops at the cap.
 */
describe("我的签约 index: backfill, keyset pages, bounded total", () => {
  itOnSqliteAndPostgres("contract viewers", async (database) => {
    await Effect.runPromise(Effect.gen(function*() {
      const { db } = yield* Database
      yield* migrateBefore("0026")
      yield* seedBefore0026(db, 25)
      expect(yield* migrate).toContain("0026_contract_viewers")
      const rows = yield* Effect.promise(() => db.selectFrom("contract_viewers").select(["viewer", "contract_id", "status"]).where("contract_id", "in", [id(1), id(2), id(3), id(4)]).orderBy("contract_id").orderBy("viewer").execute())
      expect(rows.map((r) => [r.contract_id, r.viewer, r.status])).toEqual([
        [id(1), `u:${U}`, "draft"],
        [id(2), `m:${MU}`, "inProgress"], [id(2), `m:${M2}`, "inProgress"], [id(2), `u:${U}`, "inProgress"],
        [id(3), `m:${MU}`, "completed"], [id(3), `u:${O}`, "completed"],
        [id(4), `u:${O}`, "inProgress"],
      ])

      // Every sent contract of U's, newest first: 5…29, 3, 2 (27); contract 2 once although U is on it twice.
      const expected = [...Array.from({ length: 25 }, (_, i) => id(29 - i)), id(3), id(2)]
      const first = yield* listOf({})
      expect(first.total).toBe(27)
      const seen: Array<string> = first.items.map((c) => c.id)
      let last = first.items.at(-1)!
      for (;;) {
        const next = yield* listOf({ after: { createdAt: last.createdAt, id: last.id } })
        if (next.items.length === 0) break
        seen.push(...next.items.map((c) => c.id))
        last = next.items.at(-1)!
      }
      expect(seen).toEqual(expected)
      // Offsets agree with the keyset, and filters read the same index.
      expect((yield* listOf({ offset: 20 })).items.map((c) => c.id)).toEqual(expected.slice(20))
      expect((yield* listOf({ tab: "drafts", status: ["draft"] })).items.map((c) => c.id)).toEqual([id(1)])
      expect((yield* listOf({ status: ["completed"], limit: 100 })).items.map((c) => c.id)).toEqual(expected.filter((x) => Number(x.slice(-2)) % 2 === 0 || x === id(3)).filter((x) => x !== id(2)))
      expect((yield* listOf({ search: "合同29" })).items.map((c) => c.id)).toEqual([id(29)])
      expect((yield* listOf({ createdFrom: 1_000 + 27 })).items.map((c) => c.id)).toEqual([id(29), id(28), id(27)])
      // The other user sees contract 4 (theirs), U does not (it went to an enterprise at U's number).
      expect(expected).not.toContain(id(4))
      expect((yield* ContractRepository.use((r) => r.list({ mobile: "13900000000", userId: O, limit: 100, offset: 0 }))).items.map((c) => c.id)).toContain(id(4))
    }).pipe(Effect.provide(layerContractRepository.pipe(Layer.provideMerge(database)))))
  })

  itOnSqliteAndPostgres("contract viewers cap", async (database) => {
    await Effect.runPromise(Effect.gen(function*() {
      const { db } = yield* Database
      yield* migrateBefore("0026")
      yield* seedBefore0026(db, LIST_TOTAL_CAP)
      yield* migrate
      const page = yield* listOf({})
      // 10,000 + 2 contracts listed to U: counted up to the cap (shown 9,999+), the page still the newest ten.
      expect(page.total).toBe(LIST_TOTAL_CAP)
      expect(page.items.map((c) => c.id)).toEqual(Array.from({ length: 10 }, (_, i) => id(4 + LIST_TOTAL_CAP - i)))
      expect((yield* listOf({ status: ["draft"], tab: "drafts" })).total).toBe(1)
    }).pipe(Effect.provide(layerContractRepository.pipe(Layer.provideMerge(database)))))
  }, 120_000)
})
