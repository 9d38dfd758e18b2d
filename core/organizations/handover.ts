import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import { confirmCode } from "../otp/confirmCode.ts"
import { sendCode } from "../otp/sendCode.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { HandoverTargetInvalid } from "./adminHandover.ts"
import { enterpriseVar, mobileOf, notify, orgEvent, verifiedUserByMobile } from "./orgActs.ts"
import { HandoverAlreadyPending } from "./OrganizationErrors.ts"
import { HANDOVER_TTL_MS, HandoverRequest, type HandoverId } from "./Organization.ts"
import { ensureCan, headOffice, orgScope, type OrgScope } from "./orgScope.ts"

/**
 * The OTP purpose of the admin's willingness code (E1 step 1 主观意愿验证):
 * bound to this enterprise and this new admin, so it confirms nothing else.
 */
export const handoverPurpose = (enterpriseId: string, newAdminUserId: string) => `handover:${enterpriseId}-${newAdminUserId}`

/** Marks a pending request whose 72 hours are up as expired (own transaction, with its evidence); true if it was. */
export const expireIfDue = Effect.fn("organizations.expireHandover")(function*(request: HandoverRequest) {
  const now = yield* Clock.currentTimeMillis
  if (request.status !== "pending" || now < request.expiresAt) return false
  const repo = yield* MembershipRepository
  yield* withEvidence(repo.decideHandover(request.id, "expired", now), orgEvent("handover.expired", request.enterpriseId, null, { handover: request.id }))
  return true
})

/** The enterprise's pending request, if any (an expired one is closed on the way). */
export const pendingHandoverOf = Effect.fn("organizations.pendingHandoverOf")(function*(enterpriseId: string) {
  const pending = yield* (yield* MembershipRepository).pendingHandover(enterpriseId)
  if (Option.isNone(pending) || (yield* expireIfDue(pending.value))) return Option.none<HandoverRequest>()
  return pending
})

/** The admin's scope and the verified new admin, or why not. */
const handoverParties = Effect.fn("organizations.handoverParties")(function*(actorUserId: string, enterpriseId: string, newAdminMobile: string) {
  const scope: OrgScope = yield* orgScope(actorUserId, enterpriseId)
  yield* ensureCan(scope, "enterprise.handover", headOffice(scope))
  const target = yield* verifiedUserByMobile(newAdminMobile)
  if (target.id === actorUserId) return yield* new HandoverTargetInvalid()
  if (Option.isSome(yield* pendingHandoverOf(enterpriseId))) return yield* new HandoverAlreadyPending()
  const adminMobile = yield* mobileOf(actorUserId)
  if (adminMobile === null) return yield* new NotFound({ entity: "user", id: actorUserId })
  return { scope, target, adminMobile }
})

/** E1 step 1: texts the current admin a code bound to handing this enterprise to this person. */
export const requestHandoverCode = Effect.fn("organizations.requestHandoverCode")(function*(actorUserId: string, enterpriseId: string, newAdminMobile: string) {
  const { target, adminMobile } = yield* handoverParties(actorUserId, enterpriseId, newAdminMobile)
  return yield* sendCode(adminMobile, handoverPurpose(enterpriseId, target.id))
})

/**
 * E1 step 2 发送信息给新管理员: the admin's code confirms their will; the
 * request (valid 72 hours) goes to the new admin. Nothing about roles changes
 * yet: the old admin stays admin until the new one accepts.
 */
export const requestHandover = Effect.fn("organizations.requestHandover")(function*(actorUserId: string, enterpriseId: string, newAdminMobile: string, code: string) {
  const { scope, target, adminMobile } = yield* handoverParties(actorUserId, enterpriseId, newAdminMobile)
  const { challengeId } = yield* confirmCode(adminMobile, handoverPurpose(enterpriseId, target.id), code)
  const now = yield* Clock.currentTimeMillis
  const request = new HandoverRequest({
    id: (yield* (yield* IdGenerator).next) as string as HandoverId, enterpriseId, fromUserId: scope.member.userId as HandoverRequest["fromUserId"],
    toUserId: target.id, status: "pending", otpChallengeId: challengeId, createdAt: now, expiresAt: now + HANDOVER_TTL_MS, decidedAt: null,
  })
  const insert = Effect.flatMap((yield* MembershipRepository).insertHandover(request), (ok) => ok ? Effect.succeed(request) : Effect.fail(new HandoverAlreadyPending()))
  yield* withEvidence(insert, orgEvent("handover.requested", enterpriseId, actorUserId, { handover: request.id, otpChallenge: challengeId }))
  yield* notify(target.mobile, { template: "SIGNET_ORG_HANDOVER_REQUESTED", vars: { enterprise: enterpriseVar(scope.enterprise.name) } })
  return request
})

/** The admin withdraws the pending request; nothing else changes. */
export const cancelHandover = Effect.fn("organizations.cancelHandover")(function*(actorUserId: string, enterpriseId: string) {
  const scope = yield* orgScope(actorUserId, enterpriseId)
  yield* ensureCan(scope, "enterprise.handover", headOffice(scope))
  return yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const pending = yield* pendingHandoverOf(enterpriseId)
    if (Option.isNone(pending)) return yield* new NotFound({ entity: "handover", id: enterpriseId })
    const now = yield* Clock.currentTimeMillis
    const cancel = Effect.flatMap((yield* MembershipRepository).decideHandover(pending.value.id, "cancelled", now), (ok) =>
      ok ? Effect.succeed(pending.value) : Effect.fail(new NotFound({ entity: "handover", id: pending.value.id })))
    return yield* withEvidence(cancel, orgEvent("handover.cancelled", enterpriseId, actorUserId, { handover: pending.value.id }))
  }))
})
