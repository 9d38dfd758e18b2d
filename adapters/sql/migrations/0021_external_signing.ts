import type { Kysely } from "kysely"

/**
 * Issue 20, keys the signer holds. `external_signatures`: a signature
 * prepared for a key outside the platform (USB-Key, HSM), completed at most
 * once (completed_at is set by a conditional update in the act's
 * transaction). `auto_sign_authorizations`: an enterprise admin's grant of a
 * seal for API auto-signing (自动签署), with scope, window and a counter moved
 * by a conditional update. `contract_template_uses`: which template an API
 * contract was made from (the templates scope).
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("external_signatures")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contract_id", "text", (c) => c.notNull())
    .addColumn("party_index", "integer", (c) => c.notNull())
    .addColumn("field_name", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("base_sha256", "text", (c) => c.notNull())
    .addColumn("prepared_sha256", "text", (c) => c.notNull())
    .addColumn("contents_start", "bigint", (c) => c.notNull())
    .addColumn("contents_end", "bigint", (c) => c.notNull())
    .addColumn("content_digest", "text", (c) => c.notNull())
    .addColumn("certificate", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("completed_at", "bigint")
    .execute()
  await db.schema.createIndex("external_signatures_contract").on("external_signatures").column("contract_id").execute()
  await db.schema.createTable("auto_sign_authorizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("enterprise_id", "text", (c) => c.notNull())
    .addColumn("seal_id", "text", (c) => c.notNull())
    .addColumn("scope_kind", "text", (c) => c.notNull())
    .addColumn("scope_values", "text", (c) => c.notNull())
    .addColumn("valid_from", "bigint", (c) => c.notNull())
    .addColumn("valid_until", "bigint", (c) => c.notNull())
    .addColumn("max_count", "integer", (c) => c.notNull())
    .addColumn("used_count", "integer", (c) => c.notNull())
    .addColumn("granted_by", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addColumn("revoked_by", "text")
    .execute()
  await db.schema.createIndex("auto_sign_authorizations_enterprise").on("auto_sign_authorizations").column("enterprise_id").execute()
  await db.schema.createTable("contract_template_uses")
    .addColumn("contract_id", "text", (c) => c.primaryKey())
    .addColumn("template_id", "text", (c) => c.notNull())
    .execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable("contract_template_uses").ifExists().execute()
  await db.schema.dropTable("auto_sign_authorizations").ifExists().execute()
  await db.schema.dropTable("external_signatures").ifExists().execute()
}
