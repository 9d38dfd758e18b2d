/**
 * The database floor of an evidence append: exactly the rows one event
 * writes with the log's layout (event row with its chain and id keys, packed
 * openings, leaf row, and the tree's new nodes as runs per level, migration
 * 0016: about twenty rows per 1,000 events), the same sizes and the same multi-row
 * statements, 1,000 events per transaction, but with no hashing, JSON or
 * Effect: what this database on this machine can do for the rows alone.
 */
import { randomBytes } from "node:crypto"
import { Effect } from "effect"
import { sql } from "kysely"
import { Database, queryOn } from "../adapters/sql/index.ts"
import { makeInsert } from "../adapters/sql/evidenceSql.ts"
import { segmentsOf } from "../adapters/sql/evidenceTree.ts"
import type { TreeNode } from "../core/evidence/merkle.ts"
import { UnitOfWork } from "../core/ports/UnitOfWork.ts"

const tables = (blob: string) => [
  "create table bench_events (id text primary key, subject text not null, subject_seq integer not null, type text not null, body text not null, event_hash text not null, created_at bigint not null, unique (subject, subject_seq))",
  "create table bench_openings (event_id text primary key, openings text not null)",
  "create table bench_leaves (leaf_index bigint primary key, event_id text not null unique)",
  `create table bench_tree (level integer not null, start bigint not null, hashes ${blob} not null, primary key (level, start))`,
]

/** Inserts the rows of `n` events (`subjects` chains), 1,000 per transaction; returns the milliseconds taken. */
export const evidenceRowsRun = (n: number, subjects: number) =>
  Effect.gen(function*() {
    const { db, dialect } = yield* Database
    const q = queryOn(db)
    for (const ddl of tables(dialect === "sqlite" ? "blob" : "bytea")) yield* q("bench.floor.create", (d) => sql.raw(ddl).execute(d))
    const insert = makeInsert(dialect)
    const uow = yield* UnitOfWork
    // Values prepared up front: only the database's work is timed.
    const body = `{"at":1790000000000,"commit":{"actor":"${"a".repeat(64)}","ip":"${"b".repeat(64)}"},"data":{},"prev":"${"c".repeat(64)}","role":"user",`
    const openings = JSON.stringify([["actor", randomBytes(32).toString("base64"), "someone"], ["ip", randomBytes(32).toString("base64"), "192.0.2.1"]])
    const hashes = Array.from({ length: 64 }, () => randomBytes(32).toString("hex"))
    const nodeHash = new Uint8Array(randomBytes(32))
    const seq = new Map<number, number>()
    const batches: Array<{ events: Array<Array<unknown>>; openings: Array<Array<unknown>>; leaves: Array<Array<unknown>>; nodes: Array<Array<unknown>> }> = []
    const nodes: Array<TreeNode> = []
    for (let i = 0; i < n; i += 1_000) {
      const batch = { events: [] as Array<Array<unknown>>, openings: [] as Array<Array<unknown>>, leaves: [] as Array<Array<unknown>>, nodes: [] as Array<Array<unknown>> }
      for (let k = i; k < Math.min(n, i + 1_000); k++) {
        const id = `1${String(k).padStart(18, "0")}`
        const subject = `user:1${String(k % subjects).padStart(18, "0")}`
        const s = (seq.get(k % subjects) ?? -1) + 1
        seq.set(k % subjects, s)
        batch.events.push([id, subject, s, "user.logged_in", `${body}"seq":${s},"subject":"${subject}","type":"user.logged_in","v":2}`, hashes[k % 64], 1790000000000])
        batch.openings.push([id, openings])
        batch.leaves.push([k, id])
        // Leaf k completes the subtrees at levels 1.. while its index ends in ones.
        for (let level = 0; level === 0 || ((k + 1) & ((1 << level) - 1)) === 0; level++) nodes.push({ level, index: k >> level, hash: nodeHash })
      }
      batch.nodes = segmentsOf(nodes.splice(0))
      batches.push(batch)
    }
    const t0 = performance.now()
    for (const b of batches) {
      yield* uow.transact(q("bench.floor.insert", async (d) => {
        await d.executeQuery(insert("bench_events", ["id", "subject", "subject_seq", "type", "body", "event_hash", "created_at"], b.events))
        await d.executeQuery(insert("bench_leaves", ["leaf_index", "event_id"], b.leaves))
        await d.executeQuery(insert("bench_openings", ["event_id", "openings"], b.openings))
        await d.executeQuery(insert("bench_tree", ["level", "start", "hashes"], b.nodes))
      }))
    }
    return performance.now() - t0
  })
