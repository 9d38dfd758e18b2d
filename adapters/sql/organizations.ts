import { Effect, Layer, Option } from "effect"
import type { Kysely } from "kysely"
import { Branch, HandoverRequest, Invitation, MemberRecord, sortRoles } from "../../core/organizations/Organization.ts"
import type { Role } from "../../core/organizations/permissions.ts"
import { MembershipRepository } from "../../core/ports/MembershipRepository.ts"
import { OrganizationRepository } from "../../core/ports/OrganizationRepository.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { DB } from "./schema.ts"

/** Table shapes of the enterprise workspace (migration 0008). Flags 0/1, times epoch ms. */
export interface OrgBranchesTable {
  id: string
  enterprise_id: string
  parent_id: string | null
  name: string
  created_at: number
}
export interface OrgMembersTable {
  enterprise_id: string
  user_id: string
  branch_id: string
  role_admin: number
  role_branch_admin: number
  role_agent: number
  role_signatory: number
  department: string | null
  active: number
  /** Migration 0025: the agent's permissions as a JSON array; null for all. */
  permissions: string | null
  version: number
  created_at: number
  updated_at: number
}
export interface OrgInvitationsTable {
  id: string
  enterprise_id: string
  branch_id: string
  role: string
  department: string | null
  inviter_user_id: string
  invitee_user_id: string
  status: string
  created_at: number
  decided_at: number | null
}
export interface OrgHandoversTable {
  id: string
  enterprise_id: string
  from_user_id: string
  to_user_id: string
  status: string
  otp_challenge_id: string
  created_at: number
  expires_at: number
  decided_at: number | null
}

// The shared DB interface learns these tables here, so this context's schema stays in its own file.
declare module "./schema.ts" {
  interface DB {
    org_branches: OrgBranchesTable
    org_members: OrgMembersTable
    org_invitations: OrgInvitationsTable
    org_handovers: OrgHandoversTable
  }
}

const num = (v: number | string | null) => (v === null ? null : Number(v))

const decodeBranch = decodeRow(Branch, "org_branches")
const toBranch = (r: OrgBranchesTable) =>
  decodeBranch({ id: r.id, enterpriseId: r.enterprise_id, parentId: r.parent_id, name: r.name, createdAt: Number(r.created_at) })

/** A JSON column's value; text that is not JSON is handed on as is, so decoding it fails as a repository error, not a defect. */
const jsonOrRaw = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const FLAGS: ReadonlyArray<readonly [Role, "role_admin" | "role_branch_admin" | "role_agent" | "role_signatory"]> = [
  ["admin", "role_admin"], ["branchAdmin", "role_branch_admin"], ["agent", "role_agent"], ["signatory", "role_signatory"],
]
const decodeMember = decodeRow(MemberRecord, "org_members")
const toMember = (r: OrgMembersTable) =>
  decodeMember({
    enterpriseId: r.enterprise_id, userId: r.user_id, branchId: r.branch_id,
    roles: sortRoles(FLAGS.filter(([, col]) => Number(r[col]) === 1).map(([role]) => role)),
    department: r.department, active: Number(r.active) === 1, version: Number(r.version),
    // No stored set: the key stays absent, as on a record made before permissions existed.
    ...(r.permissions === null || r.permissions === undefined ? {} : { permissions: jsonOrRaw(r.permissions) }),
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  })
const memberColumns = (m: MemberRecord) => ({
  branch_id: m.branchId,
  role_admin: m.roles.includes("admin") ? 1 : 0,
  role_branch_admin: m.roles.includes("branchAdmin") ? 1 : 0,
  role_agent: m.roles.includes("agent") ? 1 : 0,
  role_signatory: m.roles.includes("signatory") ? 1 : 0,
  department: m.department,
  active: m.active ? 1 : 0,
  permissions: m.permissions === undefined || m.permissions === null ? null : JSON.stringify(m.permissions),
  version: m.version,
  updated_at: m.updatedAt,
})

const decodeInvitation = decodeRow(Invitation, "org_invitations")
const toInvitation = (r: OrgInvitationsTable) =>
  decodeInvitation({
    id: r.id, enterpriseId: r.enterprise_id, branchId: r.branch_id, role: r.role, department: r.department,
    inviterUserId: r.inviter_user_id, inviteeUserId: r.invitee_user_id, status: r.status,
    createdAt: Number(r.created_at), decidedAt: num(r.decided_at),
  })

const decodeHandover = decodeRow(HandoverRequest, "org_handovers")
const toHandover = (r: OrgHandoversTable) =>
  decodeHandover({
    id: r.id, enterpriseId: r.enterprise_id, fromUserId: r.from_user_id, toUserId: r.to_user_id, status: r.status,
    otpChallengeId: r.otp_challenge_id, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at), decidedAt: num(r.decided_at),
  })

const optional = <R, A, E>(decode: (r: R) => Effect.Effect<A, E>) => (r: R | undefined) =>
  r === undefined ? Effect.succeedNone : Effect.map(decode(r), Option.some)

/** Head office first, then by creation (ids are time-ordered). */
const branchesOf = (db: Kysely<DB>, enterpriseId: string) =>
  db.selectFrom("org_branches").selectAll().where("enterprise_id", "=", enterpriseId)
    .orderBy((eb) => eb.case().when("parent_id", "is", null).then(0).else(1).end()).orderBy("created_at").orderBy("id").execute()

const changed = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) === 1
const inserted = (r: { numInsertedOrUpdatedRows?: bigint | undefined }) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1

/** The read side `can()` asks (signatures fixed: seals, signatures, contracts and the API use it). */
export const layerOrganizationRepository = Layer.effect(
  OrganizationRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      org: (enterpriseId) =>
        q("organizations.org", (db) => branchesOf(db, enterpriseId)).pipe(
          Effect.map((rows) => ({ enterpriseId, branches: rows.map((r) => ({ id: r.id, parentId: r.parent_id })) })),
        ),
      member: (enterpriseId, userId) =>
        q("organizations.member", (db) =>
          db.selectFrom("org_members").selectAll().where("enterprise_id", "=", enterpriseId).where("user_id", "=", userId).executeTakeFirst()).pipe(
            Effect.flatMap(optional(toMember)),
            Effect.map(Option.map((m) => ({ userId: m.userId, enterpriseId: m.enterpriseId, roles: m.roles, branchId: m.branchId, active: m.active, permissions: m.permissions ?? null }))),
          ),
      membershipsOf: (userId) =>
        q("organizations.membershipsOf", (db) =>
          db.selectFrom("org_members").selectAll().where("user_id", "=", userId).where("active", "=", 1).orderBy("created_at").orderBy("enterprise_id").execute()).pipe(
            Effect.flatMap((rows) => Effect.forEach(rows, toMember)),
            Effect.map((ms) => ms.map((m) => ({ userId: m.userId, enterpriseId: m.enterpriseId, roles: m.roles, branchId: m.branchId, active: m.active, permissions: m.permissions ?? null }))),
          ),
    }
  }),
)

export const layerMembershipRepository = Layer.effect(
  MembershipRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      insertBranch: (b) =>
        q("organizations.insertBranch", (db) =>
          db.insertInto("org_branches").values({ id: b.id, enterprise_id: b.enterpriseId, parent_id: b.parentId, name: b.name, created_at: b.createdAt })
            .onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(Effect.map(inserted)),
      branches: (enterpriseId) =>
        q("organizations.branches", (db) => branchesOf(db, enterpriseId)).pipe(Effect.flatMap((rows) => Effect.forEach(rows, toBranch))),

      findMember: (enterpriseId, userId) =>
        q("organizations.findMember", (db) =>
          db.selectFrom("org_members").selectAll().where("enterprise_id", "=", enterpriseId).where("user_id", "=", userId).executeTakeFirst()).pipe(
            Effect.flatMap(optional(toMember)),
          ),
      members: (enterpriseId) =>
        q("organizations.members", (db) =>
          db.selectFrom("org_members as m")
            .innerJoin("users as u", "u.id", "m.user_id")
            .leftJoin("personal_verifications as p", "p.user_id", "m.user_id")
            .selectAll("m").select(["u.mobile as mobile", "u.name as account_name", "p.name as verified_name"])
            .where("m.enterprise_id", "=", enterpriseId)
            .orderBy("m.role_admin", "desc").orderBy("m.created_at").orderBy("m.user_id").execute()).pipe(
            Effect.flatMap((rows) =>
              Effect.forEach(rows, (r) =>
                Effect.map(toMember(r), (member) => ({ member, mobile: r.mobile, name: r.verified_name ?? r.account_name })))),
          ),
      insertMember: (m) =>
        q("organizations.insertMember", (db) =>
          db.insertInto("org_members").values({ ...memberColumns(m), enterprise_id: m.enterpriseId, user_id: m.userId, created_at: m.createdAt })
            .onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(Effect.map(inserted)),
      updateMember: (m) =>
        q("organizations.updateMember", (db) =>
          db.updateTable("org_members").set(memberColumns(m))
            .where("enterprise_id", "=", m.enterpriseId).where("user_id", "=", m.userId).where("version", "=", m.version - 1).executeTakeFirst()).pipe(
            Effect.map(changed),
          ),
      setEnterpriseAdmin: (enterpriseId, userId) =>
        q("organizations.setEnterpriseAdmin", (db) =>
          db.updateTable("enterprises").set({ admin_user_id: userId }).where("id", "=", enterpriseId).execute()).pipe(Effect.asVoid),

      insertInvitation: (i) =>
        q("organizations.insertInvitation", (db) =>
          db.insertInto("org_invitations").values({
            id: i.id, enterprise_id: i.enterpriseId, branch_id: i.branchId, role: i.role, department: i.department,
            inviter_user_id: i.inviterUserId, invitee_user_id: i.inviteeUserId, status: i.status, created_at: i.createdAt, decided_at: i.decidedAt,
          }).execute()).pipe(Effect.asVoid),
      findInvitation: (id) =>
        q("organizations.findInvitation", (db) => db.selectFrom("org_invitations").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap(optional(toInvitation)),
        ),
      invitationsFor: (userId) =>
        q("organizations.invitationsFor", (db) =>
          db.selectFrom("org_invitations").selectAll().where("invitee_user_id", "=", userId).where("status", "=", "pending")
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap((rows) => Effect.forEach(rows, toInvitation))),
      invitationsOf: (enterpriseId, status) =>
        q("organizations.invitationsOf", (db) =>
          db.selectFrom("org_invitations").selectAll().where("enterprise_id", "=", enterpriseId).where("status", "=", status)
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap((rows) => Effect.forEach(rows, toInvitation))),
      decideInvitation: (id, status, at) =>
        q("organizations.decideInvitation", (db) =>
          db.updateTable("org_invitations").set({ status, decided_at: at }).where("id", "=", id).where("status", "=", "pending").executeTakeFirst()).pipe(
            Effect.map(changed),
          ),

      insertHandover: (h) =>
        q("organizations.insertHandover", (db) =>
          db.insertInto("org_handovers").values({
            id: h.id, enterprise_id: h.enterpriseId, from_user_id: h.fromUserId, to_user_id: h.toUserId, status: h.status,
            otp_challenge_id: h.otpChallengeId, created_at: h.createdAt, expires_at: h.expiresAt, decided_at: h.decidedAt,
          }).onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(Effect.map(inserted)),
      findHandover: (id) =>
        q("organizations.findHandover", (db) => db.selectFrom("org_handovers").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap(optional(toHandover)),
        ),
      pendingHandover: (enterpriseId) =>
        q("organizations.pendingHandover", (db) =>
          db.selectFrom("org_handovers").selectAll().where("enterprise_id", "=", enterpriseId).where("status", "=", "pending").executeTakeFirst()).pipe(
            Effect.flatMap(optional(toHandover)),
          ),
      handoversFor: (userId) =>
        q("organizations.handoversFor", (db) =>
          db.selectFrom("org_handovers").selectAll().where("to_user_id", "=", userId).where("status", "=", "pending")
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap((rows) => Effect.forEach(rows, toHandover))),
      decideHandover: (id, status, at) =>
        q("organizations.decideHandover", (db) =>
          db.updateTable("org_handovers").set({ status, decided_at: at }).where("id", "=", id).where("status", "=", "pending").executeTakeFirst()).pipe(
            Effect.map(changed),
          ),
    }
  }),
)

/** Both organization ports; needs a `Database` migrated past 0008. */
export const layerOrganizationRepositories = Layer.merge(layerOrganizationRepository, layerMembershipRepository)
