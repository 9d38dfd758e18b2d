import { SqliteAdapter, type Kysely } from "kysely"

/**
 * Issue 22, shared state: documents and uploads in the database (adapters/blobs-sql), so instances on one
 * Postgres need no shared directory. Content-addressed by SHA-256: `blob_chunks` holds the bytes in pieces of
 * at most 1 MiB, `blobs` says the blob is complete (written last, in the same transaction).
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  const bytes = db.getExecutor().adapter instanceof SqliteAdapter ? "blob" : "bytea"
  await db.schema.createTable("blob_chunks")
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("data", bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint("blob_chunks_pk", ["sha256", "seq"])
    .execute()
  await db.schema.createTable("blobs")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("chunks", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("blobs").ifExists().execute()
  await db.schema.dropTable("blob_chunks").ifExists().execute()
}
