import { Effect, Layer } from "effect"
import { RepositoryError } from "../../core/kernel/errors.ts"
import type { NodeKey } from "../../core/evidence/merkle.ts"
import { TreeStore } from "../../core/ports/TreeStore.ts"
import { Database, queryOn } from "./Database.ts"
import { makeInsert } from "./evidenceSql.ts"

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex")
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"))
/** Rows per INSERT: 3 parameters each stays under SQLite's and Postgres's bind limits. */
const CHUNK = 2_000

/** The Merkle log's complete subtrees in `evidence_nodes` (level 0 = leaf hashes). */
export const layerTreeStore = Layer.effect(
  TreeStore,
  Effect.gen(function*() {
    const { db: database, dialect } = yield* Database
    const q = queryOn(database)
    const insert = makeInsert(dialect)
    return {
      // max(idx) at level 0 walks the primary key: O(log n), unlike count(*).
      size: q("evidence.tree.size", (db) =>
        db.selectFrom("evidence_nodes").select((eb) => eb.fn.max("idx").as("m")).where("level", "=", 0).executeTakeFirst()).pipe(
          Effect.map((r) => (r?.m === null || r?.m === undefined ? 0 : Number(r.m) + 1)),
        ),
      nodes: (keys: ReadonlyArray<NodeKey>) => {
        if (keys.length === 0) return Effect.succeed([])
        const unique = [...new Map(keys.map((k) => [`${k.level}/${k.index}`, k])).values()]
        return q("evidence.tree.nodes", (db) =>
          db.selectFrom("evidence_nodes").select(["level", "idx", "hash"])
            .where((eb) => eb.or(unique.map((k) => eb.and([eb("level", "=", k.level), eb("idx", "=", k.index)]))))
            .execute()).pipe(
            Effect.flatMap((rows) => {
              const found = new Map(rows.map((r) => [`${r.level}/${Number(r.idx)}`, r.hash]))
              const out: Array<Uint8Array> = []
              for (const k of keys) {
                const h = found.get(`${k.level}/${k.index}`)
                if (h === undefined || !/^[0-9a-f]{64}$/.test(h)) {
                  return Effect.fail(new RepositoryError({ operation: "evidence.tree.nodes", cause: `node ${k.level}/${k.index} missing or malformed` }))
                }
                out.push(bytes(h))
              }
              return Effect.succeed(out)
            }),
          )
      },
      put: (nodes) =>
        q("evidence.tree.put", async (db) => {
          for (let i = 0; i < nodes.length; i += CHUNK) {
            await db.executeQuery(insert("evidence_nodes", ["level", "idx", "hash"], nodes.slice(i, i + CHUNK).map((n) => [n.level, n.index, hex(n.hash)])))
          }
        }),
    }
  }),
)
