import { Effect, Layer } from "effect"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { MAX_WORKER } from "../../core/kernel/snowflake.ts"
import { RepositoryError } from "../../core/kernel/errors.ts"
import { Database, queryOn } from "./Database.ts"

const LEASE_MS = 24 * 60 * 60_000

/**
 * Leases a snowflake worker id no other live process holds (the primary key
 * guarantees it), so ids stay unique across processes sharing a database.
 * The lease is released when the layer closes; a crashed process's lease
 * lapses after a day.
 */
export const leaseWorkerId = (holder: string) =>
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const now = Date.now()
    yield* q("workers.expire", (db) => db.deleteFrom("id_workers").where("leased_until", "<", now).execute())
    const start = Math.floor(Math.random() * (MAX_WORKER + 1))
    for (let i = 0; i <= MAX_WORKER; i++) {
      const worker_id = (start + i) % (MAX_WORKER + 1)
      const r = yield* q("workers.lease", (db) =>
        db.insertInto("id_workers").values({ worker_id, holder, leased_until: now + LEASE_MS })
          .onConflict((oc) => oc.doNothing()).executeTakeFirst())
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) return worker_id
    }
    return yield* new RepositoryError({ operation: "workers.lease", cause: "all 1024 worker ids are leased" })
  })

/** IdGenerator whose worker id is leased in the database for as long as the layer lives. */
export const layerIdGenerator = (holder: string) =>
  Layer.unwrap(
    Effect.gen(function*() {
      const database = yield* Database
      const workerId = yield* Effect.acquireRelease(leaseWorkerId(holder), (id) =>
        queryOn(database.db)("workers.release", (db) => db.deleteFrom("id_workers").where("worker_id", "=", id).execute()).pipe(Effect.ignore))
      return IdGenerator.layerSnowflake(workerId)
    }),
  )
