import { Effect } from "effect"
import { sql } from "kysely"
import { Database, queryOn } from "./Database.ts"
import { postgresPoolStats } from "./postgres/postgres-database.ts"

/** One round trip to the database (readiness). */
export const pingDatabase = Effect.gen(function*() {
  const { db } = yield* Database
  yield* queryOn(db)("ops.ping", (d) => sql`select 1`.execute(d))
})

/** Figures for /metrics read at scrape time: evidence events waiting for the sequencer, the Postgres pool's use. */
export const databaseGauges = Effect.gen(function*() {
  const { db } = yield* Database
  const backlog = yield* queryOn(db)("ops.evidenceBacklog", (d) =>
    d.selectFrom("evidence_pending").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow())
  return { evidenceBacklog: Number(backlog.n), pool: postgresPoolStats() }
})
