import { Clock, Effect, Option, Schedule } from "effect"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { TreeStore } from "../ports/TreeStore.ts"
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
 * are unpublished or the oldest has waited `maxDelayMs`. Unpublished: in
 * the tree beyond the latest checkpoint (stores that log events as they are
 * recorded) or still queued for the sequencer. Returns whether it published.
 */
export const publishWhenDue = Effect.fn("evidence.publishWhenDue")(function*(policy: PublishPolicy) {
  const store = yield* EvidenceStore
  const size = yield* (yield* TreeStore).size
  const covered = Option.match(yield* store.latestCheckpoint, { onNone: () => 0, onSome: (c) => c.size })
  const queued = yield* store.pending(Math.max(0, policy.batch - (size - covered)))
  const waiting = size - covered + queued.length
  if (waiting === 0) return false
  const oldest = size > covered ? Option.getOrUndefined(yield* store.eventAt(covered))?.body : queued[0]?.body
  const at = oldest === undefined ? 0 : (JSON.parse(oldest) as { readonly at: number }).at
  if (waiting < policy.batch && (yield* Clock.currentTimeMillis) - at < policy.maxDelayMs) return false
  yield* publish(policy.batch)
  return true
})

/** The publishing loop an app runs in the background; a failed round is logged and retried on the next tick. */
export const runPublisher = (policy: PublishPolicy = defaultPolicy) =>
  publishWhenDue(policy).pipe(
    Effect.catchCause((cause) => Effect.logWarning("evidence publish failed", cause)),
    Effect.repeat(Schedule.spaced(policy.everyMs)),
  )
