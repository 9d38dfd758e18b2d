import { Effect, Layer } from "effect"
import { LimitCounters } from "../../core/ports/LimitCounters.ts"
import { compiledOnce, Database, queryOn } from "./Database.ts"

/**
 * Each hit is one INSERT … ON CONFLICT DO UPDATE: the row is created, its
 * window restarted, or its count raised in a single statement (row-locked on
 * Postgres, serialised by SQLite's write lock), so two instances hitting one
 * key at once are both counted and see different counts.
 */
export const layerLimitCounters = Layer.effect(
  LimitCounters,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    // Counted on every code check and log-in: built and compiled once.
    const hit = compiledOnce(db, (d, key: string, windowEndsAt: number, now: number, limit: number) =>
      d.insertInto("limit_counters").values({ key, count: 1, window_ends_at: windowEndsAt })
        .onConflict((oc) => oc.column("key").doUpdateSet((eb) => {
          // Every expression reads the row as it was before this update.
          const over = eb("limit_counters.window_ends_at", "<=", now)
          const reachesLimit = eb(eb("limit_counters.count", "+", 1), "=", limit)
          return {
            count: eb.case().when(over).then(1).else(eb("limit_counters.count", "+", 1)).end(),
            window_ends_at: eb.case().when(over).then(eb.ref("excluded.window_ends_at")).when(reachesLimit).then(eb.ref("excluded.window_ends_at"))
              .else(eb.ref("limit_counters.window_ends_at")).end(),
          }
        }))
        .returning(["count", "window_ends_at"]))
    const release = compiledOnce(db, (d, key: string) =>
      d.updateTable("limit_counters").set((eb) => ({ count: eb("count", "-", 1) })).where("key", "=", key).where("count", ">", 0))
    return {
      hit: (key, { limit, windowMs }, now) =>
        q("limits.hit", async (d) => {
          const row = (await d.executeQuery(hit(key, now + windowMs, now, limit))).rows[0]
          if (row === undefined) throw new Error("limits.hit: the upsert returned no row")
          return row
        }).pipe(
          Effect.map((r) => ({ count: Number(r.count), windowEndsAt: Number(r.window_ends_at) })),
        ),
      release: (key) => q("limits.release", (d) => d.executeQuery(release(key))).pipe(Effect.asVoid),
      clear: (key) => q("limits.clear", (db) => db.deleteFrom("limit_counters").where("key", "=", key).execute()).pipe(Effect.asVoid),
      purge: (before) =>
        q("limits.purge", (db) => db.deleteFrom("limit_counters").where("window_ends_at", "<", before).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numDeletedRows)),
        ),
    }
  }),
)
