import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { Opening, StoredEvent } from "../evidence/Event.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export interface StoredCheckpoint {
  readonly size: number
  /** Root hash, hex. */
  readonly root: string
  /** The signed note as issued by the log (C2SP signed-note text). */
  readonly note: string
  /** RFC 3161 token over SHA-256 of the note, base64; null when no TSA answered. */
  readonly timestamp: string | null
  readonly createdAt: number
}

/** A subject's latest event: what the next one links to (and the document digests it named). */
export interface ChainHead {
  readonly seq: number
  readonly hash: string
  readonly body: string
}

/** A witness's cosignature of one of our checkpoints (a C2SP signature line), verified before it is stored. */
export interface StoredCosignature {
  readonly size: number
  readonly witness: string
  /** The note signature line, "— name base64(keyID || timestamp || signature)". */
  readonly line: string
  readonly createdAt: number
}

/** A bundle frozen when its evidence report (出证报告) was issued, found again by the report's verification code. */
export interface StoredReport {
  readonly code: string
  readonly subject: string
  /** The bundle as JSON text, without openings (the public page shows it to whoever holds the code). */
  readonly bundle: string
  readonly createdAt: number
}

/**
 * Evidence events, their openings, the sequencing queue and checkpoints.
 * Events, leaves and checkpoints are append-only (the SQL tables refuse UPDATE
 * and DELETE); openings can only be erased.
 */
export interface EvidenceStoreShape {
  /**
   * Whether writers to this store are serialised (SQLite: one writer at a
   * time), so that events can enter the Merkle log in the transaction that
   * records them: recordEvents then appends a large batch's leaves to the
   * TreeStore and passes `firstLeaf`; no queue, no second pass. Where
   * writers run in parallel (Postgres) they would all contend on the tree's
   * frontier: events wait in the queue and a single sequencer appends them.
   */
  readonly sequencesOnInsert: boolean
  /**
   * Stores events with their openings, all in a few statements; fails if a
   * subject's `seq` is taken (a concurrent writer). With `firstLeaf` the
   * events are already in the tree at log indexes firstLeaf, firstLeaf + 1, ...
   * (in the order given); with null they are queued for the sequencer.
   */
  readonly insertEvents: (events: ReadonlyArray<StoredEvent>, openings: ReadonlyArray<Opening>, firstLeaf: number | null) => Op<void>
  /**
   * The last event (chain head) of each subject that has one. Inside a
   * transaction it also reserves the subjects (Postgres: advisory locks) so
   * that concurrent writers queue up instead of colliding on `seq`.
   */
  readonly chainHeads: (subjects: ReadonlyArray<string>) => Op<ReadonlyMap<string, ChainHead>>
  /** The event at a log index, once sequenced. */
  readonly eventAt: (leafIndex: number) => Op<Option.Option<StoredEvent & { readonly leafIndex: number }>>
  /** Every event of a subject in chain order, with its log index once sequenced. */
  readonly eventsOf: (subject: string) => Op<ReadonlyArray<StoredEvent & { readonly leafIndex: number | null }>>
  readonly openingsOf: (eventIds: ReadonlyArray<string>) => Op<ReadonlyArray<Opening>>
  /** Erases the openings of a subject's events (personal data removal); the commitments stay. */
  readonly eraseOpenings: (eventIds: ReadonlyArray<string>) => Op<number>
  /** Up to `limit` queued events, oldest first. */
  readonly pending: (limit: number) => Op<ReadonlyArray<{ readonly id: string; readonly body: string }>>
  /** Records the log index of queued events and takes them off the queue. */
  readonly sequenced: (leaves: ReadonlyArray<{ readonly index: number; readonly eventId: string }>) => Op<void>
  readonly saveCheckpoint: (checkpoint: Omit<StoredCheckpoint, "timestamp">) => Op<void>
  readonly saveTimestamp: (size: number, token: string, createdAt: number) => Op<void>
  readonly latestCheckpoint: Op<Option.Option<StoredCheckpoint>>
  readonly checkpointAt: (size: number) => Op<Option.Option<StoredCheckpoint>>
  /** Stores a verified cosignature; false if this witness already cosigned that checkpoint. */
  readonly saveCosignature: (cosignature: StoredCosignature) => Op<boolean>
  readonly cosignaturesAt: (size: number) => Op<ReadonlyArray<StoredCosignature>>
  /** The largest checkpoint size at least `minSize` that some witness cosigned. */
  readonly latestCosignedSize: (minSize: number) => Op<Option.Option<number>>
  readonly saveReport: (report: StoredReport) => Op<void>
  readonly reportByCode: (code: string) => Op<Option.Option<StoredReport>>
}

export class EvidenceStore extends Context.Service<EvidenceStore, EvidenceStoreShape>()("core/ports/EvidenceStore") {}
