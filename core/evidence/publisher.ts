import { Clock, Effect, Schedule } from "effect"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { publish } from "./checkpoint.ts"

export interface PublishPolicy {
  /** Publish as soon as this many events wait. */
  readonly batch: number
  /** ...or when the oldest waiting event is this old. */
  readonly maxDelayMs: number
  /** How often to look. */
  readonly everyMs: number
}

/** Dev and production default: one checkpoint per 1,000 events or per minute, whichever comes first. */
export const defaultPolicy: PublishPolicy = { batch: 1_000, maxDelayMs: 60_000, everyMs: 2_000 }

/**
 * Batching rule: a checkpoint (signature + TSA round trip) per event would
 * cap throughput at the TSA's speed, so events wait until `batch` of them
 * are queued or the oldest has waited `maxDelayMs`. Returns whether it published.
 */
export const publishWhenDue = Effect.fn("evidence.publishWhenDue")(function*(policy: PublishPolicy) {
  const waiting = yield* (yield* EvidenceStore).pending(policy.batch)
  const oldest = waiting[0]
  if (oldest === undefined) return false
  const at = (JSON.parse(oldest.body) as { readonly at: number }).at
  if (waiting.length < policy.batch && (yield* Clock.currentTimeMillis) - at < policy.maxDelayMs) return false
  yield* publish(policy.batch)
  return true
})

/** The publishing loop an app runs in the background; a failed round is logged and retried on the next tick. */
export const runPublisher = (policy: PublishPolicy = defaultPolicy) =>
  publishWhenDue(policy).pipe(
    Effect.catchCause((cause) => Effect.logWarning("evidence publish failed", cause)),
    Effect.repeat(Schedule.spaced(policy.everyMs)),
  )
