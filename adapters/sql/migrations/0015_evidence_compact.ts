import { sql, SqliteAdapter, type Kysely } from "kysely"

/**
 * Evidence, compact openings (issue 7, append throughput): the openings of an
 * event's commitments are stored in one row per event (a JSON array of
 * [field, salt, value]) instead of one row per field, halving the rows a
 * typical event writes besides itself. Rows written before this migration
 * stay in evidence_openings and are read (and erased) alongside.
 *
 * Like evidence_openings, the packed rows refuse UPDATE but may be deleted:
 * erasing personal data leaves the commitments in the events and the log
 * intact. No foreign key: an opening row never outlives its purpose (the
 * event is append-only), and the check would cost an index probe per event.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("evidence_openings_packed")
    .addColumn("event_id", "text", (c) => c.primaryKey())
    .addColumn("openings", "text", (c) => c.notNull())
    .execute()
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql.raw(`CREATE TRIGGER evidence_openings_packed_no_update BEFORE UPDATE ON evidence_openings_packed
      BEGIN SELECT RAISE(ABORT, 'evidence_openings_packed can only be erased'); END`).execute(db)
  } else {
    // The trigger function of 0003 ("... is append-only (UPDATE refused)").
    await sql.raw(`CREATE TRIGGER evidence_openings_packed_no_update BEFORE UPDATE ON evidence_openings_packed
      FOR EACH ROW EXECUTE FUNCTION evidence_append_only()`).execute(db)
  }
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("evidence_openings_packed").ifExists().execute()
}
