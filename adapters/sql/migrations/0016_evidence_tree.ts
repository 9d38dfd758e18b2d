import { sql, SqliteAdapter, type Kysely } from "kysely"
import { makeAppendOnly } from "./appendOnly.ts"
import { createNodesTable } from "./0003_evidence.ts"

/**
 * Evidence, tree in segments (issue 7, append throughput): the Merkle log's
 * complete-subtree hashes move from one row per node (`evidence_nodes`, hex
 * text, about two rows and 200 bytes per event) to runs of consecutive
 * hashes of one level (`evidence_tree`: level, start index, the hashes as
 * 32-byte binary concatenated). An append writes one run per level it
 * touches, split at multiples of SEGMENT (64): a run of 2 KiB stays inside
 * its b-tree cell (no overflow pages to walk to read a hash out of it), and a
 * batch of 1,000 events writes about forty rows instead of two thousand. A node is found in the run of
 * its level with the greatest start not above its index. Append-only like
 * every evidence table. Existing nodes are carried over, 64 to a row.
 */
export const SEGMENT = 64

export const up = async (db: Kysely<any>): Promise<void> => {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter
  await db.schema.createTable("evidence_tree")
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("start", "bigint", (c) => c.notNull())
    .addColumn("hashes", sqlite ? "blob" : "bytea", (c) => c.notNull())
    .addPrimaryKeyConstraint("evidence_tree_pk", ["level", "start"])
    .execute()
  // Every level of evidence_nodes is complete from index 0, so each group of SEGMENT is one run.
  await (sqlite
    ? sql`insert into evidence_tree (level, start, hashes)
        select level, min(idx), unhex(group_concat(hash, '' order by idx)) from evidence_nodes group by level, idx / ${sql.lit(SEGMENT)}`
    : sql`insert into evidence_tree (level, start, hashes)
        select level, min(idx), decode(string_agg(hash, '' order by idx), 'hex') from evidence_nodes group by level, idx / ${sql.lit(SEGMENT)}`
  ).execute(db)
  await db.schema.dropTable("evidence_nodes").execute()
  await makeAppendOnly(db, ["evidence_tree"])
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await createNodesTable(db)
  const runs = await db.selectFrom("evidence_tree").select(["level", "start", "hashes"]).execute()
  for (const r of runs as Array<{ level: number; start: number | string; hashes: Uint8Array }>) {
    const rows = Array.from({ length: r.hashes.length / 32 }, (_, i) => ({
      level: r.level, idx: Number(r.start) + i, hash: Buffer.from(r.hashes.subarray(i * 32, i * 32 + 32)).toString("hex"),
    }))
    for (let i = 0; i < rows.length; i += 5_000) await db.insertInto("evidence_nodes").values(rows.slice(i, i + 5_000)).execute()
  }
  await makeAppendOnly(db, ["evidence_nodes"])
  await db.schema.dropTable("evidence_tree").execute()
}
