import { Clock, Effect, Layer, Schedule } from "effect"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { MAX_WORKER } from "../../core/kernel/snowflake.ts"
import { RepositoryError } from "../../core/kernel/errors.ts"
import { Database, queryOn } from "./Database.ts"

/** A lease lapses this long after its last renewal: a crashed process's worker id is free again within minutes. */
export const WORKER_LEASE_MS = 3 * 60_000
/** How often a live process renews its lease (several renewals fit in one lease). */
export const WORKER_HEARTBEAT_MS = 30_000

/**
 * Leases a snowflake worker id no other live process holds (the primary key
 * guarantees it), so ids stay unique across processes sharing a database.
 * Expired leases (crashed processes) are cleared first.
 */
export const leaseWorkerId = (holder: string) =>
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const now = yield* Clock.currentTimeMillis
    yield* q("workers.expire", (db) => db.deleteFrom("id_workers").where("leased_until", "<", now).execute())
    const start = Math.floor(Math.random() * (MAX_WORKER + 1))
    for (let i = 0; i <= MAX_WORKER; i++) {
      const worker_id = (start + i) % (MAX_WORKER + 1)
      const r = yield* q("workers.lease", (db) =>
        db.insertInto("id_workers").values({ worker_id, holder, leased_until: now + WORKER_LEASE_MS })
          .onConflict((oc) => oc.doNothing()).executeTakeFirst())
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) return worker_id
    }
    return yield* new RepositoryError({ operation: "workers.lease", cause: "all 1024 worker ids are leased" })
  })

/** Extends this holder's lease; false when the row is no longer ours (it lapsed during an outage and was taken). */
export const renewWorkerLease = (workerId: number, holder: string) =>
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const now = yield* Clock.currentTimeMillis
    const r = yield* q("workers.renew", (db) =>
      db.updateTable("id_workers").set({ leased_until: now + WORKER_LEASE_MS }).where("worker_id", "=", workerId).where("holder", "=", holder).executeTakeFirst())
    return Number(r.numUpdatedRows ?? 0n) === 1
  })

/**
 * IdGenerator whose worker id is leased in the database for as long as the
 * layer lives: renewed by a heartbeat, released when the layer closes (a
 * graceful shutdown). A failed renewal (the database away) is retried at the
 * next beat; a lease found taken by another process is logged as an error
 * (ids could collide: the operator should restart this process).
 */
export const layerIdGenerator = (holder: string) =>
  Layer.unwrap(
    Effect.gen(function*() {
      const database = yield* Database
      const workerId = yield* Effect.acquireRelease(leaseWorkerId(holder), (id) =>
        queryOn(database.db)("workers.release", (db) => db.deleteFrom("id_workers").where("worker_id", "=", id).where("holder", "=", holder).execute()).pipe(Effect.ignore))
      yield* Effect.forkScoped(
        renewWorkerLease(workerId, holder).pipe(
          Effect.flatMap((ours) => ours ? Effect.void : Effect.logError(`worker id ${workerId}: the lease was taken by another process; restart this one`)),
          Effect.catch((e) => Effect.logWarning(`worker id ${workerId}: lease renewal failed (${e.operation}); retrying`)),
          Effect.repeat(Schedule.spaced(WORKER_HEARTBEAT_MS)),
          Effect.delay(WORKER_HEARTBEAT_MS),
        ),
      )
      return IdGenerator.layerSnowflake(workerId)
    }),
  )
