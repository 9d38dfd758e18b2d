import { Data, Effect } from "effect"
import { withEvidence, type EventOf } from "../evidence/EvidenceRecorder.ts"

/** The conditional write found nothing to change (internal: turns into `false`). */
class Unchanged extends Data.TaggedError("Unchanged")<{}> {}

/**
 * Runs a conditional write (false: nothing matched) with its evidence event in
 * one transaction; when the write changes nothing, no event is kept either.
 */
export const recordIfChanged = <E, R>(write: Effect.Effect<boolean, E, R>, event: EventOf<boolean>) =>
  withEvidence(Effect.flatMap(write, (ok) => (ok ? Effect.succeed(true) : Effect.fail(new Unchanged()))), event).pipe(
    Effect.catchIf((e): e is Unchanged => e instanceof Unchanged, () => Effect.succeed(false)),
  )
