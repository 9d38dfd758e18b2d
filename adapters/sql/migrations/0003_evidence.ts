import { sql, SqliteAdapter, type Kysely } from "kysely"
import { makeAppendOnly } from "./appendOnly.ts"

/**
 * Evidence log (issue 7): events, openings of their commitments, the
 * sequencing queue, Merkle leaves and complete-subtree nodes, checkpoints and
 * their timestamps. Hashes are lower-case hex text, tokens base64 text.
 *
 * Append-only is enforced by the database, not only by the code: triggers
 * refuse UPDATE and DELETE (and TRUNCATE on Postgres) on every evidence table.
 * Openings refuse UPDATE but may be deleted: erasing personal data leaves the
 * commitment in the event and the log intact.
 */
const APPEND_ONLY = ["evidence_events", "evidence_leaves", "evidence_nodes", "evidence_checkpoints", "evidence_timestamps"]

export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("evidence_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("subject_seq", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("event_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("evidence_events_chain", ["subject", "subject_seq"])
    .execute()
  await db.schema.createTable("evidence_openings")
    .addColumn("event_id", "text", (c) => c.notNull().references("evidence_events.id"))
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("evidence_openings_pk", ["event_id", "field"])
    .execute()
  await db.schema.createTable("evidence_pending")
    .addColumn("event_id", "text", (c) => c.primaryKey().references("evidence_events.id"))
    .execute()
  await db.schema.createTable("evidence_leaves")
    .addColumn("leaf_index", "bigint", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().unique().references("evidence_events.id"))
    .execute()
  await createNodesTable(db)
  await db.schema.createTable("evidence_checkpoints")
    .addColumn("size", "bigint", (c) => c.primaryKey())
    .addColumn("root", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute()
  await db.schema.createTable("evidence_timestamps")
    .addColumn("size", "bigint", (c) => c.primaryKey().references("evidence_checkpoints.size"))
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute()

  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter
  if (!sqlite) {
    await sql.raw(`CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP; END $$`).execute(db)
  }
  await makeAppendOnly(db, APPEND_ONLY)
  await sql.raw(sqlite
    ? `CREATE TRIGGER evidence_openings_no_update BEFORE UPDATE ON evidence_openings
      BEGIN SELECT RAISE(ABORT, 'evidence_openings can only be erased'); END`
    : `CREATE TRIGGER evidence_openings_no_update BEFORE UPDATE ON evidence_openings
      FOR EACH ROW EXECUTE FUNCTION evidence_append_only()`).execute(db)
}

/** The tree's nodes, one row per complete subtree (replaced by runs in 0016, whose down restores this table). */
export const createNodesTable = (db: Kysely<any>) =>
  db.schema.createTable("evidence_nodes")
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("idx", "bigint", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("evidence_nodes_pk", ["level", "idx"])
    .execute()

export const down = async (db: Kysely<any>): Promise<void> => {
  for (const t of ["evidence_timestamps", "evidence_checkpoints", "evidence_nodes", "evidence_leaves", "evidence_pending", "evidence_openings", "evidence_events"]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql.raw("DROP FUNCTION IF EXISTS evidence_append_only()").execute(db)
}
