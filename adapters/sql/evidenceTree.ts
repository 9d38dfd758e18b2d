import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { RepositoryError } from "../../core/kernel/errors.ts"
import type { NodeKey, TreeNode } from "../../core/evidence/merkle.ts"
import { TreeStore } from "../../core/ports/TreeStore.ts"
import { Database, queryOn } from "./Database.ts"
import type { EvidenceTables } from "./evidenceSchema.ts"
import { makeInsert } from "./evidenceSql.ts"
import { SEGMENT } from "./migrations/0016_evidence_tree.ts"

const HASH = 32
/** Rows per INSERT and keys per lookup: well under SQLite's and Postgres's bind limits. */
const CHUNK = 2_000

/**
 * New nodes as runs: consecutive indexes of one level, split where an index
 * is a multiple of SEGMENT, each run's hashes concatenated.
 */
export const segmentsOf = (nodes: ReadonlyArray<TreeNode>): Array<[level: number, start: number, hashes: Buffer]> => {
  const byLevel = new Map<number, Array<TreeNode>>()
  for (const n of nodes) {
    const list = byLevel.get(n.level)
    if (list === undefined) byLevel.set(n.level, [n])
    else list.push(n)
  }
  const out: Array<[number, number, Buffer]> = []
  for (const [level, list] of byLevel) {
    list.sort((a, b) => a.index - b.index)
    let from = 0
    for (let i = 1; i <= list.length; i++) {
      const ends = i === list.length || list[i]!.index !== list[i - 1]!.index + 1 || list[i]!.index % SEGMENT === 0
      if (!ends) continue
      // A Buffer: both drivers bind it as a blob / bytea.
      const hashes = Buffer.allocUnsafe((i - from) * HASH)
      for (let k = from; k < i; k++) hashes.set(list[k]!.hash, (k - from) * HASH)
      out.push([level, list[from]!.index, hashes])
      from = i
    }
  }
  return out
}

/** The Merkle log's complete subtrees in `evidence_tree` (migration 0016): runs of consecutive hashes per level (level 0 = leaf hashes). */
export const layerTreeStore = Layer.effect(
  TreeStore,
  Effect.gen(function*() {
    const { db: database, dialect } = yield* Database
    const q = queryOn(database)
    const insert = makeInsert(dialect)
    return {
      // The last run of level 0 ends at the tree size: one seek down the primary key.
      size: q("evidence.tree.size", (db) =>
        db.$extendTables<EvidenceTables>().selectFrom("evidence_tree").select(["start", sql<number>`length(hashes)`.as("bytes")]).where("level", "=", 0)
          .orderBy("start", "desc").limit(1).executeTakeFirst()).pipe(
          Effect.map((r) => (r === undefined ? 0 : Number(r.start) + Number(r.bytes) / HASH)),
        ),
      nodes: (keys: ReadonlyArray<NodeKey>) => {
        if (keys.length === 0) return Effect.succeed([])
        const unique = [...new Map(keys.map((k) => [`${k.level}/${k.index}`, k])).values()]
        // Per key, one seek for the run of its level with the greatest start not above its index, and the 32 bytes in it.
        return q("evidence.tree.nodes", async (db) => {
          const found = new Map<string, Uint8Array>()
          for (let i = 0; i < unique.length; i += CHUNK) {
            const part = unique.slice(i, i + CHUNK)
            const { rows } = await sql<{ level: number; idx: number | string; hash: Uint8Array | null }>`
              with k(level, idx) as (values ${sql.join(part.map((k) => sql`(cast(${k.level} as integer), cast(${k.index} as bigint))`))})
              select k.level, k.idx, (select substr(s.hashes, cast((k.idx - s.start) * ${HASH} + 1 as integer), ${HASH}) from evidence_tree s
                where s.level = k.level and s.start <= k.idx order by s.start desc limit 1) as hash from k`.execute(db)
            for (const r of rows) if (r.hash !== null) found.set(`${r.level}/${Number(r.idx)}`, new Uint8Array(r.hash))
          }
          return found
        }).pipe(
          Effect.flatMap((found) => {
            const out: Array<Uint8Array> = []
            for (const k of keys) {
              const h = found.get(`${k.level}/${k.index}`)
              if (h === undefined || h.length !== HASH) {
                return Effect.fail(new RepositoryError({ operation: "evidence.tree.nodes", cause: `node ${k.level}/${k.index} missing or malformed` }))
              }
              out.push(h)
            }
            return Effect.succeed(out)
          }),
        )
      },
      put: (nodes) =>
        q("evidence.tree.put", async (db) => {
          const rows = segmentsOf(nodes)
          for (let i = 0; i < rows.length; i += CHUNK) await db.executeQuery(insert("evidence_tree", ["level", "start", "hashes"], rows.slice(i, i + CHUNK)))
        }),
    }
  }),
)
