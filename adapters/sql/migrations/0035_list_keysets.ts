import { sql, SqliteAdapter, type Kysely } from "kysely"

/**
 * The partner API list in keyset order at any history (issue 23). An enterprise's API contracts by (created, number),
 * newest first, so a page from a cursor is an index range and ties need no sort (it replaces the (enterprise_id,
 * created_at) index, its prefix); and by status, copied in: with a status filter the list probed each entry's contract
 * (2.9 s on SQLite at 1M contracts, counting a status that is 20% of them up to 10,000). The contract's status follows
 * by trigger (one primary-key update when a contract's status changes, in its transaction), so the writers of
 * contracts stay as they are; the API's own insert copies it (adapters/sql/api.ts assignContract).
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("enterprise_contracts").addColumn("status", "text").execute()
  await sql`update enterprise_contracts set status = (select c.status from contracts c where c.id = enterprise_contracts.contract_id)`.execute(db)
  await db.schema.createIndex("enterprise_contracts_list").on("enterprise_contracts").columns(["enterprise_id", "created_at", "contract_id"]).execute()
  await db.schema.createIndex("enterprise_contracts_status").on("enterprise_contracts").columns(["enterprise_id", "status", "created_at", "contract_id"]).execute()
  await db.schema.dropIndex("enterprise_contracts_enterprise").execute()
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql.raw(`CREATE TRIGGER contracts_status_to_api AFTER UPDATE OF status ON contracts WHEN NEW.status IS NOT OLD.status
      BEGIN UPDATE enterprise_contracts SET status = NEW.status WHERE contract_id = NEW.id; END`).execute(db)
  } else {
    await sql.raw(`CREATE OR REPLACE FUNCTION contracts_status_to_api() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE enterprise_contracts SET status = NEW.status WHERE contract_id = NEW.id; RETURN NULL; END $$`).execute(db)
    await sql.raw(`CREATE TRIGGER contracts_status_to_api AFTER UPDATE OF status ON contracts FOR EACH ROW
      WHEN (NEW.status IS DISTINCT FROM OLD.status) EXECUTE FUNCTION contracts_status_to_api()`).execute(db)
  }
}

export const down = async (db: Kysely<any>): Promise<void> => {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter
  await sql.raw(sqlite ? "DROP TRIGGER IF EXISTS contracts_status_to_api" : "DROP TRIGGER IF EXISTS contracts_status_to_api ON contracts").execute(db)
  if (!sqlite) await sql.raw("DROP FUNCTION IF EXISTS contracts_status_to_api()").execute(db)
  await db.schema.createIndex("enterprise_contracts_enterprise").on("enterprise_contracts").columns(["enterprise_id", "created_at"]).execute()
  await db.schema.dropIndex("enterprise_contracts_status").execute()
  await db.schema.dropIndex("enterprise_contracts_list").execute()
  await db.schema.alterTable("enterprise_contracts").dropColumn("status").execute()
}
