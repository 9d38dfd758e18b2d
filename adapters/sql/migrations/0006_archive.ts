import type { Kysely } from "kysely"

/** My contracts archive (M1-M4): folders, local uploads with their verification report, placements. */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("archive_folders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_user_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("archive_folders_owner_name", ["owner_user_id", "name"])
    .execute()
  await db.schema.createTable("archive_uploads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_user_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("all_valid", "integer", (c) => c.notNull())
    .addColumn("signatures_json", "text", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("archive_uploads_owner").on("archive_uploads").column("owner_user_id").execute()
  await db.schema.createTable("archive_placements")
    .addColumn("owner_user_id", "text", (c) => c.notNull())
    .addColumn("item_key", "text", (c) => c.notNull())
    .addColumn("folder_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("archive_placements_pk", ["owner_user_id", "item_key"])
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  for (const t of ["archive_placements", "archive_uploads", "archive_folders"]) await db.schema.dropTable(t).ifExists().execute()
}
