/**
 * 自动签署授权 (issue 20): the enterprise's admin authorizes one seal for
 * signing through the partner API without a person, confirmed by an SMS code
 * to the admin, recorded as evidence, revocable at any time.
 */
import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { Forbidden, NotFound } from "../kernel/errors.ts"
import { checkCode, consumeCode } from "../otp/confirmCode.ts"
import { sendCode } from "../otp/sendCode.ts"
import { Crypto } from "../ports/Crypto.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { toHex } from "../signing/pdf/bytes.ts"
import { AutoSignAuthorization, type AutoSignInput, AutoSignWindowInvalid } from "./AutoSignAuthorization.ts"
import { AutoSignRepository } from "../ports/AutoSignRepository.ts"
import type { OrgScope } from "../organizations/orgScope.ts"
import { visibleSeal } from "./seals.ts"
import { SealDisabled } from "./sealsErrors.ts"
import type { UserId } from "../kernel/Ids.ts"

/** The code confirms this enterprise's admin authorizing this seal, nothing else. */
export const autoSignPurpose = (enterpriseId: string, sealId: string) => `auto-sign:${enterpriseId}-${sealId}`

/** Only the enterprise's admin may let its seal sign without a person. */
export const isAutoSignAdmin = (scope: OrgScope) => scope.enterprise.adminUserId === scope.member.userId

const adminOf = (scope: OrgScope) =>
  Effect.gen(function*() {
    if (!isAutoSignAdmin(scope)) return yield* new Forbidden({ reason: "autoSign.admin" })
    const admin = yield* UserRepository.use((r) => r.findById(scope.member.userId as UserId))
    if (Option.isNone(admin)) return yield* new NotFound({ entity: "user", id: scope.member.userId })
    return admin.value
  })

const checked = (scope: OrgScope, input: AutoSignInput) =>
  Effect.gen(function*() {
    const admin = yield* adminOf(scope)
    const seal = yield* visibleSeal(scope, input.sealId)
    if (!seal.enabled) return yield* new SealDisabled({ sealId: seal.id })
    const now = yield* Clock.currentTimeMillis
    if (!(input.validUntil > input.validFrom && input.validUntil > now)) return yield* new AutoSignWindowInvalid()
    return { admin, seal }
  })

/** Step 1: texts the admin a code bound to authorizing this seal. */
export const requestAutoSignCode = Effect.fn("autoSign.requestCode")(function*(scope: OrgScope, input: AutoSignInput) {
  const { admin, seal } = yield* checked(scope, input)
  return yield* sendCode(admin.mobile, autoSignPurpose(scope.enterprise.id, seal.id))
})

/**
 * Step 2: the code confirms the admin's will; the authorization and its evidence commit together, the code is used up with them.
 * `{ seed: true }`: the dev profile's demo data only (no SMS, recorded as seeded), as demo signatures are.
 */
export const authorizeAutoSign = Effect.fn("autoSign.authorize")(function*(scope: OrgScope, input: AutoSignInput, code: string | { readonly seed: true }) {
  const { admin, seal } = yield* checked(scope, input)
  const { challengeId } = typeof code === "string" ? yield* checkCode(admin.mobile, autoSignPurpose(scope.enterprise.id, seal.id), code) : { challengeId: null }
  const now = yield* Clock.currentTimeMillis
  const authorization = new AutoSignAuthorization({
    id: toHex(yield* (yield* Crypto).randomBytes(8)), enterpriseId: scope.enterprise.id, sealId: seal.id,
    scopeKind: input.scopeKind, scopeValues: [...input.scopeValues], validFrom: input.validFrom, validUntil: input.validUntil,
    maxCount: input.maxCount, usedCount: 0, grantedBy: admin.id, createdAt: now, revokedAt: null, revokedBy: null,
  })
  yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    if (challengeId !== null) yield* consumeCode(challengeId)
    yield* withEvidence(AutoSignRepository.use((r) => r.insert(authorization)), () => ({
      type: "seal.auto_sign_authorized", subjectId: seal.id, role: "admin", actor: admin.id,
      data: {
        enterpriseId: scope.enterprise.id, authorization: authorization.id, scopeKind: input.scopeKind, scopeValues: input.scopeValues.join("、"),
        validFrom: input.validFrom, validUntil: input.validUntil, maxCount: input.maxCount, otpChallenge: challengeId,
        ...(challengeId === null ? { seed: true } : {}),
      },
    }))
  }))
  return authorization
})

/** 撤销: the next API call is refused; contracts already signed stay signed. */
export const revokeAutoSign = Effect.fn("autoSign.revoke")(function*(scope: OrgScope, id: string) {
  const admin = yield* adminOf(scope)
  const found = (yield* AutoSignRepository.use((r) => r.listOf(scope.enterprise.id))).find((a) => a.id === id)
  if (found === undefined) return yield* new NotFound({ entity: "auto-sign authorization", id })
  const now = yield* Clock.currentTimeMillis
  yield* (yield* UnitOfWork).transact(withEvidence(
    Effect.flatMap(AutoSignRepository.use((r) => r.revoke(scope.enterprise.id, id, admin.id, now)), (changed) => changed ? Effect.void : Effect.fail(new NotFound({ entity: "auto-sign authorization", id }))),
    () => ({ type: "seal.auto_sign_revoked", subjectId: found.sealId, role: "admin", actor: admin.id, data: { enterpriseId: scope.enterprise.id, authorization: id } }),
  ))
})

/** The enterprise's authorizations, newest first (members who may see its seals may see them). */
export const listAutoSign = Effect.fn("autoSign.list")(function*(scope: OrgScope) {
  return yield* AutoSignRepository.use((r) => r.listOf(scope.enterprise.id))
})
