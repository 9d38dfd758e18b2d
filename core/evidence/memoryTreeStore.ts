import { Effect, Layer } from "effect"
import { RepositoryError } from "../kernel/errors.ts"
import { TreeStore, type TreeStoreShape } from "../ports/TreeStore.ts"
import type { NodeKey, TreeNode } from "./merkle.ts"

/** One growable byte buffer per level: 32 bytes per node, so a million-leaf tree takes ~64 MB, not millions of objects. */
class Level {
  buffer = new Uint8Array(32 * 1024)
  count = 0
  set(index: number, hash: Uint8Array) {
    if (index !== this.count) throw new Error(`tree nodes must be appended in order (level expects ${this.count}, got ${index})`)
    if ((index + 1) * 32 > this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2)
      bigger.set(this.buffer)
      this.buffer = bigger
    }
    this.buffer.set(hash, index * 32)
    this.count += 1
  }
  get(index: number): Uint8Array | undefined {
    return index < this.count ? this.buffer.slice(index * 32, index * 32 + 32) : undefined
  }
}

/** A TreeStore in memory: property tests, benchmarks, and a reference for the SQL store. */
export const makeMemoryTreeStore = () => {
  const levels: Array<Level> = []
  const get = (k: NodeKey) => levels[k.level]?.get(k.index)
  const store: TreeStoreShape = {
    size: Effect.sync(() => levels[0]?.count ?? 0),
    nodes: (keys) =>
      Effect.suspend(() => {
        const out: Array<Uint8Array> = []
        for (const k of keys) {
          const h = get(k)
          if (h === undefined) return Effect.fail(new RepositoryError({ operation: "tree.nodes", cause: `missing node ${k.level}/${k.index}` }))
          out.push(h)
        }
        return Effect.succeed(out)
      }),
    put: (nodes: ReadonlyArray<TreeNode>) =>
      Effect.try({
        try: () => {
          for (const n of nodes) (levels[n.level] ??= new Level()).set(n.index, n.hash)
        },
        catch: (cause) => new RepositoryError({ operation: "tree.put", cause }),
      }),
  }
  return store
}

export const layerMemoryTreeStore = Layer.sync(TreeStore, makeMemoryTreeStore)
