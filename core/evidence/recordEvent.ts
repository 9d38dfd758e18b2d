import { Clock, Effect, Option, Result } from "effect"
import { Base64, Hex } from "effect/encoding"
import { hmacSha256Utf8Hex } from "../crypto/sha256.ts"
import { sm3 as pureSm3 } from "../crypto/sm3.ts"
import { RepositoryError } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { Crypto } from "../ports/Crypto.ts"
import { EvidenceStore, type ChainHead } from "../ports/EvidenceStore.ts"
import { Hash } from "../ports/Hash.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
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

const PERSONAL: ReadonlyArray<readonly [CommittedField, (i: RecordEventInput) => string | undefined]> = [
  ["actor", (i) => i.actor], ["ip", (i) => i.ip], ["ua", (i) => i.userAgent],
]

/** The SM3 a subject's head event recorded for the document with this SHA-256, if it named that one. */
const sm3FromHead = (head: ChainHead | undefined, sha256: string): string | undefined => {
  if (head === undefined) return undefined
  const doc = (JSON.parse(head.body) as { readonly doc?: { readonly sha256: string; readonly sm3?: string } }).doc
  return doc?.sha256 === sha256 ? doc.sm3 : undefined
}

/** SM3 of a stored document (by its SHA-256): the Hash port when wired, the pure implementation otherwise. */
const sm3OfStored = (sha256: string) =>
  Effect.gen(function*() {
    const blobs = yield* Effect.serviceOption(BlobStore)
    const bytes = Option.isSome(blobs)
      ? yield* blobs.value.get(sha256).pipe(Effect.mapError((cause) => new RepositoryError({ operation: "evidence.documentSm3", cause })))
      : Option.none()
    if (Option.isNone(bytes)) {
      return yield* new RepositoryError({ operation: "evidence.documentSm3", cause: `document ${sha256} is not in the blob store: its SM3 cannot be recorded` })
    }
    const hash = yield* Effect.serviceOption(Hash)
    return Hex.encode(Option.isSome(hash) ? hash.value.sm3(bytes.value) : pureSm3(bytes.value))
  })

/**
 * Batches of at least this many events enter the tree in their recording
 * transaction where the store allows it: three more statements (tree size,
 * frontier, nodes) pay off against a queue row, its later read and delete
 * and a second encoding per event. Fewer events (a single state change)
 * are queued: one row each, sequenced in batches in the background.
 */
export const SEQUENCE_INLINE_MIN = 32

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
    for (const [, get] of PERSONAL) if (get(input) !== undefined) fields++
  }
  const salts = yield* crypto.randomBytes(32 * fields)
  let saltAt = 0
  const prepared: Array<{ readonly input: RecordEventInput; readonly id: string; readonly commit: EventBody["commit"]; readonly subject: string }> = []
  const openings: Array<Opening> = []
  const eventIds = yield* ids.nextMany(inputs.length)
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!
    const id = eventIds[k]!
    const commit: Partial<Record<CommittedField, string>> = {}
    for (const [field, get] of PERSONAL) {
      const value = get(input)
      if (value === undefined) continue
      const salt = salts.subarray(saltAt, saltAt + 32)
      saltAt += 32
      commit[field] = hmacSha256Utf8Hex(salt, value)
      openings.push({ eventId: id, field, salt: Base64.encode(salt), value })
    }
    prepared.push({ input, id, commit, subject: `${EVENT_TYPES[input.type]}:${input.subjectId}` })
  }
  const inline = store.sequencesOnInsert && inputs.length >= SEQUENCE_INLINE_MIN
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const heads = new Map(yield* store.chainHeads([...new Set(prepared.map((p) => p.subject))]))
    const events: Array<StoredEvent> = []
    const leaves: Array<Uint8Array> = []
    for (const { input, id, commit, subject } of prepared) {
      const head = heads.get(subject)
      let doc: { sha256: string; sm3: string } | undefined
      if (input.document !== undefined) {
        const sha256 = Hex.encode(input.document.sha256)
        const sm3 = input.document.sm3 !== undefined ? Hex.encode(input.document.sm3) : sm3FromHead(head, sha256) ?? (yield* sm3OfStored(sha256))
        doc = { sha256, sm3 }
      }
      const seq = head === undefined ? 0 : head.seq + 1
      const prev = head === undefined ? null : head.hash
      const data = input.data ?? {}
      const body: EventBody = doc === undefined
        ? { v: EVENT_VERSION, type: input.type, subject, seq, prev, at, role: input.role, commit, data }
        : { v: EVENT_VERSION, type: input.type, subject, seq, prev, at, role: input.role, commit, doc, data }
      const text = eventBodyText(body)
      if (Result.isFailure(text)) return yield* text.failure
      const event: StoredEvent = { id, subject, seq: body.seq, type: input.type, body: text.success, hash: crypto.sha256TextHex(text.success), createdAt: at }
      // Leaf = SHA-256(0x00 || event): U+0000 is that one byte in UTF-8.
      if (inline) leaves.push(Result.getOrThrow(Hex.decode(crypto.sha256TextHex(`\u0000${text.success}`))))
      heads.set(subject, { seq: event.seq, hash: event.hash, body: text.success })
      events.push(event)
    }
    // Serialised writers and a batch worth it: the leaves join the tree in this transaction, in the order of the events.
    const firstLeaf = inline ? (yield* appendLeaves(leaves)) - leaves.length : null
    yield* store.insertEvents(events, openings, firstLeaf)
    return events
  }))
})

/** Records one event (see recordEvents). */
export const recordEvent = (input: RecordEventInput) => Effect.map(recordEvents([input]), (events) => events[0]!)

/** The commitment an opening claims to open (verifiers recompute and compare). */
export const commitmentOf = (hmacSha256: (key: Uint8Array, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array, opening: Pick<Opening, "salt" | "value">) =>
  Result.map(Base64.decode(opening.salt), (salt) => Hex.encode(hmacSha256(salt, utf8(opening.value))))
