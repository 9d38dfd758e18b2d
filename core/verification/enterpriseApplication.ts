import { Clock, Effect, Option } from "effect"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { EnterpriseVerificationRepository, PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { renderAuthorizationLetter } from "./authorizationLetter.ts"
import { EnterpriseVerification, type EnterpriseInfo, type EnterpriseVerificationId } from "./EnterpriseVerification.ts"
import { initialVerificationState, transition, type VerificationEvent } from "./enterpriseVerificationMachine.ts"
import type { UploadId } from "./Upload.ts"
import { ownUpload } from "./uploads.ts"
import { EnterpriseAlreadyVerified, PersonalVerificationRequired, VerificationStepRefused } from "./VerificationErrors.ts"

/** The applicant's newest application, if any (an approved one stays visible as the success page). */
export const currentApplication = Effect.fn("verification.currentApplication")(function*(userId: UserId) {
  const all = yield* (yield* EnterpriseVerificationRepository).listByApplicant(userId)
  return Option.fromNullishOr(all[0])
})

/** Another user's application is "not found", never "forbidden". */
export const ownApplication = Effect.fn("verification.ownApplication")(function*(userId: UserId, id: EnterpriseVerificationId) {
  const found = yield* (yield* EnterpriseVerificationRepository).find(id)
  if (Option.isNone(found) || found.value.applicantId !== userId) return yield* new NotFound({ entity: "enterpriseVerification", id })
  return found.value
})

/** Applies one machine event and writes the result, refusing if someone changed the application meanwhile. */
export const applyEvent = Effect.fn("verification.applyEvent")(function*(current: EnterpriseVerification, event: VerificationEvent, extra: Partial<EnterpriseVerification> = {}) {
  const next = yield* Effect.fromResult(transition(current, event))
  const now = yield* Clock.currentTimeMillis
  const updated = new EnterpriseVerification({ ...current, ...next, ...extra, updatedAt: Math.max(now, current.updatedAt + 1) })
  if (!(yield* (yield* EnterpriseVerificationRepository).update(updated, current.updatedAt))) {
    return yield* new VerificationStepRefused({ status: current.status, event: `${event._tag} (changed meanwhile)` })
  }
  return updated
})

const requirePersonal = Effect.fn("verification.requirePersonal")(function*(userId: UserId) {
  const found = yield* (yield* PersonalVerificationRepository).find(userId)
  if (Option.isNone(found)) return yield* new PersonalVerificationRequired()
  return found.value
})

/**
 * V2 step 1: enterprise details and licence photo. Needs personal verification
 * (R2). Continues the applicant's open application (also after a rejection:
 * that is the resubmission) or starts a new one. A credit code that already
 * belongs to a verified enterprise is refused before review.
 */
export const submitEnterpriseInfo = Effect.fn("verification.submitEnterpriseInfo")(function*(userId: UserId, info: EnterpriseInfo, licenceUploadId: UploadId) {
  yield* requirePersonal(userId)
  yield* ownUpload(userId, licenceUploadId, "licence")
  if (Option.isSome(yield* (yield* EnterpriseRepository).findByCreditCode(info.creditCode))) {
    return yield* new EnterpriseAlreadyVerified({ creditCode: info.creditCode })
  }
  const event: VerificationEvent = { _tag: "SubmitInfo", info, licenceUploadId }
  const open = yield* currentApplication(userId)
  if (Option.isSome(open) && open.value.status !== "approved") return yield* applyEvent(open.value, event)
  const now = yield* Clock.currentTimeMillis
  const draft = new EnterpriseVerification({
    ...initialVerificationState,
    id: (yield* (yield* IdGenerator).next) as string as EnterpriseVerificationId,
    applicantId: userId, submittedAt: null, decidedBy: null, decidedAt: null, enterpriseId: null, createdAt: now, updatedAt: now,
  })
  const created = new EnterpriseVerification({ ...draft, ...(yield* Effect.fromResult(transition(draft, event))) })
  yield* (yield* EnterpriseVerificationRepository).insert(created)
  return created
})

/** V3: the letter to download, pre-filled with the enterprise and the applicant's verified name and ID number. */
export const authorizationLetterFor = Effect.fn("verification.authorizationLetterFor")(function*(userId: UserId, id: EnterpriseVerificationId) {
  const application = yield* ownApplication(userId, id)
  const personal = yield* requirePersonal(userId)
  if (application.info === null) return yield* new VerificationStepRefused({ status: application.status, event: "DownloadLetter" })
  return yield* renderAuthorizationLetter({
    applicationId: application.id,
    enterpriseName: application.info.name,
    creditCode: application.info.creditCode,
    legalRepresentative: application.info.legalRepresentative,
    applicantName: personal.name,
    applicantIdNumber: personal.idNumber,
  })
})

/** V3: the stamped letter (photo or scanned PDF) replaces any earlier one. */
export const uploadAuthorizationLetter = Effect.fn("verification.uploadAuthorizationLetter")(function*(userId: UserId, id: EnterpriseVerificationId, letterUploadId: UploadId) {
  const application = yield* ownApplication(userId, id)
  yield* ownUpload(userId, letterUploadId, "letter")
  return yield* applyEvent(application, { _tag: "UploadLetter", letterUploadId })
})

/** V3 -> V4: sends the complete application to the reviewers' queue (again, after a rejection). */
export const submitForReview = Effect.fn("verification.submitForReview")(function*(userId: UserId, id: EnterpriseVerificationId) {
  const application = yield* ownApplication(userId, id)
  return yield* applyEvent(application, { _tag: "SubmitForReview" }, { submittedAt: yield* Clock.currentTimeMillis })
})
