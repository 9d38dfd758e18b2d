import { Cause, Context, Effect, Exit, Layer, Option, Schema, SchemaGetter } from "effect"
import { CompiledQuery, sql, type Kysely } from "kysely"
import PgBoss from "pg-boss"
import { CurrentTransaction, Database } from "../sql/Database.ts"
import { errorFields, log } from "../observability/index.ts"
import { JobQueue, JobQueueError, noRetry, observeJobRun, type Job, type JobInfo, type RetryPolicy } from "../../core/ports/JobQueue.ts"

export interface PgBossOptions {
  readonly connectionString: string
  /** pg-boss's own schema (default "pgboss"); every process sharing the work names the same one. */
  readonly schema?: string | undefined
  /** How often an idle worker polls (pg-boss's minimum is 0.5 s). */
  readonly pollSeconds?: number | undefined
  /** pg-boss's own connections (default 4). */
  readonly poolMax?: number | undefined
}

// A cron run's job carries the schedule's data, which pg-boss stores as null when none was given: read as {}.
const Payload = Schema.Union([Schema.Record(Schema.String, Schema.Unknown), Schema.Null.pipe(Schema.decodeTo(Schema.Record(Schema.String, Schema.Unknown), {
  decode: SchemaGetter.transform(() => ({})),
  encode: SchemaGetter.transform(() => null),
}))])

/** The pg-boss queue's own handle: start a run of every schedule now, as its cron would (tests; the cron fires at most once a minute). */
export class PgBossJobs extends Context.Service<PgBossJobs, {
  /** Queues one job per schedule with the schedule's stored data and options; the (name, job id) of each. */
  readonly fireSchedules: Effect.Effect<ReadonlyArray<{ readonly name: string; readonly id: string }>, JobQueueError>
}>()("adapters/jobs-pgboss/PgBossJobs") {}

/** pg-boss runs a statement on the caller's Kysely transaction through this (transactional enqueue). */
const onKysely = (db: Kysely<any>): PgBoss.Db => ({
  executeSql: async (text, values) => ({ rows: [...(await db.executeQuery(CompiledQuery.raw(text, values))).rows] }),
})

const toError = (operation: string) => (cause: unknown) => new JobQueueError({ operation, cause })

const stateOf = (s: PgBoss.JobWithMetadata["state"]): JobInfo["state"] =>
  s === "created" || s === "retry" ? "pending" : s === "active" ? "active" : s === "completed" ? "completed" : "failed"

/**
 * The job queue on Postgres through pg-boss, so several web processes share
 * the work (SKIP LOCKED fetches; cron schedules run once across them). An
 * enqueue inside a UnitOfWork runs on that transaction. A singleton key is
 * checked under a transaction-scoped advisory lock (pg-boss's own singleton
 * policies apply to a whole queue, not to one key). Retries use pg-boss's
 * exponential backoff, which adds jitter and counts whole seconds; a
 * policy's `maxDelayMs` is not enforced there (handlers that must stop after
 * a while, like webhook deliveries, check the age themselves).
 */
export const make = (options: PgBossOptions) =>
  Effect.gen(function*() {
    const { db } = yield* Database
    const boss = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const b = new PgBoss({ connectionString: options.connectionString, schema: options.schema ?? "pgboss", max: options.poolMax ?? 4 })
          // pg-boss reports background failures as events; an unhandled 'error' event would end the process.
          b.on("error", (e: Error) => log("warn", "pg-boss: background work failed", errorFields(e)))
          await b.start()
          return b
        },
        catch: toError("pgboss.start"),
      }),
      (b) => Effect.promise(() => b.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined)),
    )
    const queues = new Map<string, Promise<void>>()
    const ensureQueue = (name: string) => {
      let created = queues.get(name)
      if (created === undefined) {
        created = boss.createQueue(name, { name, retryLimit: 0 })
        queues.set(name, created)
      }
      return Effect.tryPromise({ try: () => created, catch: toError("pgboss.createQueue") })
    }

    const enqueue = (name: string, payload: Readonly<Record<string, unknown>>, opts: { readonly runAt?: number | undefined; readonly singletonKey?: string | undefined } = {}) =>
      Effect.gen(function*() {
        yield* ensureQueue(name)
        const send = async (trx: Kysely<any>) => {
          if (opts.singletonKey !== undefined) {
            await sql`select pg_advisory_xact_lock(hashtext(${name}), hashtext(${opts.singletonKey}))`.execute(trx)
            const waiting = await onKysely(trx).executeSql(
              `select 1 from ${options.schema ?? "pgboss"}.job where name = $1 and singleton_key = $2 and state in ('created', 'retry') limit 1`,
              [name, opts.singletonKey],
            )
            if (waiting.rows.length > 0) return null
          }
          return boss.send(name, { ...payload }, {
            db: onKysely(trx),
            ...(opts.runAt === undefined ? {} : { startAfter: new Date(opts.runAt) }),
            ...(opts.singletonKey === undefined ? {} : { singletonKey: opts.singletonKey }),
          })
        }
        const trx = yield* CurrentTransaction
        const id = yield* Effect.tryPromise({
          try: () => (trx !== null ? send(trx) : opts.singletonKey === undefined ? send(db) : db.transaction().execute(send)),
          catch: toError("pgboss.send"),
        })
        return Option.fromNullishOr(id)
      })

    const fireSchedules = Effect.tryPromise({
      try: async () => {
        const schedules = await boss.getSchedules()
        const fired: Array<{ name: string; id: string }> = []
        for (const s of schedules) {
          const id = await boss.send(s.name, (s.data ?? null) as object, s.options ?? {})
          if (id !== null) fired.push({ name: s.name, id })
        }
        return fired
      },
      catch: toError("pgboss.fireSchedules"),
    })

    const queue = JobQueue.of({
      enqueue: (name, payload, opts) => enqueue(name, payload, opts),
      work: <R>(name: string, handler: (job: Job) => Effect.Effect<void, unknown, R>, opts?: { readonly retry?: RetryPolicy | undefined }) =>
        Effect.gen(function*() {
          const context = yield* Effect.context<R>()
          const retry = opts?.retry ?? noRetry
          yield* ensureQueue(name)
          yield* Effect.tryPromise({
            try: () => boss.updateQueue(name, {
              name, retryLimit: retry.limit, retryDelay: Math.max(1, Math.ceil(retry.baseDelayMs / 1000)), retryBackoff: retry.baseDelayMs > 0,
            }),
            catch: toError("pgboss.updateQueue"),
          })
          yield* Effect.tryPromise({
            try: () => boss.work<Record<string, unknown>>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollSeconds ?? 2 }, async ([job]) => {
              if (job === undefined) return
              const payload = Schema.decodeUnknownOption(Payload)(job.data)
              const attempt = job.retryCount + 1
              const exit = Option.isNone(payload)
                ? Exit.fail("payload is not a JSON object")
                : await Effect.runPromiseWith(context)(Effect.exit(Effect.suspend(() => handler({ id: job.id, name, payload: payload.value, attempt }))))
              await Effect.runPromiseWith(context)(observeJobRun({ id: job.id, name, attempt }, exit))
              // Throwing tells pg-boss the job failed (it then retries under the queue's policy).
              if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause).slice(0, 2000))
            }),
            catch: toError("pgboss.work"),
          })
        }),
      every: (name, intervalMs) =>
        Effect.gen(function*() {
          yield* ensureQueue(name)
          const minutes = Math.max(1, Math.round(intervalMs / 60_000))
          yield* Effect.tryPromise({ try: () => boss.schedule(name, minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`, {}), catch: toError("pgboss.schedule") })
        }),
      inspect: (name, id) =>
        Effect.tryPromise({ try: () => boss.getJobById<unknown>(name, id, { includeArchive: true }), catch: toError("pgboss.getJobById") }).pipe(
          Effect.map((job) => {
            if (job === null) return Option.none<JobInfo>()
            const state = stateOf(job.state)
            // pg-boss counts a retry when it starts the run again: every state but 'created' has had retryCount + 1 runs.
            const attempts = job.state === "created" ? 0 : job.retryCount + 1
            return Option.some<JobInfo>({ id: job.id, name, state, attempts })
          }),
        ),
    })
    return Context.make(JobQueue, queue).pipe(Context.add(PgBossJobs, { fireSchedules }))
  })

/** JobQueue (and PgBossJobs) on Postgres; pg-boss runs while the layer lives. */
export const layer = (options: PgBossOptions) => Layer.effectContext(make(options))
