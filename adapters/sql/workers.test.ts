import { describe, expect } from "vitest"
import { Clock, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { Database, migrated } from "./index.ts"
import { layerIdGenerator, leaseWorkerId, WORKER_HEARTBEAT_MS, WORKER_LEASE_MS } from "./workers.ts"

const leases = Effect.gen(function*() {
  const { db } = yield* Database
  return yield* Effect.promise(() => db.selectFrom("id_workers").select(["holder", "leased_until"]).orderBy("holder").execute())
})

/** Waits (real time) until `check` holds: the heartbeat's query runs after the test clock moved. */
const until = <A>(check: Effect.Effect<A | undefined, never, Database>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 200; i++) {
      const v = yield* check
      if (v !== undefined) return v
      yield* Effect.promise(() => new Promise((r) => setTimeout(r, 10)))
    }
    return yield* Effect.die("gave up")
  })

/**
 * Worker-id leases last minutes, not a day: a live process renews its lease by
 * heartbeat, a crashed one's lapses and is cleared by the next start, and a
 * closed layer (graceful shutdown) releases its own at once.
 */
describe("worker-id leases", () => {
  itOnSqliteAndPostgres("worker leases", (database) =>
    Effect.runPromise(Effect.gen(function*() {
      yield* leaseWorkerId("crashed:1")
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Layer.build(layerIdGenerator("live:2"))
        for (let beat = 1; beat <= 10; beat++) {
          yield* TestClock.adjust(WORKER_HEARTBEAT_MS)
          const now = yield* Clock.currentTimeMillis
          yield* until(Effect.map(leases, (rows) => rows.find((r) => r.holder === "live:2" && r.leased_until === now + WORKER_LEASE_MS) ? true : undefined))
        }
        const now = yield* Clock.currentTimeMillis
        const rows = yield* leases
        expect(now).toBeGreaterThan(WORKER_LEASE_MS)
        // The live lease is ahead of the clock; the crashed one lapsed and the next start clears it.
        expect(rows.map((r) => [r.holder, r.leased_until > now])).toEqual([["crashed:1", false], ["live:2", true]])
        yield* leaseWorkerId("next:3")
        expect((yield* leases).map((r) => r.holder)).toEqual(["live:2", "next:3"])
      }))
      expect((yield* leases).map((r) => r.holder)).toEqual(["next:3"])
    }).pipe(Effect.provide(Layer.merge(migrated(database), TestClock.layer())))))
})
