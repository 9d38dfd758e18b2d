/** The evidence Merkle log on a TreeStore: append, root and proofs in O(log n) stored nodes. Hashing is the pure SHA-256 of core/crypto (faster than native calls for 65-byte node inputs). */
import { Effect } from "effect"
import { sha256 } from "../crypto/sha256.ts"
import { TreeStore } from "../ports/TreeStore.ts"
import { TreeSizeOutOfRange } from "./EvidenceErrors.ts"
import { appendNodes, consistencyRanges, foldRange, inclusionRanges, planProof, rangeNodes } from "./merkle.ts"

/** Appends leaf hashes; returns the new tree size. Callers serialise appends (one sequencer, or a transaction). */
export const appendLeaves = Effect.fn("evidence.appendLeaves")(function*(leaves: ReadonlyArray<Uint8Array>) {
  const store = yield* TreeStore
  const size = yield* store.size
  if (leaves.length === 0) return size
  const frontier = yield* store.nodes(rangeNodes(0, size))
  yield* store.put(appendNodes(sha256, size, frontier, leaves))
  return size + leaves.length
})

const checkSize = (requested: number, size: number) =>
  requested > size ? Effect.fail(new TreeSizeOutOfRange({ requested, size })) : Effect.void

/** The root of the tree's first `size` leaves (any size up to the current one, so old checkpoints can be recomputed). */
export const treeRoot = Effect.fn("evidence.treeRoot")(function*(size: number) {
  const store = yield* TreeStore
  yield* checkSize(size, yield* store.size)
  return foldRange(sha256, yield* store.nodes(rangeNodes(0, size)))
})

/** RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves. */
export const inclusionProof = Effect.fn("evidence.inclusionProof")(function*(index: number, size: number) {
  const store = yield* TreeStore
  yield* checkSize(size, yield* store.size)
  if (index < 0 || index >= size) return yield* new TreeSizeOutOfRange({ requested: index, size })
  const plan = planProof(inclusionRanges(index, size))
  return plan.assemble(sha256, yield* store.nodes(plan.keys))
})

/** RFC 9162 consistency proof from the tree of `oldSize` leaves to the tree of `newSize`. */
export const consistencyProof = Effect.fn("evidence.consistencyProof")(function*(oldSize: number, newSize: number) {
  const store = yield* TreeStore
  yield* checkSize(newSize, yield* store.size)
  if (oldSize < 0 || oldSize > newSize) return yield* new TreeSizeOutOfRange({ requested: oldSize, size: newSize })
  const plan = planProof(consistencyRanges(oldSize, newSize))
  return plan.assemble(sha256, yield* store.nodes(plan.keys))
})
