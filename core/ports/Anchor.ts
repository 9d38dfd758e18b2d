import { Context, Data, type Effect } from "effect"

/** The external ledger or notary did not take the checkpoint. */
export class AnchorFailed extends Data.TaggedError("AnchorFailed")<{ readonly reason: string }> {}

/**
 * Publishes checkpoints somewhere outside our control (a file others mirror,
 * a public ledger, a newspaper). Anchors are extra evidence, never the trust
 * root: bundles verify without them. No adapter wired = no anchoring.
 */
export interface AnchorShape {
  readonly name: string
  /** Anchors the signed note; returns where it can be found. */
  readonly anchor: (note: string, size: number) => Effect.Effect<{ readonly reference: string }, AnchorFailed>
}

export class Anchor extends Context.Service<Anchor, AnchorShape>()("core/ports/Anchor") {}
