import { sql, SqliteAdapter, type Kysely } from "kysely"

/**
 * Makes evidence tables refuse UPDATE and DELETE (and TRUNCATE on Postgres);
 * on Postgres through 0003's trigger function evidence_append_only().
 */
export const makeAppendOnly = async (db: Kysely<any>, tables: ReadonlyArray<string>): Promise<void> => {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter
  for (const table of tables) {
    if (sqlite) {
      for (const op of ["UPDATE", "DELETE"]) {
        await sql.raw(`CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
          BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db)
      }
    } else {
      await sql.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION evidence_append_only()`).execute(db)
      await sql.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only()`).execute(db)
    }
  }
}
