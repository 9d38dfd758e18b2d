import { randomBytes } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import { Migrator, type Migration } from "kysely/migration"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { Database, dropSchema, layerPostgres, layerSqlite, migrate } from "./index.ts"
import * as m0001 from "./migrations/0001_accounts.ts"
import * as m0002 from "./migrations/0002_verification.ts"
import * as m0003 from "./migrations/0003_evidence.ts"
import * as m0004 from "./migrations/0004_orders.ts"
import * as m0005 from "./migrations/0005_contracts.ts"
import * as m0006 from "./migrations/0006_archive.ts"
import * as m0007 from "./migrations/0007_contract_list_index.ts"

/** The schema as shipped before the organizations migration. */
const before0008: Record<string, Migration> = {
  "0001_accounts": m0001, "0002_verification": m0002, "0003_evidence": m0003, "0004_orders": m0004,
  "0005_contracts": m0005, "0006_archive": m0006, "0007_contract_list_index": m0007,
}

/** Enterprises approved before 0008 get their head office and their admin as the active admin member. */
const backfill = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    const { db, schema } = yield* Database
    const migrator = new Migrator({ db, provider: { getMigrations: async () => before0008 }, ...(schema === undefined ? {} : { migrationTableSchema: schema }) })
    const { error } = yield* Effect.promise(() => migrator.migrateToLatest())
    expect(error).toBeUndefined()
    yield* Effect.promise(async () => {
      for (const [id, mobile] of [["1000000000000000001", "13800000001"], ["1000000000000000002", "13800000002"]] as const) {
        await db.insertInto("users").values({ id, mobile, password_hash: "h", name: null, email: null, created_at: 5 }).execute()
      }
      for (const [id, admin, code] of [["2000000000000000001", "1000000000000000001", "91110108MA01A2B3CF"], ["2000000000000000002", "1000000000000000002", "91310115MA1K4D5E6D"]] as const) {
        await db.insertInto("enterprises").values({
          id, name: "示例", credit_code: code, legal_representative: "张三", address: "北京", contact_phone: "010-1", email: "a@b.cn", admin_user_id: admin, created_at: 7,
        }).execute()
      }
    })
    expect(yield* migrate).toContain("0008_organizations")
    const branches = yield* Effect.promise(() => db.selectFrom("org_branches").selectAll().orderBy("id").execute())
    const members = yield* Effect.promise(() => db.selectFrom("org_members").selectAll().orderBy("enterprise_id").execute())
    return { branches, members }
  }).pipe(Effect.provide(database))

const expectBackfilled = (r: Effect.Success<ReturnType<typeof backfill>>) => {
  expect(r.branches.map((b) => [b.id, b.enterprise_id, b.parent_id, b.name, Number(b.created_at)])).toEqual([
    ["2000000000000000001", "2000000000000000001", null, "总公司", 7], ["2000000000000000002", "2000000000000000002", null, "总公司", 7],
  ])
  expect(r.members.map((m) => [m.enterprise_id, m.user_id, m.branch_id, Number(m.role_admin), Number(m.role_agent), Number(m.active)])).toEqual([
    ["2000000000000000001", "1000000000000000001", "2000000000000000001", 1, 0, 1],
    ["2000000000000000002", "1000000000000000002", "2000000000000000002", 1, 0, 1],
  ])
}

describe("migration 0008 backfills the enterprises approved before it", () => {
  it("on SQLite", async () => expectBackfilled(await Effect.runPromise(backfill(layerSqlite(":memory:")))), 60_000)

  const url = postgresUrl("organizations migration backfill")
  it.skipIf(url === null)("on Postgres", async () => {
    const schema = `t_${randomBytes(6).toString("hex")}`
    try {
      expectBackfilled(await Effect.runPromise(backfill(layerPostgres(url!, schema))))
    } finally {
      await Effect.runPromise(dropSchema(url!, schema))
    }
  }, 60_000)
})
