/** Invitations after they are sent: they lapse after INVITATION_TTL_MS, and the inviting side may withdraw them (撤回). */
import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { enterpriseVar, mobileOf, notify, orgEvent } from "./orgActs.ts"
import { InvitationClosed } from "./OrganizationErrors.ts"
import { INVITATION_TTL_MS, type Invitation, type InvitationId } from "./Organization.ts"
import { ensureCan, orgScope, resourceAt, visibleBranches } from "./orgScope.ts"

/** Moves a pending invitation to `status`, or fails with InvitationClosed when someone else decided it first. */
const decide = (id: InvitationId, status: "cancelled" | "expired", now: number) =>
  Effect.flatMap(MembershipRepository.use((r) => r.decideInvitation(id, status, now)), (ok) => ok ? Effect.void : Effect.fail(new InvitationClosed()))

/**
 * Closes a pending invitation whose time is up (recording member.invitation_expired)
 * and says whether it is closed now; like a handover request, it is closed
 * the first time anyone looks at it after that.
 */
export const expireInvitationIfDue = Effect.fn("organizations.expireInvitation")(function*(invitation: Invitation) {
  const now = yield* Clock.currentTimeMillis
  if (invitation.status !== "pending") return true
  if (now < invitation.createdAt + INVITATION_TTL_MS) return false
  const event = orgEvent("member.invitation_expired", invitation.enterpriseId, null, { invitation: invitation.id })
  yield* withEvidence(decide(invitation.id, "expired", now), event).pipe(Effect.catchTag("InvitationClosed", () => Effect.void))
  return true
})

/** The invitations among these that are still open (the lapsed ones closed on the way). */
export const openInvitations = (invitations: ReadonlyArray<Invitation>) =>
  Effect.filter(invitations, (i) => Effect.map(expireInvitationIfDue(i), (closed) => !closed))

/**
 * 撤回邀请: whoever may send such an invitation in its branch may withdraw it
 * while it waits (member.invitation_withdrawn); the invitee is told by SMS.
 * Another enterprise's invitation, or one in a branch the actor does not
 * see, is "not found".
 */
export const withdrawInvitation = Effect.fn("organizations.withdrawInvitation")(function*(actorUserId: string, enterpriseId: string, id: InvitationId) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  const found = yield* (yield* MembershipRepository).findInvitation(id)
  if (Option.isNone(found) || found.value.enterpriseId !== enterpriseId || !visibleBranches(scope).has(found.value.branchId)) {
    return yield* new NotFound({ entity: "invitation", id })
  }
  const invitation = found.value
  yield* ensureCan(scope, invitation.role === "branchAdmin" ? "branchAdmin.appoint" : "member.add", resourceAt(scope, invitation.branchId))
  if (yield* expireInvitationIfDue(invitation)) return yield* new InvitationClosed()
  const now = yield* Clock.currentTimeMillis
  yield* withEvidence(decide(id, "cancelled", now), orgEvent("member.invitation_withdrawn", enterpriseId, actorUserId, { invitation: id, role: invitation.role }))
  const mobile = yield* mobileOf(invitation.inviteeUserId)
  if (mobile !== null) yield* notify(mobile, { template: "SIGNET_ORG_INVITATION_WITHDRAWN", vars: { enterprise: enterpriseVar(scope.enterprise.name) } })
})
