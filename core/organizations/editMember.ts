import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { Forbidden, NotFound } from "../kernel/errors.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { orgEvent, saveMember } from "./orgActs.ts"
import { AdminRoleFixed, MemberInactive, NotABranch, RoleNeedsInvitation, RolesRequired } from "./OrganizationErrors.ts"
import { headOfficeId, sortRoles, type BranchId, type GrantableRole } from "./Organization.ts"
import { ensureCan, orgScope, resourceAt, type OrgScope } from "./orgScope.ts"
import { AGENT_PERMISSIONS, mayGiveRole, type AgentPermission } from "./permissions.ts"

/** Canonical order, so stored and compared sets agree. */
const sortPermissions = (p: ReadonlyArray<AgentPermission>): ReadonlyArray<AgentPermission> => AGENT_PERMISSIONS.filter((x) => p.includes(x))

export interface MemberChanges {
  readonly department: string | null
  /** The member's roles besides admin (which only moves by handover). */
  readonly roles: ReadonlyArray<GrantableRole>
  /** Move the member to this branch (within the editor's subtree). */
  readonly branchId?: string | undefined
  /** The agent's permissions (发起签约, 用印, 查看全部合同, 管理模板); unchanged when absent. */
  readonly permissions?: ReadonlyArray<AgentPermission> | undefined
}

/** An active member of the scope's enterprise that the actor may `member.edit`/`member.deactivate`. */
export const targetMember = Effect.fn("organizations.targetMember")(function*(scope: OrgScope, userId: string, action: "member.edit" | "member.deactivate") {
  const found = yield* (yield* MembershipRepository).findMember(scope.org.enterpriseId, userId)
  if (Option.isNone(found)) return yield* new NotFound({ entity: "member", id: userId })
  yield* ensureCan(scope, action, resourceAt(scope, found.value.branchId))
  if (!found.value.active) return yield* new MemberInactive()
  return found.value
})

/**
 * E2 编辑: sets a member's department, roles (permissions) and branch. The
 * admin role is fixed (handover only), a signatory is linked only by
 * invitation, a new branch admin needs the right to appoint one there, and
 * the member keeps at least one role. Nobody adds roles to themselves or
 * moves themselves, and a role added is one whose powers the editor holds
 * there (issue 16).
 */
export const editMember = Effect.fn("organizations.editMember")(function*(actorUserId: string, enterpriseId: string, userId: string, changes: MemberChanges) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  const before = yield* targetMember(scope, userId, "member.edit")
  const isAdmin = before.roles.includes("admin")
  const branchId = (changes.branchId ?? before.branchId) as BranchId
  if (!scope.org.branches.some((b) => b.id === branchId)) return yield* new NotFound({ entity: "branch", id: branchId })
  yield* ensureCan(scope, "member.edit", resourceAt(scope, branchId))
  if (isAdmin && branchId !== before.branchId) return yield* new AdminRoleFixed()
  const roles = sortRoles([...(isAdmin ? ["admin" as const] : []), ...changes.roles])
  if (roles.length === 0) return yield* new RolesRequired()
  if (roles.includes("signatory") && !before.roles.includes("signatory")) return yield* new RoleNeedsInvitation({ role: "signatory" })
  if (branchId !== before.branchId) yield* ensureCan(scope, "member.edit", resourceAt(scope, branchId, { subjectUserId: userId }))
  for (const role of roles) {
    const fresh = !before.roles.includes(role) || (role === "branchAdmin" && branchId !== before.branchId)
    if (fresh && !mayGiveRole(scope.org, scope.member, role, branchId, userId)) return yield* new Forbidden({ reason: `give ${role}` })
  }
  if (roles.includes("branchAdmin") && branchId === headOfficeId(enterpriseId)) return yield* new NotABranch()
  const now = yield* Clock.currentTimeMillis
  return yield* withEvidence(
    saveMember(before, { roles, branchId, department: changes.department, ...(changes.permissions === undefined ? {} : { permissions: sortPermissions(changes.permissions) }) }, now),
    orgEvent("member.edited", enterpriseId, actorUserId, {
      roles: roles.join(","), branch: branchId, ...(changes.permissions === undefined ? {} : { permissions: sortPermissions(changes.permissions).join(",") }),
    }),
  )
})
