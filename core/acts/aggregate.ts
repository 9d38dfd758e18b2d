/**
 * The write path of every act on an aggregate (a contract, an order): one
 * pattern, one concurrency policy, one transaction (issue 19).
 *
 *   load once → decide (the pure machine, plus slow work such as signing,
 *   outside any transaction) → in ONE transaction: the conditional write
 *   (version check), the act's other rows (history, document versions, the
 *   webhook sink), its evidence events and its 提醒 rows → after commit:
 *   the text messages and e-mails, which cannot be taken back.
 *
 * Optimistic concurrency lives here only. The policy: when the version
 * written against is no longer current, the act loads the aggregate again
 * and decides again (its machine judges the newer state: a second payment
 * notification finds the order paid, a second signer signs on top of the
 * first signature), up to MAX_ATTEMPTS times; then it fails with the
 * aggregate's own "busy" error. A loser never writes anything.
 *
 * Lives beside the contexts, not in core/kernel: it depends on the evidence
 * recorder and the notices, which depend on the kernel.
 */
import { Data, Effect } from "effect"
import { EvidenceRecorder } from "../evidence/EvidenceRecorder.ts"
import type { RecordEventInput } from "../evidence/recordEvent.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import { recordNotice, textNotice, type Notice } from "../notifications/notify.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"

/** How many times an act is decided again after losing a race before it gives up. */
export const MAX_ATTEMPTS = 8

/** The evidence of an act, as recorded by the EvidenceRecorder (the client's address and agent are added by it). */
export type ActEvidence = Omit<RecordEventInput, "ip" | "userAgent">

/** Someone else wrote the aggregate between our read and our write (internal: the act is decided again). */
class VersionConflict extends Data.TaggedError("VersionConflict")<{}> {}

/** How an aggregate is read and conditionally written. */
export interface AggregateStore<S, EL, RL, RS, B> {
  /** The current state (fails when there is none: not found). */
  readonly load: Effect.Effect<S, EL, RL>
  /** Writes `next` only if the stored version is still `current`'s; false when another write came first. */
  readonly save: (next: S, current: S) => Effect.Effect<boolean, RepositoryError, RS>
  /** The error an act ends with once every attempt lost its race. */
  readonly busy: () => B
}

/** One act: its decision and what it writes and tells beside the new state. */
export interface Act<S, A, E, R, EW, RW, RA> {
  /** The state as the caller already loaded it (for its access checks): the first attempt decides on it without loading again. */
  readonly loaded?: S | undefined
  /** The transition: the machine's judgement and any slow work; runs outside the transaction, again on each retry. */
  readonly decide: (current: S) => Effect.Effect<{ readonly next: S; readonly result: A }, E, R>
  /** The act's other rows (history, versions, sinks), in the write's transaction. */
  readonly within?: ((saved: S, current: S, result: A) => Effect.Effect<unknown, EW, RW>) | undefined
  /** The act's evidence events, recorded in the write's transaction, in this order. */
  readonly evidence?: ((saved: S, current: S, result: A) => ReadonlyArray<ActEvidence>) | undefined
  /** Who is told: their 提醒 rows commit with the act; the texts go out after commit. */
  readonly notices?: ((saved: S, current: S, result: A) => ReadonlyArray<Notice>) | undefined
  /** Other messages that cannot be taken back (e-mail), after commit; their failures are theirs to log. */
  readonly afterCommit?: ((saved: S, result: A) => Effect.Effect<void, never, RA>) | undefined
}

/**
 * Runs an act on an aggregate (see the module comment). Returns the state
 * as saved and the decision's result.
 */
export const runAct = <S, EL, RL, RS, B, A, E, R, EW = never, RW = never, RA = never>(
  store: AggregateStore<S, EL, RL, RS, B>,
  act: Act<S, A, E, R, EW, RW, RA>,
) =>
  Effect.gen(function*() {
    const uow = yield* UnitOfWork
    const recorder = yield* EvidenceRecorder
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = attempt === 0 && act.loaded !== undefined ? act.loaded : yield* store.load
      const { next, result } = yield* act.decide(current)
      const written = yield* uow.transact(Effect.gen(function*() {
        if (!(yield* store.save(next, current))) return yield* new VersionConflict()
        if (act.within !== undefined) yield* act.within(next, current, result)
        const events = act.evidence?.(next, current, result) ?? []
        if (events.length > 0) yield* recorder.record(events)
        const told = act.notices?.(next, current, result) ?? []
        for (const n of told) yield* recordNotice(n.mobile, n.content)
        return told
      })).pipe(Effect.catchTag("VersionConflict", () => Effect.succeed(null)))
      if (written === null) continue
      for (const n of written) yield* textNotice(n.mobile, n.content)
      if (act.afterCommit !== undefined) yield* act.afterCommit(next, result)
      return { saved: next, result }
    }
    return yield* Effect.fail(store.busy())
  })
