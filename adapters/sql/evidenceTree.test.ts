import { describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { sha256 } from "../../core/crypto/sha256.ts"
import { makeMemoryTreeStore } from "../../core/evidence/memoryTreeStore.ts"
import { leafHash, type TreeNode } from "../../core/evidence/merkle.ts"
import { appendLeaves, consistencyProof, inclusionProof, treeRoot } from "../../core/evidence/tree.ts"
import { TreeStore } from "../../core/ports/TreeStore.ts"
import { layerTreeStore, segmentsOf } from "./evidenceTree.ts"
import { SEGMENT } from "./migrations/0016_evidence_tree.ts"
import { Database, migrate, migrateBefore } from "./index.ts"

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")
const leaves = (from: number, n: number) => Array.from({ length: n }, (_, i) => leafHash(sha256, new TextEncoder().encode(`event ${from + i}`)))

describe("evidence tree in runs (migration 0016)", () => {
  it("splits new nodes into runs of consecutive indexes per level, at multiples of SEGMENT", () => {
    const node = (level: number, index: number) => ({ level, index, hash: new Uint8Array(32).fill(index % 251) })
    expect(SEGMENT).toBe(64)
    const runs = segmentsOf([...Array.from({ length: 150 }, (_, i) => node(0, 40 + i)), node(1, 7), node(1, 8), node(1, 10)])
    expect(runs.map(([level, start, hashes]) => [level, start, hashes.length / 32])).toEqual([[0, 40, 24], [0, 64, 64], [0, 128, 62], [1, 7, 2], [1, 10, 1]])
    expect(Array.from(runs[1]![2].subarray(32, 64))).toEqual(Array.from(node(0, 65).hash))
  })

  itOnSqliteAndPostgres("evidence tree migration", (database) =>
    Effect.runPromise(Effect.gen(function*() {
      const { db } = yield* Database
      // A log of 1,000 leaves written before 0016: one row per node, hex.
      yield* migrateBefore("0016")
      // The reference tree in memory, in two appends; every node it stores is also written the old way.
      const memory = makeMemoryTreeStore()
      const nodes: Array<TreeNode> = []
      const recording = { ...memory, put: (n: ReadonlyArray<TreeNode>) => (nodes.push(...n), memory.put(n)) }
      const inMemory = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.provideService(e, TreeStore, recording)
      yield* inMemory(appendLeaves(leaves(0, 700)))
      yield* inMemory(appendLeaves(leaves(700, 300)))
      yield* Effect.promise(async () => {
        for (let i = 0; i < nodes.length; i += 500) {
          await sql`insert into evidence_nodes (level, idx, hash) values ${sql.join(nodes.slice(i, i + 500).map((n) => sql`(${n.level}, ${n.index}, ${hex(n.hash)})`))}`.execute(db)
        }
      })
      expect(yield* migrate).toContain("0016_evidence_tree")
      // Carried over in runs of SEGMENT per level, not one row per node: 1,994 nodes on 10 levels.
      const runs = yield* Effect.promise(() => sql<{ level: number; n: number }>`select level, count(*) as n from evidence_tree group by level order by level`.execute(db))
      expect(runs.rows.map((r) => [Number(r.level), Number(r.n)])).toEqual([[0, 16], [1, 8], [2, 4], [3, 2], [4, 1], [5, 1], [6, 1], [7, 1], [8, 1], [9, 1]])
      const check = (size: number) =>
        Effect.gen(function*() {
          expect(yield* (yield* TreeStore).size).toBe(size)
          expect(hex(yield* treeRoot(size))).toBe(hex(yield* inMemory(treeRoot(size))))
          for (const i of [0, 63, 64, 255, 256, 699, 700, size - 1]) {
            expect((yield* inclusionProof(i, size)).map(hex)).toEqual((yield* inMemory(inclusionProof(i, size))).map(hex))
          }
          expect((yield* consistencyProof(700, size)).map(hex)).toEqual((yield* inMemory(consistencyProof(700, size))).map(hex))
        })
      yield* check(1_000)
      // Appends after the migration continue the runs.
      yield* appendLeaves(leaves(1_000, 37))
      yield* inMemory(appendLeaves(leaves(1_000, 37)))
      yield* check(1_037)
    }).pipe(Effect.provide(layerTreeStore), Effect.provide(database))))
})
