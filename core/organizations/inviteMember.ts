import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { Forbidden, NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { openInvitations } from "./invitationLifetime.ts"
import { enterpriseVar, notify, orgEvent, verifiedUserByMobile } from "./orgActs.ts"
import { AdminRoleFixed, AlreadyInRole, InvitationAlreadyPending, NotABranch } from "./OrganizationErrors.ts"
import { headOfficeId, Invitation, ROLE_NAMES, type BranchId, type GrantableRole, type InvitationId } from "./Organization.ts"
import { ensureCan, orgScope, resourceAt } from "./orgScope.ts"
import { mayGiveRole, reachRoot } from "./permissions.ts"

export interface InviteInput {
  readonly mobile: string
  readonly role: GrantableRole
  /** The branch the member will work in; the inviter's own branch when omitted. */
  readonly branchId?: string | undefined
  readonly department?: string | null | undefined
}


/**
 * E2 添加经办人, E3 linking a signatory, E4 appointing a branch admin: invites
 * the verified user with this mobile; nothing changes until they accept. Who
 * may: an agent is added (and a signatory linked) by whoever may add members
 * in that branch (admin, its branch admins); a branch admin is appointed by
 * the admin, and only to a branch. Nobody invites themselves, and nobody
 * gives a role with powers they do not hold there (issue 16).
 */
export const inviteMember = Effect.fn("organizations.invite")(function*(actorUserId: string, enterpriseId: string, input: InviteInput) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  const branchId = (input.branchId ?? reachRoot(scope.org, scope.member)) as BranchId
  if (!scope.org.branches.some((b) => b.id === branchId)) return yield* new NotFound({ entity: "branch", id: branchId })
  yield* ensureCan(scope, input.role === "branchAdmin" ? "branchAdmin.appoint" : "member.add", resourceAt(scope, branchId))
  if (input.role === "branchAdmin" && branchId === headOfficeId(enterpriseId)) return yield* new NotABranch()
  const invitee = yield* verifiedUserByMobile(input.mobile)
  if (!mayGiveRole(scope.org, scope.member, input.role, branchId, invitee.id)) return yield* new Forbidden({ reason: `give ${input.role}` })
  const repo = yield* MembershipRepository
  const existing = yield* repo.findMember(enterpriseId, invitee.id)
  if (Option.isSome(existing) && existing.value.active) {
    if (existing.value.roles.includes(input.role)) return yield* new AlreadyInRole({ role: input.role })
    // The admin works from the head office; making them a branch's admin would shrink their tree.
    if (input.role === "branchAdmin" && existing.value.roles.includes("admin")) return yield* new AdminRoleFixed()
  }
  // A lapsed invitation does not stand in the way of a new one.
  const pending = yield* openInvitations(yield* repo.invitationsOf(enterpriseId, "pending"))
  if (pending.some((i) => i.inviteeUserId === invitee.id)) return yield* new InvitationAlreadyPending()
  const invitation = new Invitation({
    id: (yield* (yield* IdGenerator).next) as string as InvitationId,
    enterpriseId, branchId, role: input.role, department: input.department ?? null,
    inviterUserId: actorUserId as UserId, inviteeUserId: invitee.id, status: "pending",
    createdAt: yield* Clock.currentTimeMillis, decidedAt: null,
  })
  yield* withEvidence(repo.insertInvitation(invitation), orgEvent("member.invited", enterpriseId, actorUserId, { invitation: invitation.id, role: input.role, branch: branchId }))
  yield* notify(invitee.mobile, { template: "SIGNET_ORG_INVITED", vars: { enterprise: enterpriseVar(scope.enterprise.name), role: ROLE_NAMES[input.role] } })
  return invitation
})
