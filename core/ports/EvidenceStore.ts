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

/**
 * Evidence events, their openings, the sequencing queue and checkpoints.
 * Events, leaves and checkpoints are append-only (the SQL tables refuse UPDATE
 * and DELETE); openings can only be erased.
 */
export interface EvidenceStoreShape {
  /** Stores an event with its openings and queues it for the log; fails if the subject's `seq` is taken (a concurrent writer). */
  readonly insertEvent: (event: StoredEvent, openings: ReadonlyArray<Opening>) => Op<void>
  /** The last event of a subject (its chain head). */
  readonly chainHead: (subject: string) => Op<Option.Option<{ readonly seq: number; readonly hash: string }>>
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
}

export class EvidenceStore extends Context.Service<EvidenceStore, EvidenceStoreShape>()("core/ports/EvidenceStore") {}
