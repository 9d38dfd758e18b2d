import { Clock, Effect, Option, Result } from "effect"
import { Base64, Hex } from "effect/encoding"
import { base64 } from "../crypto/asciiText.ts"
import { hmacSha256Utf8Hex } from "../crypto/sha256.ts"
import { sm3 as pureSm3 } from "../crypto/sm3.ts"
import { RepositoryError } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { Crypto, type CryptoShape } from "../ports/Crypto.ts"
import { EvidenceStore, type ChainHead } from "../ports/EvidenceStore.ts"
import { Hash } from "../ports/Hash.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import type { NotCanonicalJson } from "./EvidenceErrors.ts"
import { eventBodyText } from "./eventText.ts"
import { appendLeaves } from "./tree.ts"
import { EVENT_TYPES, EVENT_VERSION, ROLE_PATTERN, type CommittedField, type EventBody, type EventType, type Opening, type StoredEvent } from "./Event.ts"

const encoder = new TextEncoder()
const utf8 = (s: string) => encoder.encode(s)

export interface RecordEventInput {
  readonly type: EventType
  /** The id of the user, contract, order... the event is about; its kind follows from the type. */
  readonly subjectId: string
  /** Who acted, in which capacity ("user", "staff", "party", "system"). */
  readonly role: string
  /** Personal data, committed to with a fresh salt each: the actor's id, client address, user agent. */
  readonly actor?: string | undefined
  readonly ip?: string | undefined
  readonly userAgent?: string | undefined
  /**
   * Digests of the document the act concerns. SM3 may be left out: it is
   * taken from the subject's previous event when that named the same
   * document, else computed from the document in the BlobStore.
   */
  readonly document?: { readonly sha256: Uint8Array; readonly sm3?: Uint8Array | undefined } | undefined
  /** Public facts of the act (no personal data: it cannot be erased from the log). */
  readonly data?: Readonly<Record<string, string | number | boolean | null>> | undefined
}

/** The SM3 a subject's head event recorded for the document with this SHA-256, if it named that one. */
const sm3FromHead = (head: ChainHead | undefined, sha256: string): string | undefined => {
  if (head === undefined) return undefined
  const doc = (JSON.parse(head.body) as { readonly doc?: { readonly sha256: string; readonly sm3?: string } }).doc
  return doc?.sha256 === sha256 ? doc.sm3 : undefined
}

/** SM3 of a document's bytes: the Hash port when wired, the pure implementation otherwise. */
export const documentSm3 = (bytes: Uint8Array): Effect.Effect<Uint8Array> =>
  Effect.map(Effect.serviceOption(Hash), (hash) => Option.isSome(hash) ? hash.value.sm3(bytes) : pureSm3(bytes))

/** SM3 of a stored document (by its SHA-256), read from the BlobStore. */
const sm3OfStored = (sha256: string) =>
  Effect.gen(function*() {
    const blobs = yield* Effect.serviceOption(BlobStore)
    const bytes = Option.isSome(blobs)
      ? yield* blobs.value.get(sha256).pipe(Effect.mapError((cause) => new RepositoryError({ operation: "evidence.documentSm3", cause })))
      : Option.none()
    if (Option.isNone(bytes)) {
      return yield* new RepositoryError({ operation: "evidence.documentSm3", cause: `document ${sha256} is not in the blob store: its SM3 cannot be recorded` })
    }
    return Hex.encode(yield* documentSm3(bytes.value))
  })

/**
 * Batches of at least this many events enter the tree in their recording
 * transaction where the store allows it: three more statements (tree size,
 * frontier, nodes) pay off against a queue row, its later read and delete
 * and a second encoding per event. Fewer events (a single state change)
 * are queued: one row each, sequenced in batches in the background.
 */
export const SEQUENCE_INLINE_MIN = 32

interface Prepared {
  readonly input: RecordEventInput
  readonly id: string
  readonly commit: EventBody["commit"]
  readonly subject: string
}

/** How many personal fields an input commits to (a salt each). */
const personalFields = (input: RecordEventInput) =>
  (input.actor === undefined ? 0 : 1) + (input.ip === undefined ? 0 : 1) + (input.userAgent === undefined ? 0 : 1)

/** Commits to one personal field under the 32-byte salt at `offset` in `salts`, and keeps its opening; returns the next offset. */
const commitField = (
  field: CommittedField, value: string | undefined, eventId: string, salts: Uint8Array, offset: number,
  commit: Partial<Record<CommittedField, string>>, openings: Array<Opening>,
): number => {
  if (value === undefined) return offset
  const salt = salts.subarray(offset, offset + 32)
  commit[field] = hmacSha256Utf8Hex(salt, value)
  openings.push({ eventId, field, salt: base64(salt), value })
  return offset + 32
}

/**
 * The commitments of every input, with their openings (plain code, as the
 * per-event work below: an event costs microseconds, and a generator's
 * iterators and destructuring per event were a measurable share of them).
 */
const prepare = (inputs: ReadonlyArray<RecordEventInput>, eventIds: ReadonlyArray<string>, salts: Uint8Array, openings: Array<Opening>) => {
  const prepared: Array<Prepared> = []
  let offset = 0
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!
    const id = eventIds[k]!
    const commit: Partial<Record<CommittedField, string>> = {}
    offset = commitField("actor", input.actor, id, salts, offset, commit, openings)
    offset = commitField("ip", input.ip, id, salts, offset, commit, openings)
    offset = commitField("ua", input.userAgent, id, salts, offset, commit, openings)
    prepared.push({ input, id, commit, subject: `${EVENT_TYPES[input.type]}:${input.subjectId}` })
  }
  return prepared
}

/** A batch being encoded: its chain heads as they advance, and what it has produced so far. */
interface Batch {
  readonly prepared: ReadonlyArray<Prepared>
  readonly heads: Map<string, ChainHead>
  readonly at: number
  readonly crypto: CryptoShape
  /** Whether the leaves are wanted (the batch enters the tree in its transaction). */
  readonly inline: boolean
  /** SM3 digests read from the blob store, by the document's SHA-256 (hex). */
  readonly sm3s: Map<string, string>
  readonly events: Array<StoredEvent>
  readonly leaves: Array<Uint8Array>
}

/**
 * Encodes, hashes and chains the batch's events from index `from` on.
 * Returns the index of the first event whose document's SM3 has to be read
 * from the blob store first (the caller reads it into `sm3s` and resumes
 * there), or the batch's size when every event is done.
 */
const encodeFrom = (batch: Batch, from: number): Result.Result<number, NotCanonicalJson> => {
  const { prepared, heads, at, crypto } = batch
  for (let k = from; k < prepared.length; k++) {
    const { input, id, commit, subject } = prepared[k]!
    const head = heads.get(subject)
    let doc: { sha256: string; sm3: string } | undefined
    if (input.document !== undefined) {
      const sha256 = Hex.encode(input.document.sha256)
      const sm3 = input.document.sm3 !== undefined ? Hex.encode(input.document.sm3) : sm3FromHead(head, sha256) ?? batch.sm3s.get(sha256)
      if (sm3 === undefined) return Result.succeed(k)
      doc = { sha256, sm3 }
    }
    const seq = head === undefined ? 0 : head.seq + 1
    const prev = head === undefined ? null : head.hash
    const data = input.data ?? {}
    const body: EventBody = doc === undefined
      ? { v: EVENT_VERSION, type: input.type, subject, seq, prev, at, role: input.role, commit, data }
      : { v: EVENT_VERSION, type: input.type, subject, seq, prev, at, role: input.role, commit, doc, data }
    const text = eventBodyText(body)
    if (Result.isFailure(text)) return Result.fail(text.failure)
    const hash = crypto.sha256TextHex(text.success)
    // Leaf = SHA-256(0x00 || event): U+0000 is that one byte in UTF-8.
    if (batch.inline) batch.leaves.push(crypto.sha256Text(`\u0000${text.success}`))
    heads.set(subject, { seq, hash, body: text.success })
    batch.events.push({ id, subject, seq, type: input.type, body: text.success, hash, createdAt: at })
  }
  return Result.succeed(prepared.length)
}

/**
 * Appends events to their subjects' hash chains and hands them to the global
 * log, in a handful of statements however many there are (a bulk import, a
 * batch of contracts sent at once). Runs in the caller's transaction when
 * there is one (UnitOfWork joins it), so the events commit or roll back with
 * the changes they record. Events of one subject are chained in the order
 * given. Where the store's writers are serialised (SQLite), a batch of at
 * least SEQUENCE_INLINE_MIN events enters the Merkle tree right here;
 * otherwise events are queued for the sequencer.
 */
export const recordEvents = Effect.fn("evidence.recordEvents")(function*(inputs: ReadonlyArray<RecordEventInput>) {
  if (inputs.length === 0) return []
  const crypto = yield* Crypto
  const store = yield* EvidenceStore
  const ids = yield* IdGenerator
  const at = yield* Clock.currentTimeMillis
  let fields = 0
  for (const input of inputs) {
    // The verifier refuses such an event forever: a caller passing one is a bug, stopped before anything is written.
    if (!ROLE_PATTERN.test(input.role)) return yield* Effect.die(new Error(`evidence role "${input.role}" is not ${ROLE_PATTERN.source}`))
    fields += personalFields(input)
  }
  const salts = yield* crypto.randomBytes(32 * fields)
  const openings: Array<Opening> = []
  const prepared = prepare(inputs, yield* ids.nextMany(inputs.length), salts, openings)
  const inline = store.sequencesOnInsert && inputs.length >= SEQUENCE_INLINE_MIN
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const heads = new Map(yield* store.chainHeads([...new Set(prepared.map((p) => p.subject))]))
    const batch: Batch = { prepared, heads, at, crypto, inline, sm3s: new Map(), events: [], leaves: [] }
    let next = encodeFrom(batch, 0)
    while (Result.isSuccess(next) && next.success < prepared.length) {
      const sha256 = Hex.encode(prepared[next.success]!.input.document!.sha256)
      batch.sm3s.set(sha256, yield* sm3OfStored(sha256))
      next = encodeFrom(batch, next.success)
    }
    if (Result.isFailure(next)) return yield* next.failure
    // Serialised writers and a batch worth it: the leaves join the tree in this transaction, in the order of the events.
    const firstLeaf = inline ? (yield* appendLeaves(batch.leaves)) - batch.leaves.length : null
    yield* store.insertEvents(batch.events, openings, firstLeaf)
    return batch.events
  }))
})

/** Records one event (see recordEvents). */
export const recordEvent = (input: RecordEventInput) => Effect.map(recordEvents([input]), (events) => events[0]!)

/** The commitment an opening claims to open (verifiers recompute and compare). */
export const commitmentOf = (hmacSha256: (key: Uint8Array, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array, opening: Pick<Opening, "salt" | "value">) =>
  Result.map(Base64.decode(opening.salt), (salt) => Hex.encode(hmacSha256(salt, utf8(opening.value))))
