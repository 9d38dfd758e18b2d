import { describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { Database, migrate, migrateBefore } from "./index.ts"

/** Enterprises approved before 0008 get their head office and their admin as the active admin member. */
const backfill = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    const { db } = yield* Database
    yield* migrateBefore("0008")
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
  itOnSqliteAndPostgres("organizations migration backfill", async (database) => expectBackfilled(await Effect.runPromise(backfill(database))))
})
