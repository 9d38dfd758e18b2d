import { Effect } from "effect"
import { sha256 } from "../crypto/sha256.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { TreeStore } from "../ports/TreeStore.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { leafHash } from "./merkle.ts"
import { appendLeaves } from "./tree.ts"

/**
 * Moves up to `batch` queued events into the Merkle log in one transaction:
 * each gets the next leaf index, leaf = SHA-256(0x00 || canonical event).
 * Recording stays cheap (one row per event in the caller's transaction); the
 * tree is extended in batches. Two sequencers racing collide on the leaf
 * index primary key and one rolls back.
 */
export const sequencePending = Effect.fn("evidence.sequencePending")(function*(batch: number) {
  const store = yield* EvidenceStore
  const encoder = new TextEncoder()
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const pending = yield* store.pending(batch)
    if (pending.length === 0) return 0
    const size = yield* (yield* TreeStore).size
    yield* appendLeaves(pending.map((p) => leafHash(sha256, encoder.encode(p.body))))
    yield* store.sequenced(pending.map((p, i) => ({ index: size + i, eventId: p.id })))
    return pending.length
  }))
})

/** Sequences everything queued, batch by batch; returns how many events entered the log. */
export const sequenceAll = Effect.fn("evidence.sequenceAll")(function*(batch: number) {
  let total = 0
  for (;;) {
    const n = yield* sequencePending(batch)
    total += n
    if (n < batch) return total
  }
})
