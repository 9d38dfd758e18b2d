import { Cause, Context, Effect, Exit, Metric, type Option, Schema } from "effect"

/** A job's payload: a JSON object (it is stored as JSON text). */
export type JobPayload = { readonly [key: string]: unknown }

export interface EnqueueOptions {
  /** Not before this time (epoch ms); default: at once. */
  readonly runAt?: number | undefined
  /**
   * While a job of this name with this key waits to run, enqueueing another
   * is a no-op (returns None): a replay clicked twice, or a recurring job
   * that is already due, queues one job, not two.
   */
  readonly singletonKey?: string | undefined
}

/**
 * How a failed job is retried: up to `limit` retries (so `limit + 1` attempts),
 * the n-th retry `baseDelayMs * 2^(n-1)` after the failure, never more than
 * `maxDelayMs` (exponential backoff).
 */
export interface RetryPolicy {
  readonly limit: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const noRetry: RetryPolicy = { limit: 0, baseDelayMs: 0, maxDelayMs: 0 }

/** The delay before retry number `retry` (1-based) under `policy`. */
export const backoffDelay = (policy: RetryPolicy, retry: number): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))

export interface Job {
  readonly id: string
  readonly name: string
  readonly payload: JobPayload
  /** 1 on the first run, 2 on the first retry, ... */
  readonly attempt: number
}

export interface JobInfo {
  readonly id: string
  readonly name: string
  readonly state: "pending" | "active" | "completed" | "failed"
  /** Runs started so far (each failure, then the success or the last failure). */
  readonly attempts: number
}

/** The queue's storage failed. */
export class JobQueueError extends Schema.TaggedError<JobQueueError>()("JobQueueError", {
  operation: Schema.String,
  cause: Schema.Defect(),
}) {}

/**
 * Background jobs that survive restarts: webhook deliveries, the contract
 * expiry sweep, clean-ups. Enqueueing inside a `UnitOfWork` transaction joins
 * it where the adapter can (the job exists only if the change that caused it
 * committed). A job runs at least once; handlers are idempotent.
 */
export class JobQueue extends Context.Service<JobQueue, {
  /** Queues a job; None when a job with the same singleton key is already waiting. */
  readonly enqueue: (name: string, payload: JobPayload, options?: EnqueueOptions) => Effect.Effect<Option.Option<string>, JobQueueError>
  /**
   * Runs jobs of `name` in this process with `handler` (in the services of the
   * caller). A handler that fails (or dies) is retried under `retry`; after
   * the last retry the job is failed.
   */
  readonly work: <R>(
    name: string,
    handler: (job: Job) => Effect.Effect<void, unknown, R>,
    options?: { readonly retry?: RetryPolicy | undefined },
  ) => Effect.Effect<void, JobQueueError, R>
  /** Runs jobs of `name` (a handler registered with `work`) about every `intervalMs`, once across all processes. */
  readonly every: (name: string, intervalMs: number) => Effect.Effect<void, JobQueueError>
  readonly inspect: (name: string, id: string) => Effect.Effect<Option.Option<JobInfo>, JobQueueError>
}>()("core/ports/JobQueue") {}

/** Runs of background jobs by name and outcome (ok / failed), for /metrics. */
export const jobRuns = Metric.counter("signet_job_runs_total", { description: "Background job runs by job name and outcome", incremental: true })

/**
 * What every adapter does once a job ran: count it, and log a failure with
 * its cause (a failing job must not go unnoticed: the expiry sweep once
 * failed every minute on Postgres and nothing said so).
 */
export const observeJobRun = (job: { readonly name: string; readonly attempt: number; readonly id: string }, exit: Exit.Exit<void, unknown>) =>
  Effect.gen(function*() {
    const outcome = Exit.isSuccess(exit) ? "ok" : "failed"
    yield* Metric.update(Metric.withAttributes(jobRuns, { job: job.name, outcome }), 1)
    if (Exit.isFailure(exit)) {
      yield* Effect.logError(`job ${job.name} failed`).pipe(
        Effect.annotateLogs({ job: job.name, jobId: job.id, attempt: job.attempt, cause: Cause.pretty(exit.cause).slice(0, 2000) }),
      )
    }
  })
