/** compiledOnce (issue 23): a query compiled once answers each call with that call's values, on both dialects, in and out of a transaction. */
import { describe, expect } from "vitest"
import { Effect, Layer } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { UnitOfWork } from "../../core/ports/UnitOfWork.ts"
import { compiledOnce, Database, queryOn } from "./Database.ts"
import { migrate } from "./index.ts"
import { layerUnitOfWork } from "./unitOfWork.ts"

const run = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    yield* migrate
    const { db } = yield* Database
    const q = queryOn(db)
    let builds = 0
    const insert = compiledOnce(db, (d, key: string, count: number, windowEndsAt: number) => {
      builds++
      return d.insertInto("limit_counters").values({ key, count, window_ends_at: windowEndsAt })
    })
    // A value of the query's own (the limit) stays as compiled; the arguments take each call's values.
    const find = compiledOnce(db, (d, key: string, atLeast: number) =>
      d.selectFrom("limit_counters").select(["key", "count"]).where("key", "=", key).where("count", ">=", atLeast).limit(1))
    yield* q("t.insert", (d) => d.executeQuery(insert("a", 1, 10)))
    yield* q("t.insert", (d) => d.executeQuery(insert("b", 5, 20)))
    // In a transaction, on its connection: rolled back with it.
    yield* (yield* UnitOfWork).transact(Effect.andThen(q("t.insert", (d) => d.executeQuery(insert("c", 7, 30))), Effect.fail("undo" as const))).pipe(Effect.ignore)
    const rows = yield* q("t.find", async (d) => [
      (await d.executeQuery(find("a", 1))).rows, (await d.executeQuery(find("b", 1))).rows, (await d.executeQuery(find("b", 6))).rows, (await d.executeQuery(find("c", 0))).rows,
    ])
    // An argument that is not a bound value (here it only decides whether there is a condition) is refused when first compiled.
    const misuse = compiledOnce(db, (d, key: string | null) => key === null ? d.selectFrom("limit_counters").select("key") : d.selectFrom("limit_counters").select("key").where("key", "=", "a"))
    let refused = ""
    try {
      misuse("a")
    } catch (e) {
      refused = String(e)
    }
    return { rows, builds, refused }
  }).pipe(Effect.provide(layerUnitOfWork.pipe(Layer.provideMerge(database))))

describe("compiledOnce", () => {
  itOnSqliteAndPostgres("compiled once", async (database) => {
    const r = await Effect.runPromise(run(database))
    expect(r.builds).toBe(1)
    expect(r.rows.map((rs) => rs.map((x) => [x.key, Number(x.count)]))).toEqual([[["a", 1]], [["b", 5]], [], []])
    expect(r.refused).toContain("not every argument is one bound value")
  })
})
