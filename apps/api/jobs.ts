import { Effect } from "effect"
import { ApiRepository } from "../../core/ports/ApiRepository.ts"
import { IDEMPOTENCY_TTL_MS } from "../../core/api/idempotency.ts"
import { deliverWebhook, WEBHOOK_JOB } from "../../core/api/webhooks.ts"
import { collectExpiredPreparedSignatures, PREPARED_CLEANUP_JOB } from "../../core/contracts/collectPreparedSignatures.ts"
import { expireDueContracts } from "../../core/contracts/contractActs.ts"
import { ARCHIVE_RENEWAL_DAYS, ARCHIVE_RENEWAL_JOB, renewArchiveTimestamps } from "../../core/contracts/renewArchives.ts"
import { JobQueue, type RetryPolicy } from "../../core/ports/JobQueue.ts"
import { LimitCounters } from "../../core/ports/LimitCounters.ts"

/**
 * Webhook retries: 30 s, 1, 2, 4 … minutes, then hourly, for 24 h (the
 * delivery gives itself up at 24 h; 30 retries is a ceiling, not the rule).
 */
export const WEBHOOK_RETRY: RetryPolicy = { limit: 30, baseDelayMs: 30_000, maxDelayMs: 3600_000 }

export interface JobOptions {
  readonly webhookRetry?: RetryPolicy | undefined
  /** Run the contract expiry sweep (C5) every minute as a recurring job (default on). */
  readonly expirySweep?: boolean | undefined
  /** B-LTA archive renewal window in days (SIGNET_ARCHIVE_RENEWAL_DAYS, default 90); the renewal runs daily. */
  readonly archiveRenewalDays?: number | undefined
}

/** Registers this process's workers: webhook deliveries, API clean-up, expired prepared signatures, the contract expiry sweep, the daily archive renewal. */
export const registerJobs = (options: JobOptions = {}) =>
  Effect.gen(function*() {
    const queue = yield* JobQueue
    const retry = options.webhookRetry ?? WEBHOOK_RETRY
    yield* queue.work(WEBHOOK_JOB, (job) => {
      const id = job.payload.delivery
      return typeof id === "string" ? deliverWebhook(id, { lastAttempt: job.attempt > retry.limit }) : Effect.void
    }, { retry })
    // Nonces older than the 5-minute window cannot be replayed anyway; idempotency records live a day; limit counters whose window is over count nothing.
    yield* queue.work("api-cleanup", () =>
      Effect.flatMap(Effect.clockWith((c) => c.currentTimeMillis), (now) =>
        ApiRepository.use((r) => r.purge(now - IDEMPOTENCY_TTL_MS)).pipe(Effect.andThen(LimitCounters.use((l) => l.purge(now))))))
    yield* queue.every("api-cleanup", 3600_000)
    // Prepared signatures (keys the signer holds) whose ten minutes are over: the row and its prepared revision.
    yield* queue.work(PREPARED_CLEANUP_JOB, () => Effect.asVoid(collectExpiredPreparedSignatures()))
    yield* queue.every(PREPARED_CLEANUP_JOB, 3600_000)
    if (options.expirySweep !== false) {
      yield* queue.work("contracts-expire", () => Effect.asVoid(expireDueContracts()))
      yield* queue.every("contracts-expire", 60_000)
    }
    // B-LTA: a document timestamp whose TSA certificate expires within the window gets a new DSS and timestamp (nothing below B-LTA).
    const window = `${options.archiveRenewalDays ?? ARCHIVE_RENEWAL_DAYS} days` as const
    yield* queue.work(ARCHIVE_RENEWAL_JOB, () => Effect.asVoid(renewArchiveTimestamps({ window })))
    yield* queue.every(ARCHIVE_RENEWAL_JOB, 86_400_000)
  })
