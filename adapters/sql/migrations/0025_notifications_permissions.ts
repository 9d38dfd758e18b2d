import type { Kysely } from "kysely"

/**
 * Issue 17. `notifications`: the 提醒 centre, one row per notice texted,
 * read by the number texted (newest first, unread counted for the header).
 * `org_members.permissions`: the 经办人's permissions as the manual's checkboxes
 * (发起签约, 用印, 查看全部合同, 管理模板), a JSON array; null for a member
 * added before, who keeps what their roles gave them.
 * `personal_verifications.back_photo_upload_id`: the ID card's back (反面),
 * null for verifications made before both sides were asked.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("mobile", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("link", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("read_at", "bigint")
    .execute()
  await db.schema.createIndex("notifications_mobile").on("notifications").columns(["mobile", "created_at"]).execute()
  await db.schema.alterTable("org_members").addColumn("permissions", "text").execute()
  await db.schema.alterTable("personal_verifications").addColumn("back_photo_upload_id", "text").execute()
}

export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("personal_verifications").dropColumn("back_photo_upload_id").execute()
  await db.schema.alterTable("org_members").dropColumn("permissions").execute()
  await db.schema.dropTable("notifications").ifExists().execute()
}
