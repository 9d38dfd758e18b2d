import { sql, type Kysely } from "kysely"

/**
 * The enterprise workspace (E1-E4): the branch tree (head office = root, its
 * id is the enterprise id), members with one flag per role, invitations and
 * admin handover requests. Two rules the database enforces too: at most one
 * active admin per enterprise, at most one pending handover per enterprise.
 * Backfill: every enterprise approved before this migration gets its head
 * office and its admin as an active admin member.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.createTable("org_branches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("enterprise_id", "text", (c) => c.notNull().references("enterprises.id"))
    .addColumn("parent_id", "text", (c) => c.references("org_branches.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("org_branches_name", ["enterprise_id", "name"])
    .execute()
  await db.schema.createTable("org_members")
    .addColumn("enterprise_id", "text", (c) => c.notNull().references("enterprises.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("branch_id", "text", (c) => c.notNull().references("org_branches.id"))
    .addColumn("role_admin", "integer", (c) => c.notNull())
    .addColumn("role_branch_admin", "integer", (c) => c.notNull())
    .addColumn("role_agent", "integer", (c) => c.notNull())
    .addColumn("role_signatory", "integer", (c) => c.notNull())
    .addColumn("department", "text")
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("org_members_pk", ["enterprise_id", "user_id"])
    .execute()
  await db.schema.createIndex("org_members_user").on("org_members").columns(["user_id", "active"]).execute()
  await db.schema.createIndex("org_members_one_admin").on("org_members").column("enterprise_id").unique()
    .where(sql<boolean>`role_admin = 1 and active = 1`).execute()
  await db.schema.createTable("org_invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("enterprise_id", "text", (c) => c.notNull().references("enterprises.id"))
    .addColumn("branch_id", "text", (c) => c.notNull().references("org_branches.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("department", "text")
    .addColumn("inviter_user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("invitee_user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("decided_at", "bigint")
    .execute()
  await db.schema.createIndex("org_invitations_invitee").on("org_invitations").columns(["invitee_user_id", "status"]).execute()
  await db.schema.createIndex("org_invitations_enterprise").on("org_invitations").columns(["enterprise_id", "status"]).execute()
  await db.schema.createTable("org_handovers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("enterprise_id", "text", (c) => c.notNull().references("enterprises.id"))
    .addColumn("from_user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("to_user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("otp_challenge_id", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("decided_at", "bigint")
    .execute()
  await db.schema.createIndex("org_handovers_to").on("org_handovers").columns(["to_user_id", "status"]).execute()
  await db.schema.createIndex("org_handovers_one_pending").on("org_handovers").column("enterprise_id").unique()
    .where(sql<boolean>`status = 'pending'`).execute()

  const enterprises = await db.selectFrom("enterprises").select(["id", "admin_user_id", "created_at"]).execute()
  for (const e of enterprises) {
    await db.insertInto("org_branches").values({ id: e.id, enterprise_id: e.id, parent_id: null, name: "总公司", created_at: e.created_at }).execute()
    await db.insertInto("org_members").values({
      enterprise_id: e.id, user_id: e.admin_user_id, branch_id: e.id, role_admin: 1, role_branch_admin: 0, role_agent: 0, role_signatory: 0,
      department: null, active: 1, version: 0, created_at: e.created_at, updated_at: e.created_at,
    }).execute()
  }
}

export const down = async (db: Kysely<any>): Promise<void> => {
  for (const t of ["org_handovers", "org_invitations", "org_members", "org_branches"]) await db.schema.dropTable(t).ifExists().execute()
}
