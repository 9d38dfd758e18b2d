import { Clock, Effect, Option, Result, Schema } from "effect"
import { Hex } from "effect/encoding"
import { NotFound } from "../kernel/errors.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { Bundle, BUNDLE_FORMAT } from "./Bundle.ts"
import { logVerifierKey, publish, signNote } from "./checkpoint.ts"
import { historyStatement } from "./note.ts"
import { NoCheckpoint } from "./EvidenceErrors.ts"
import { EventBody } from "./Event.ts"
import { inclusionProof } from "./tree.ts"
import { formatWitnessKey, parseCosignatureLine } from "./witness.ts"
import { Witnesses } from "../ports/Witnesses.ts"

/**
 * Builds the evidence bundle of a subject ("user:…", "contract:…"). Queued
 * events are first sequenced and checkpointed so that every event of the
 * subject is proven. The events are proven against the newest checkpoint a
 * witness cosigned that covers them all, else the latest one. Openings are
 * included only when `withOpenings` (the requester may see the personal data
 * of these acts).
 */
export const exportBundle = Effect.fn("evidence.exportBundle")(function*(subject: string, options: {
  readonly withOpenings: boolean
  /** Only the openings of events this actor performed (a party sees their own personal data, not the others'). */
  readonly onlyActor?: string | undefined
}) {
  const store = yield* EvidenceStore
  yield* publish()
  const events = yield* store.eventsOf(subject)
  if (events.length === 0) return yield* new NotFound({ entity: "evidence subject", id: subject })
  const latest = yield* store.latestCheckpoint
  if (Option.isNone(latest)) return yield* new NoCheckpoint()
  const covering = Math.max(...events.map((e) => (e.leafIndex ?? Number.MAX_SAFE_INTEGER - 1) + 1))
  const cosigned = yield* store.latestCosignedSize(covering)
  const witnessed = Option.isSome(cosigned) && cosigned.value <= latest.value.size ? yield* store.checkpointAt(cosigned.value) : Option.none()
  const checkpoint = Option.getOrElse(witnessed, () => latest.value)
  const all = options.withOpenings ? yield* store.openingsOf(events.map((e) => e.id)) : []
  const own = new Set(all.filter((o) => o.field === "actor" && o.value === options.onlyActor).map((o) => o.eventId))
  const openings = options.onlyActor === undefined ? all : all.filter((o) => own.has(o.eventId))
  const entries = []
  let document: { sha256: string; sm3?: string } | undefined
  for (const e of events) {
    if (e.leafIndex === null || e.leafIndex >= checkpoint.size) return yield* new NoCheckpoint()
    const body = yield* Schema.decodeUnknownEffect(EventBody)(JSON.parse(e.body)).pipe(Effect.orDie)
    if (body.doc !== undefined) document = body.doc.sm3 === undefined ? { sha256: body.doc.sha256 } : { sha256: body.doc.sha256, sm3: body.doc.sm3 }
    entries.push({
      index: e.leafIndex,
      body: e.body,
      proof: (yield* inclusionProof(e.leafIndex, checkpoint.size)).map((h) => Hex.encode(h)),
      openings: openings.filter((o) => o.eventId === e.id).map((o) => ({ field: o.field, salt: o.salt, value: o.value })),
    })
  }
  const cosignatures = (yield* store.cosignaturesAt(checkpoint.size)).map((c) => c.line)
  const configured = Option.match(yield* Effect.serviceOption(Witnesses), { onNone: () => [], onSome: (w) => w.keys })
  const signers = new Set(cosignatures.flatMap((l) => Result.match(parseCosignatureLine(l), { onSuccess: (c) => [c.name], onFailure: () => [] })))
  const witnesses = configured.filter((k) => signers.has(k.name)).map(formatWitnessKey)
  const last = events[events.length - 1]!
  const statement = yield* signNote(historyStatement(subject, events.length, last.hash, checkpoint.size))
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    subject,
    logKey: yield* logVerifierKey,
    checkpoint: { note: checkpoint.note, timestamp: checkpoint.timestamp, ...(cosignatures.length === 0 ? {} : { cosignatures }) },
    ...(witnesses.length === 0 ? {} : { witnesses }),
    events: entries,
    statement,
    ...(document === undefined ? {} : { document }),
    exportedAt: yield* Clock.currentTimeMillis,
  }
  return bundle
})
