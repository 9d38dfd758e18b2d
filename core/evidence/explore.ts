/**
 * X3 证据查询 for staff: a subject's chain found by contract number or by the
 * log index of any of its events, each event with its fields, its link to the
 * one before, its inclusion proof against the latest checkpoint and whether
 * that proof verifies. Personal data shows as commitments only: staff hold no
 * role that may open them (openings go to the people themselves, in bundles).
 */
import { Effect, Option, Result, Schema } from "effect"
import { Hex } from "effect/encoding"
import { sha256 } from "../crypto/sha256.ts"
import { NotFound } from "../kernel/errors.ts"
import { Crypto } from "../ports/Crypto.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { logVerifierKey } from "./checkpoint.ts"
import { EventBody, Subject } from "./Event.ts"
import { leafHash, verifyInclusion } from "./merkle.ts"
import { parseCheckpoint, parseVerifierKey, verifyNote } from "./note.ts"
import { inclusionProof } from "./tree.ts"

export type ExploreQuery =
  /** 19 digits: a contract number or an order number, as typed (ids are unique across both). */
  | { readonly kind: "number"; readonly id: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "subject"; readonly subject: string }

/** Reads what staff typed: a 19-digit contract or order number, a log index ("#12" or a shorter number), or KIND:ID. */
export const parseExploreQuery = (typed: string): ExploreQuery | null => {
  const q = typed.trim()
  if (/^\d{19}$/.test(q)) return { kind: "number", id: q }
  const index = /^#?(\d{1,15})$/.exec(q)
  if (index !== null) return { kind: "index", index: Number(index[1]) }
  return Result.isSuccess(Schema.decodeUnknownResult(Subject)(q)) ? { kind: "subject", subject: q } : null
}

export const exploreEvidence = Effect.fn("evidence.explore")(function*(query: ExploreQuery) {
  const store = yield* EvidenceStore
  let subject: string
  let focus: number | null = null
  if (query.kind === "index") {
    const at = yield* store.eventAt(query.index)
    if (Option.isNone(at)) return yield* new NotFound({ entity: "evidence event", id: `#${query.index}` })
    subject = at.value.subject
    focus = query.index
  } else subject = query.kind === "number" ? `contract:${query.id}` : query.subject
  let stored = yield* store.eventsOf(subject)
  if (stored.length === 0 && query.kind === "number") {
    // Not a contract's number: an order's (签约编号 and 订单号 are both 19 digits).
    subject = `order:${query.id}`
    stored = yield* store.eventsOf(subject)
  }
  if (stored.length === 0) return yield* new NotFound({ entity: "evidence subject", id: subject })

  const latest = yield* store.latestCheckpoint
  const key = parseVerifierKey((yield* Crypto).sha256, yield* logVerifierKey)
  const checkpoint = Option.isNone(latest) ? null : yield* Effect.gen(function*() {
    const signed = Result.isSuccess(key) ? yield* verifyNote(latest.value.note, [key.success]) : Result.fail("no log key")
    const cp = Result.isSuccess(signed) ? parseCheckpoint(signed.success.text) : Result.fail(signed.failure)
    return { ...latest.value, signatureValid: Result.isSuccess(cp), root: Result.isSuccess(cp) ? cp.success.root : null }
  })

  const events = []
  let previous: string | null = null
  for (const e of stored) {
    const body = Result.getOrUndefined(Schema.decodeUnknownResult(EventBody)(JSON.parse(e.body)))
    const proven = e.leafIndex !== null && checkpoint !== null && e.leafIndex < checkpoint.size
    const proof = proven ? (yield* inclusionProof(e.leafIndex!, checkpoint!.size)) : null
    events.push({
      id: e.id,
      index: e.leafIndex,
      seq: e.seq,
      type: e.type,
      hash: e.hash,
      body,
      /** Does `prev` name the hash of the event before it (null for the first)? */
      linked: body !== undefined && body.prev === previous && Hex.encode(sha256(new TextEncoder().encode(e.body))) === e.hash,
      proof: proof === null ? null : proof.map((h) => Hex.encode(h)),
      /** Does the proof put this event in the checkpoint's tree? null: not in a checkpoint yet. */
      included: proof === null || checkpoint === null || checkpoint.root === null
        ? null
        : verifyInclusion(sha256, e.leafIndex!, checkpoint.size, leafHash(sha256, new TextEncoder().encode(e.body)), proof, checkpoint.root),
    })
    previous = e.hash
  }
  return { subject, focus, events, checkpoint }
})
