import { Clock, Effect, Option, Result } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { swapAdmin } from "./adminHandover.ts"
import { expireIfDue } from "./handover.ts"
import { enterpriseVar, mobileOf, notify, orgEvent, saveMember } from "./orgActs.ts"
import { HandoverClosed, HandoverExpired, MemberChanged } from "./OrganizationErrors.ts"
import type { EnterpriseId } from "./Enterprise.ts"
import { asMember, headOfficeId, MemberRecord, roleNames, sortRoles, type HandoverId } from "./Organization.ts"

/** A pending request addressed to this user; anyone else's is "not found". */
export const handoverFor = Effect.fn("organizations.handoverFor")(function*(userId: string, id: HandoverId) {
  const found = yield* (yield* MembershipRepository).findHandover(id)
  if (Option.isNone(found) || found.value.toUserId !== userId) return yield* new NotFound({ entity: "handover", id })
  return found.value
})

/**
 * E1 step 3: the new admin accepts. In one transaction the request closes,
 * the new admin joins if not yet a member, the roles swap (`swapAdmin`: both
 * keep their other roles; the old admin is an agent if none is left), the
 * enterprise's adminUserId follows, and the act is recorded; each side is
 * then texted its roles. A request past its 72 hours is closed as expired instead.
 */
export const acceptHandover = Effect.fn("organizations.acceptHandover")(function*(userId: string, id: HandoverId) {
  const request = yield* handoverFor(userId, id)
  if (request.status !== "pending") return yield* new HandoverClosed()
  if (yield* expireIfDue(request)) return yield* new HandoverExpired()
  const repo = yield* MembershipRepository
  const eid = request.enterpriseId
  const swapped = yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const change = Effect.gen(function*() {
      if (!(yield* repo.decideHandover(id, "accepted", now))) return yield* new HandoverClosed()
      const oldAdmin = yield* repo.findMember(eid, request.fromUserId)
      if (Option.isNone(oldAdmin) || !oldAdmin.value.active || !oldAdmin.value.roles.includes("admin")) return yield* new HandoverClosed()
      const found = yield* repo.findMember(eid, userId)
      const target = Option.getOrElse(found, () =>
        new MemberRecord({
          enterpriseId: eid, userId: request.toUserId, branchId: headOfficeId(eid), roles: [], department: null, active: true,
          version: -1, createdAt: now, updatedAt: now,
        }))
      const result = swapAdmin([asMember(oldAdmin.value), { ...asMember(target), active: true }], userId)
      if (Result.isFailure(result)) return yield* result.failure
      const after = new Map(result.success.map((m) => [m.userId, m]))
      // Old admin first: the database allows one active admin per enterprise at any moment.
      const demoted = yield* saveMember(oldAdmin.value, { roles: sortRoles(after.get(oldAdmin.value.userId)!.roles) }, now)
      const next = after.get(userId)!
      const promoted = Option.isSome(found)
        ? yield* saveMember(found.value, { roles: sortRoles(next.roles), branchId: next.branchId as MemberRecord["branchId"], active: true }, now)
        : new MemberRecord({ ...target, roles: sortRoles(next.roles), version: 0 })
      if (Option.isNone(found) && !(yield* repo.insertMember(promoted))) return yield* new MemberChanged()
      yield* repo.setEnterpriseAdmin(eid, userId)
      return { demoted, promoted }
    })
    return yield* withEvidence(change, orgEvent("handover.accepted", eid, userId, { handover: id }))
  }))
  // Each side hears its real roles after the swap (the member list shows the same).
  const found = yield* (yield* EnterpriseRepository).findById(eid as EnterpriseId)
  const enterprise = enterpriseVar(Option.isSome(found) ? found.value.name : "")
  const oldMobile = yield* mobileOf(request.fromUserId)
  if (oldMobile !== null) yield* notify(oldMobile, { template: "SIGNET_ORG_HANDOVER_DONE", vars: { enterprise, roles: roleNames(swapped.demoted.roles) } })
  const newMobile = yield* mobileOf(userId)
  if (newMobile !== null) yield* notify(newMobile, { template: "SIGNET_ORG_HANDOVER_ACCEPTED", vars: { enterprise, roles: roleNames(swapped.promoted.roles) } })
  return swapped
})
