import { Effect, Layer } from "effect"
import { LimitCounters } from "../../core/ports/LimitCounters.ts"
import { Database, queryOn } from "./Database.ts"

/**
 * Each hit is one INSERT … ON CONFLICT DO UPDATE: the row is created, its
 * window restarted, or its count raised in a single statement (row-locked on
 * Postgres, serialised by SQLite's write lock), so two instances hitting one
 * key at once are both counted and see different counts.
 */
export const layerLimitCounters = Layer.effect(
  LimitCounters,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      hit: (key, { limit, windowMs }, now) =>
        q("limits.hit", (db) =>
          db.insertInto("limit_counters").values({ key, count: 1, window_ends_at: now + windowMs })
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
            .returning(["count", "window_ends_at"]).executeTakeFirstOrThrow()).pipe(
            Effect.map((r) => ({ count: Number(r.count), windowEndsAt: Number(r.window_ends_at) })),
          ),
      release: (key) =>
        q("limits.release", (db) =>
          db.updateTable("limit_counters").set((eb) => ({ count: eb("count", "-", 1) })).where("key", "=", key).where("count", ">", 0).execute()).pipe(Effect.asVoid),
      clear: (key) => q("limits.clear", (db) => db.deleteFrom("limit_counters").where("key", "=", key).execute()).pipe(Effect.asVoid),
      purge: (before) =>
        q("limits.purge", (db) => db.deleteFrom("limit_counters").where("window_ends_at", "<", before).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numDeletedRows)),
        ),
    }
  }),
)
