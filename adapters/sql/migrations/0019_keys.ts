import { SqliteAdapter, type Kysely } from "kysely"

/**
 * Issue 22, shared state: the vault of sealed keys and CA material (adapters/sql/vault.ts): the CA's keys
 * (sealed under the master key) and certificates, person and seal keys, issued certificates, the evidence
 * log key. Named entries, created once (insert if absent); only derived ones (the CRL) are overwritten.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  const bytes = db.getExecutor().adapter instanceof SqliteAdapter ? "blob" : "bytea"
  await db.schema.createTable("vault_entries")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("data", bytes, (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("vault_entries").ifExists().execute()
}
