import { Context, type Effect } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { NodeKey, TreeNode } from "../evidence/merkle.ts"

/**
 * Hashes of the complete subtrees of the evidence Merkle log (level 0 = leaf
 * hashes). Written only by appending; a node once written never changes.
 */
export interface TreeStoreShape {
  /** Number of leaves stored. */
  readonly size: Effect.Effect<number, RepositoryError>
  /** The hashes of `keys`, in order; a missing node is a RepositoryError (the store is damaged or the key is beyond the tree). */
  readonly nodes: (keys: ReadonlyArray<NodeKey>) => Effect.Effect<ReadonlyArray<Uint8Array>, RepositoryError>
  /** Stores new nodes (new leaves and the subtrees they complete), all or none. */
  readonly put: (nodes: ReadonlyArray<TreeNode>) => Effect.Effect<void, RepositoryError>
}

export class TreeStore extends Context.Service<TreeStore, TreeStoreShape>()("core/ports/TreeStore") {}
