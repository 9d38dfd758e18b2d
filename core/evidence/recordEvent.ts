import { Clock, Effect, Option, Result } from "effect"
import { Base64, Hex } from "effect/encoding"
import { Crypto } from "../ports/Crypto.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { canonicalize } from "./canonicalJson.ts"
import { EVENT_TYPES, EVENT_VERSION, type CommittedField, type EventBody, type EventType, type Opening, type StoredEvent } from "./Event.ts"

const utf8 = (s: string) => new TextEncoder().encode(s)

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
  /** Digests of the document the act concerns (SHA-256; SM3 when a Hash port supplies it). */
  readonly document?: { readonly sha256: Uint8Array; readonly sm3?: Uint8Array | undefined } | undefined
  /** Public facts of the act (no personal data: it cannot be erased from the log). */
  readonly data?: Readonly<Record<string, string | number | boolean | null>> | undefined
}

/**
 * Appends an event to its subject's hash chain and queues it for the global
 * log. Runs in the caller's transaction when there is one (UnitOfWork joins
 * it), so the event commits or rolls back with the change it records.
 */
export const recordEvent = Effect.fn("evidence.recordEvent")(function*(input: RecordEventInput) {
  const crypto = yield* Crypto
  const store = yield* EvidenceStore
  const id = yield* (yield* IdGenerator).next
  const at = yield* Clock.currentTimeMillis
  const subject = `${EVENT_TYPES[input.type]}:${input.subjectId}`
  const personal: ReadonlyArray<readonly [CommittedField, string | undefined]> = [["actor", input.actor], ["ip", input.ip], ["ua", input.userAgent]]
  const openings: Array<Opening> = []
  const commit: Partial<Record<CommittedField, string>> = {}
  for (const [field, value] of personal) {
    if (value === undefined) continue
    const salt = yield* crypto.randomBytes(32)
    commit[field] = Hex.encode(crypto.hmacSha256(salt, utf8(value)))
    openings.push({ eventId: id, field, salt: Base64.encode(salt), value })
  }
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const head = yield* store.chainHead(subject)
    const seq = Option.isSome(head) ? head.value.seq + 1 : 0
    const body: EventBody = {
      v: EVENT_VERSION,
      type: input.type,
      subject,
      seq,
      prev: Option.isSome(head) ? head.value.hash : null,
      at,
      role: input.role,
      commit,
      ...(input.document === undefined ? {} : {
        doc: {
          sha256: Hex.encode(input.document.sha256),
          ...(input.document.sm3 === undefined ? {} : { sm3: Hex.encode(input.document.sm3) }),
        },
      }),
      data: input.data ?? {},
    }
    const text = yield* Effect.fromResult(canonicalize(body))
    const event: StoredEvent = { id, subject, seq, type: input.type, body: text, hash: Hex.encode(crypto.sha256(utf8(text))), createdAt: at }
    yield* store.insertEvent(event, openings)
    return event
  }))
})

/** The commitment an opening claims to open (verifiers recompute and compare). */
export const commitmentOf = (hmacSha256: (key: Uint8Array, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array, opening: Pick<Opening, "salt" | "value">) =>
  Result.map(Base64.decode(opening.salt), (salt) => Hex.encode(hmacSha256(salt, utf8(opening.value))))
