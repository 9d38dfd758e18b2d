import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import type { EventType } from "../evidence/Event.ts"
import { NotFound } from "../kernel/errors.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { expireInvitationIfDue } from "./invitationLifetime.ts"
import { orgEvent, saveMember } from "./orgActs.ts"
import { InvitationClosed, MemberChanged } from "./OrganizationErrors.ts"
import { MemberRecord, sortRoles, type GrantableRole, type Invitation, type InvitationId } from "./Organization.ts"

const EVENT_OF: Record<GrantableRole, EventType> = { agent: "member.added", signatory: "signatory.linked", branchAdmin: "branchAdmin.appointed" }

const pendingInvitation = Effect.fn("organizations.pendingInvitation")(function*(userId: string, id: InvitationId) {
  const found = yield* (yield* MembershipRepository).findInvitation(id)
  // Someone else's invitation is "not found": its id reveals nothing.
  if (Option.isNone(found) || found.value.inviteeUserId !== userId) return yield* new NotFound({ entity: "invitation", id })
  if (yield* expireInvitationIfDue(found.value)) return yield* new InvitationClosed()
  return found.value
})

/** What accepting does to the membership: join, rejoin after 注销, or take one more role. */
const join = (inv: Invitation, existing: Option.Option<MemberRecord>, now: number) =>
  Effect.gen(function*() {
    const repo = yield* MembershipRepository
    if (Option.isNone(existing)) {
      const member = new MemberRecord({
        enterpriseId: inv.enterpriseId, userId: inv.inviteeUserId, branchId: inv.branchId, roles: [inv.role], department: inv.department,
        active: true, version: 0, createdAt: now, updatedAt: now,
      })
      if (!(yield* repo.insertMember(member))) return yield* new MemberChanged()
      return member
    }
    const before = existing.value
    if (!before.active) return yield* saveMember(before, { active: true, roles: [inv.role], branchId: inv.branchId, department: inv.department ?? before.department }, now)
    // A branch admin works in the branch they run; other roles keep the member where they are.
    return yield* saveMember(before, {
      roles: sortRoles([...before.roles, inv.role]),
      ...(inv.role === "branchAdmin" ? { branchId: inv.branchId } : {}),
      department: inv.department ?? before.department,
    }, now)
  })

/**
 * The invited user accepts: in one transaction the invitation closes, the
 * membership is written, and the act is recorded (member.added,
 * signatory.linked or branchAdmin.appointed).
 */
export const acceptInvitation = Effect.fn("organizations.acceptInvitation")(function*(userId: string, id: InvitationId) {
  const repo = yield* MembershipRepository
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const inv = yield* pendingInvitation(userId, id)
    const now = yield* Clock.currentTimeMillis
    const change = Effect.gen(function*() {
      if (!(yield* repo.decideInvitation(id, "accepted", now))) return yield* new InvitationClosed()
      return yield* join(inv, yield* repo.findMember(inv.enterpriseId, userId), now)
    })
    return yield* withEvidence(change, orgEvent(EVENT_OF[inv.role], inv.enterpriseId, userId, { invitation: id, role: inv.role, branch: inv.branchId }))
  }))
})

/** The invited user declines; nothing else changes. */
export const declineInvitation = Effect.fn("organizations.declineInvitation")(function*(userId: string, id: InvitationId) {
  const repo = yield* MembershipRepository
  const inv = yield* pendingInvitation(userId, id)
  const now = yield* Clock.currentTimeMillis
  const change = Effect.flatMap(repo.decideInvitation(id, "declined", now), (ok) => ok ? Effect.void : Effect.fail(new InvitationClosed()))
  yield* withEvidence(change, orgEvent("member.declined", inv.enterpriseId, userId, { invitation: id, role: inv.role }))
})

