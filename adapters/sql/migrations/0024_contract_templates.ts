import type { Kysely } from "kysely"

/**
 * Issue 17: an enterprise's own contract templates (模板): the PDF by SHA-256 (in the blob store), roles, fill-in
 * fields and signing boxes as JSON (decoded by the entity's Schema when read), page sizes read at upload.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("contract_templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("enterprise_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("roles_json", "text", (c) => c.notNull())
    .addColumn("fields_json", "text", (c) => c.notNull())
    .addColumn("boxes_json", "text", (c) => c.notNull())
    .addColumn("pages_json", "text", (c) => c.notNull())
    .addColumn("document_sha256", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("deleted_at", "bigint")
    .execute()
  await db.schema.createIndex("contract_templates_enterprise").on("contract_templates").columns(["enterprise_id", "created_at"]).execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("contract_templates").ifExists().execute()
}
