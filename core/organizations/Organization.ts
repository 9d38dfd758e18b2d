import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { UserId } from "../kernel/Ids.ts"
import type { AgentPermission, Member, Role } from "./permissions.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const BranchId = Digits19.pipe(Schema.brand("BranchId"))
export type BranchId = typeof BranchId.Type
export const InvitationId = Digits19.pipe(Schema.brand("InvitationId"))
export type InvitationId = typeof InvitationId.Type
export const HandoverId = Digits19.pipe(Schema.brand("HandoverId"))
export type HandoverId = typeof HandoverId.Type

export const RoleSchema = Schema.Literals(["admin", "agent", "signatory", "branchAdmin"])
export const AgentPermissionSchema = Schema.Literals(["initiate", "seal", "viewAll", "templates"])

/** The manual's checkboxes for an agent (添加经办人并设置相关权限), in its words. */
export const AGENT_PERMISSION_NAMES: Record<AgentPermission, string> = { initiate: "发起签约", seal: "用印", viewAll: "查看全部合同", templates: "管理模板" }
/** Roles given by invitation or edit; admin only ever moves by handover (E1). */
export const GrantableRole = Schema.Literals(["agent", "signatory", "branchAdmin"])
export type GrantableRole = typeof GrantableRole.Type

/** Canonical order, so stored and compared role lists agree. */
export const ROLE_ORDER: ReadonlyArray<Role> = ["admin", "branchAdmin", "agent", "signatory"]
/** Each role's name as the manual and every page and text message say it (one table). */
export const ROLE_NAMES: Record<Role, string> = { admin: "管理员", branchAdmin: "分公司管理员", agent: "经办人", signatory: "有权签字人" }

/** A member's roles in words, in canonical order ("管理员、分公司管理员"). */
export const roleNames = (roles: Iterable<Role>): string => {
  const sorted = sortRoles(roles)
  return sorted.length === 0 ? "成员" : sorted.map((r) => ROLE_NAMES[r]).join("、")
}

export const sortRoles = (roles: Iterable<Role>): ReadonlyArray<Role> => {
  const set = new Set(roles)
  return ROLE_ORDER.filter((r) => set.has(r))
}

export const HEAD_OFFICE_NAME = "总公司"

/** The head office's branch id is its enterprise's id (both are snowflake ids, so no branch can clash with it). */
export const headOfficeId = (enterpriseId: string): BranchId => enterpriseId as BranchId

export const BranchName = Schema.String.pipe(
  Schema.check(Schema.isTrimmed({ message: "branchName.trim" }), Schema.isBetweenLength(2, 40, { message: "branchName.length" })),
)
export const Department = Schema.String.pipe(
  Schema.check(Schema.isTrimmed({ message: "department.trim" }), Schema.isMaxLength(30, { message: "department.length" })),
)

/** A node of the enterprise tree (E4 分公司); the head office is the root (parentId null). */
export class Branch extends Schema.Class<Branch>("Branch")({
  id: BranchId,
  enterpriseId: Schema.String,
  parentId: Schema.NullOr(BranchId),
  name: Schema.String,
  createdAt: Millis,
}) {}

/**
 * A person's place in an enterprise (E2): the branch whose subtree they work
 * in, their roles, department. `version` guards concurrent changes (an edit
 * and a handover acceptance never both win on stale data).
 */
export class MemberRecord extends Schema.Class<MemberRecord>("MemberRecord")({
  enterpriseId: Schema.String,
  userId: UserId,
  branchId: BranchId,
  roles: Schema.Array(RoleSchema),
  department: Schema.NullOr(Schema.String),
  active: Schema.Boolean,
  /** The agent's permissions; absent or null: all of them (members added before issue 17). */
  permissions: Schema.optionalKey(Schema.NullOr(Schema.Array(AgentPermissionSchema))),
  version: Schema.Number,
  createdAt: Millis,
  updatedAt: Millis,
}) {}

/** What `can()` reads of a member. */
export const asMember = (m: MemberRecord): Member => ({ userId: m.userId, enterpriseId: m.enterpriseId, roles: m.roles, branchId: m.branchId, active: m.active, permissions: m.permissions ?? null })

/** A member with the account's mobile (账号) and the verified real name (姓名) for display. */
export interface MemberView {
  readonly member: MemberRecord
  readonly mobile: string
  readonly name: string | null
}

/** "cancelled": withdrawn by the inviting side (撤回); "expired": not answered within INVITATION_TTL_MS. */
export const InvitationStatus = Schema.Literals(["pending", "accepted", "declined", "cancelled", "expired"])
export type InvitationStatus = typeof InvitationStatus.Type

/** How long an invitation waits for its answer: seven days, then it lapses and a new one may be sent. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000

/**
 * An invitation to join (or take another role in) an enterprise: add an agent,
 * link a signatory (E3), appoint a branch admin. It takes effect only when the
 * invited verified user accepts it.
 */
export class Invitation extends Schema.Class<Invitation>("Invitation")({
  id: InvitationId,
  enterpriseId: Schema.String,
  branchId: BranchId,
  role: GrantableRole,
  department: Schema.NullOr(Schema.String),
  inviterUserId: UserId,
  inviteeUserId: UserId,
  status: InvitationStatus,
  createdAt: Millis,
  decidedAt: Schema.NullOr(Millis),
}) {}

export const HandoverStatus = Schema.Literals(["pending", "accepted", "cancelled", "expired"])
export type HandoverStatus = typeof HandoverStatus.Type

/** How long a new admin has to accept (E1). */
export const HANDOVER_TTL_MS = 72 * 3600_000

/**
 * E1 更换管理员: the current admin's confirmed request that `toUserId` take
 * over. Until accepted the old admin stays admin; it can be cancelled, and it
 * expires after 72 hours.
 */
export class HandoverRequest extends Schema.Class<HandoverRequest>("HandoverRequest")({
  id: HandoverId,
  enterpriseId: Schema.String,
  fromUserId: UserId,
  toUserId: UserId,
  status: HandoverStatus,
  otpChallengeId: Schema.String,
  createdAt: Millis,
  expiresAt: Millis,
  decidedAt: Schema.NullOr(Millis),
}) {}
