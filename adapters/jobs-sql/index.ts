import { randomUUID } from "node:crypto"
import { Cause, Clock, Context, Effect, Exit, Layer, Option, Schema } from "effect"
import { sql, type Kysely } from "kysely"
import { Database, queryOn } from "../sql/Database.ts"
import { backoffDelay, JobQueue, JobQueueError, noRetry, observeJobRun, type Job, type JobInfo, type RetryPolicy } from "../../core/ports/JobQueue.ts"

interface JobsTable {
  id: string
  name: string
  payload: string
  state: string
  run_at: number
  attempts: number
  singleton_key: string | null
  locked_until: number | null
  last_error: string | null
  created_at: number
  updated_at: number
}

const Payload = Schema.fromJsonString(Schema.Record(Schema.String, Schema.Unknown))
const State = Schema.Literals(["pending", "active", "completed", "failed"])

export interface SqlJobsOptions {
  /** How often the worker looks for due jobs; null: never by itself (tests call `runDue`). */
  readonly pollMs: number | null
  /** A job running longer than this is taken to have died with its process and runs again. */
  readonly leaseMs?: number | undefined
}

/** The SQL queue's own handle: run every due job now (the poller calls it; tests drive it with TestClock). */
export class SqlJobs extends Context.Service<SqlJobs, {
  /** Runs due jobs one after another until none is due; the number run. */
  readonly runDue: Effect.Effect<number, JobQueueError>
}>()("adapters/jobs-sql/SqlJobs") {}

interface Worker {
  readonly run: (job: Job) => Effect.Effect<Exit.Exit<void, unknown>>
  readonly retry: RetryPolicy
}

const everyKey = (name: string) => `every:${name}`

/**
 * The job queue in the application's own SQL database (the SQLite
 * deployment): jobs are rows, so they survive restarts and an enqueue inside a
 * UnitOfWork commits or rolls back with the change that caused it. A claim is
 * one UPDATE (…RETURNING) guarded by the job's state, so two processes never
 * run the same job at once; a job whose lease lapsed (its process died) is
 * claimed again. Time comes from Effect's Clock, so TestClock drives backoff.
 */
export const make = (options: SqlJobsOptions) =>
  Effect.gen(function*() {
    const { db } = yield* Database
    const leaseMs = options.leaseMs ?? 5 * 60_000
    const q = <A>(operation: string, run: (db: Kysely<{ jobs: JobsTable }>) => Promise<A>) =>
      queryOn(db)(operation, (d) => run(d.withTables<{ jobs: JobsTable }>() as unknown as Kysely<{ jobs: JobsTable }>)).pipe(
        Effect.mapError((e) => new JobQueueError({ operation, cause: e.cause })),
      )
    const workers = new Map<string, Worker>()
    const recurring = new Map<string, number>()

    const enqueue = (name: string, payload: Readonly<Record<string, unknown>>, opts: { readonly runAt?: number | undefined; readonly singletonKey?: string | undefined } = {}) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const id = randomUUID()
        const r = yield* q("jobs.enqueue", (d) =>
          d.insertInto("jobs").values({
            id, name, payload: JSON.stringify(payload), state: "pending", run_at: opts.runAt ?? now, attempts: 0,
            singleton_key: opts.singletonKey ?? null, locked_until: null, last_error: null, created_at: now, updated_at: now,
          }).onConflict((oc) => oc.doNothing()).executeTakeFirst())
        return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1 ? Option.some(id) : Option.none<string>()
      })

    const claim = (now: number) => {
      const names = [...workers.keys()]
      if (names.length === 0) return Effect.succeed(undefined)
      return q("jobs.claim", (d) =>
        d.updateTable("jobs")
          .set({ state: "active", attempts: sql<number>`attempts + 1`, locked_until: now + leaseMs, updated_at: now })
          .where("id", "=", (eb) =>
            eb.selectFrom("jobs").select("id").where("name", "in", names)
              .where((w) => w.or([w.and([w("state", "=", "pending"), w("run_at", "<=", now)]), w.and([w("state", "=", "active"), w("locked_until", "<", now)])]))
              .orderBy("run_at").limit(1))
          // Checked again on the row itself: of two processes racing for one job, only one gets it.
          .where((w) => w.or([w("state", "=", "pending"), w.and([w("state", "=", "active"), w("locked_until", "<", now)])]))
          .returningAll().executeTakeFirst())
    }

    const finish = (row: JobsTable, exit: Exit.Exit<void, unknown>, retry: RetryPolicy) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        if (Exit.isSuccess(exit)) {
          yield* q("jobs.complete", (d) => d.updateTable("jobs").set({ state: "completed", locked_until: null, updated_at: now }).where("id", "=", row.id).execute())
        } else {
          const error = Cause.pretty(exit.cause).slice(0, 2000)
          const again = row.attempts <= retry.limit
          yield* q("jobs.fail", (d) =>
            d.updateTable("jobs").set({
              state: again ? "pending" : "failed", run_at: again ? now + backoffDelay(retry, row.attempts) : row.run_at,
              locked_until: null, last_error: error, updated_at: now,
            }).where("id", "=", row.id).execute())
          if (again) return
        }
        const interval = recurring.get(row.name)
        if (interval !== undefined) yield* enqueue(row.name, {}, { runAt: now + interval, singletonKey: everyKey(row.name) })
      })

    const runDue: Effect.Effect<number, JobQueueError> = Effect.gen(function*() {
      let count = 0
      for (;;) {
        const row = yield* claim(yield* Clock.currentTimeMillis)
        if (row === undefined) return count
        count++
        const worker = workers.get(row.name)!
        const payload = Schema.decodeUnknownOption(Payload)(row.payload)
        const exit = Option.isNone(payload)
          ? Exit.fail("payload is not a JSON object")
          : yield* worker.run({ id: row.id, name: row.name, payload: payload.value, attempt: row.attempts })
        yield* observeJobRun({ id: row.id, name: row.name, attempt: row.attempts }, exit)
        yield* finish(row, exit, worker.retry)
      }
    })

    if (options.pollMs !== null) {
      const pollMs = options.pollMs
      yield* Effect.forkScoped(Effect.forever(runDue.pipe(
        Effect.catch((e) => Effect.logWarning(`job queue: ${e.operation} failed`)),
        Effect.andThen(Effect.sleep(pollMs)),
      )))
    }

    const queue = JobQueue.of({
      enqueue: (name, payload, opts) => enqueue(name, payload, opts),
      work: <R>(name: string, handler: (job: Job) => Effect.Effect<void, unknown, R>, opts?: { readonly retry?: RetryPolicy | undefined }) =>
        Effect.map(Effect.context<R>(), (context) => {
          workers.set(name, { run: (job) => Effect.exit(Effect.provideContext(Effect.suspend(() => handler(job)), context)), retry: opts?.retry ?? noRetry })
        }),
      every: (name, intervalMs) =>
        Effect.suspend(() => {
          recurring.set(name, intervalMs)
          return Effect.asVoid(enqueue(name, {}, { singletonKey: everyKey(name) }))
        }),
      inspect: (name, id) =>
        q("jobs.inspect", (d) => d.selectFrom("jobs").select(["id", "name", "state", "attempts"]).where("id", "=", id).where("name", "=", name).executeTakeFirst()).pipe(
          Effect.map((r) => r === undefined
            ? Option.none<JobInfo>()
            : Option.some<JobInfo>({ id: r.id, name: r.name, state: Schema.decodeUnknownSync(State)(r.state), attempts: r.attempts })),
        ),
    })
    return Context.make(JobQueue, queue).pipe(Context.add(SqlJobs, { runDue }))
  })

/** JobQueue (and SqlJobs) on the application's database; the poller runs while the layer lives. */
export const layer = (options: SqlJobsOptions) => Layer.effectContext(make(options))
