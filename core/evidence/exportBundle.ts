import { Clock, Effect, Option, Schema } from "effect"
import { Hex } from "effect/encoding"
import { NotFound } from "../kernel/errors.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { Bundle, BUNDLE_FORMAT } from "./Bundle.ts"
import { logVerifierKey, publish } from "./checkpoint.ts"
import { NoCheckpoint } from "./EvidenceErrors.ts"
import { EventBody } from "./Event.ts"
import { inclusionProof } from "./tree.ts"

/**
 * Builds the evidence bundle of a subject ("user:…", "contract:…"). Queued
 * events are first sequenced and checkpointed so that every event of the
 * subject is proven. Openings are included only when `withOpenings` (the
 * requester may see the personal data of these acts).
 */
export const exportBundle = Effect.fn("evidence.exportBundle")(function*(subject: string, options: { readonly withOpenings: boolean }) {
  const store = yield* EvidenceStore
  yield* publish()
  const events = yield* store.eventsOf(subject)
  if (events.length === 0) return yield* new NotFound({ entity: "evidence subject", id: subject })
  const latest = yield* store.latestCheckpoint
  if (Option.isNone(latest)) return yield* new NoCheckpoint()
  const checkpoint = latest.value
  const openings = options.withOpenings ? yield* store.openingsOf(events.map((e) => e.id)) : []
  const entries = []
  let document: string | undefined
  for (const e of events) {
    if (e.leafIndex === null || e.leafIndex >= checkpoint.size) return yield* new NoCheckpoint()
    const body = yield* Schema.decodeUnknownEffect(EventBody)(JSON.parse(e.body)).pipe(Effect.orDie)
    if (body.doc !== undefined) document = body.doc.sha256
    entries.push({
      index: e.leafIndex,
      body: e.body,
      proof: (yield* inclusionProof(e.leafIndex, checkpoint.size)).map((h) => Hex.encode(h)),
      openings: openings.filter((o) => o.eventId === e.id).map((o) => ({ field: o.field, salt: o.salt, value: o.value })),
    })
  }
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    subject,
    logKey: yield* logVerifierKey,
    checkpoint: { note: checkpoint.note, timestamp: checkpoint.timestamp },
    events: entries,
    ...(document === undefined ? {} : { document: { sha256: document } }),
    exportedAt: yield* Clock.currentTimeMillis,
  }
  return bundle
})
