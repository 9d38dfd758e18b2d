import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { staffDecision } from "../evidence/staffDecision.ts"
import { NotFound } from "../kernel/errors.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import { Enterprise, type EnterpriseId } from "../organizations/Enterprise.ts"
import { foundOrganization } from "../organizations/foundOrganization.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { withNotices, type Notice } from "../notifications/notify.ts"
import { enterpriseVar } from "../organizations/orgActs.ts"
import { SMS_CAPS, smsVariable, type SmsContent } from "../ports/SmsTemplates.ts"
import { StaffRepository, UserRepository } from "../ports/UserRepository.ts"
import { EnterpriseVerificationRepository, PersonalVerificationRepository, UploadRepository } from "../ports/VerificationRepository.ts"
import { applyEvent } from "./enterpriseApplication.ts"
import { rejectionReasonText, VerificationDecision, type EnterpriseVerificationId, type Rejection } from "./EnterpriseVerification.ts"
import type { UploadId } from "./Upload.ts"
import { uploadContent } from "./uploads.ts"
import { EnterpriseAlreadyVerified } from "./VerificationErrors.ts"

/** X2: applications waiting for a reviewer, oldest submission first. */
export const reviewQueue = Effect.fn("verification.reviewQueue")(function*(limit = 100) {
  return yield* (yield* EnterpriseVerificationRepository).listByStatus("in-review", limit)
})

export const pendingReviewCount = Effect.fn("verification.pendingReviewCount")(function*() {
  return yield* (yield* EnterpriseVerificationRepository).countByStatus("in-review")
})

const findApplication = Effect.fn("verification.findApplication")(function*(id: EnterpriseVerificationId) {
  const found = yield* (yield* EnterpriseVerificationRepository).find(id)
  if (Option.isNone(found)) return yield* new NotFound({ entity: "enterpriseVerification", id })
  return found.value
})

/** X2 detail: the application, the applicant and their verified identity, every decision so far. */
export const reviewDetail = Effect.fn("verification.reviewDetail")(function*(id: EnterpriseVerificationId) {
  const application = yield* findApplication(id)
  const applicant = yield* (yield* UserRepository).findById(application.applicantId)
  const personal = yield* (yield* PersonalVerificationRepository).find(application.applicantId)
  const decisions = yield* (yield* EnterpriseVerificationRepository).listDecisions(id)
  const staff = yield* StaffRepository
  const staffNames: Record<string, string> = {}
  for (const d of decisions) {
    const s = yield* staff.findById(d.staffId)
    if (Option.isSome(s)) staffNames[d.staffId] = s.value.name
  }
  const letter = application.letterUploadId === null ? Option.none() : yield* (yield* UploadRepository).find(application.letterUploadId)
  const pdfIds = Option.isSome(letter) && letter.value.mediaType === "application/pdf" ? [letter.value.id] : []
  return { application, applicant: Option.getOrNull(applicant), personal: Option.getOrNull(personal), decisions, staffNames, pdfIds }
})

/** Staff see only the files an application is made of: the licence, the letter, the applicant's ID photos (正面, 反面). */
export const reviewFile = Effect.fn("verification.reviewFile")(function*(id: EnterpriseVerificationId, uploadId: UploadId) {
  const application = yield* findApplication(id)
  const personal = yield* (yield* PersonalVerificationRepository).find(application.applicantId)
  const allowed = [
    application.licenceUploadId, application.letterUploadId,
    ...(Option.isSome(personal) ? [personal.value.photoUploadId, personal.value.backPhotoUploadId ?? null] : []),
  ]
  const upload = yield* (yield* UploadRepository).find(uploadId)
  if (!allowed.includes(uploadId) || Option.isNone(upload)) return yield* new NotFound({ entity: "upload", id: uploadId })
  return yield* uploadContent(upload.value)
})

/** The decision row and its evidence event (X4), in the caller's transaction. */
const record = (id: EnterpriseVerificationId, staffId: StaffId, decision: "approved" | "rejected", rejection: Rejection | null, now: number, enterpriseId: string | null = null) =>
  withEvidence(Effect.gen(function*() {
    yield* (yield* EnterpriseVerificationRepository).insertDecision(new VerificationDecision({
      id: yield* (yield* IdGenerator).next, verificationId: id, staffId, decision,
      reason: rejection?.reason ?? null, note: rejection === null || rejection.note === "" ? null : rejection.note, decidedAt: now,
    }))
  }), () => staffDecision(staffId, `verification.${decision}`, { verification: id, enterprise: enterpriseId, reason: rejection?.reason ?? null }))

/**
 * V4: approves an application in review. In one transaction the enterprise
 * comes into existence with the applicant as its admin (R2) and its head
 * office with the admin as its one active admin member (E1), the application
 * records who approved it and when, and the decision is logged.
 */
export const approveVerification = Effect.fn("verification.approve")(function*(staffId: StaffId, id: EnterpriseVerificationId) {
  const enterprises = yield* EnterpriseRepository
  const ids = yield* IdGenerator
  return yield* withNotices(Effect.gen(function*() {
    const application = yield* findApplication(id)
    const now = yield* Clock.currentTimeMillis
    const info = application.info
    const enterprise = info === null ? null : new Enterprise({
      ...info, id: (yield* ids.next) as string as EnterpriseId, adminUserId: application.applicantId as UserId, createdAt: now,
    })
    const approved = yield* applyEvent(application, { _tag: "Approve" }, { decidedBy: staffId, decidedAt: now, enterpriseId: enterprise?.id ?? null })
    if (enterprise === null || !(yield* enterprises.insert(enterprise))) {
      return yield* new EnterpriseAlreadyVerified({ creditCode: info?.creditCode ?? "" })
    }
    yield* withEvidence(Effect.void, () => ({ type: "enterprise.approved", subjectId: enterprise.id, role: "staff", actor: staffId, data: { verification: id } }))
    yield* foundOrganization(enterprise)
    yield* record(id, staffId, "approved", null, now, enterprise.id)
    return { application: approved, enterprise }
  }), ({ application, enterprise }) => decisionNotice(application.applicantId, { template: "SIGNET_VERIFICATION_APPROVED", vars: { enterprise: enterpriseVar(enterprise.name) } }))
})

/** The applicant hears the decision (提醒 and SMS, in the decision's transaction: core/notifications/notify.ts). */
const decisionNotice = (applicantId: string, content: SmsContent) =>
  Effect.map(UserRepository.use((r) => r.findById(applicantId as UserId)), (user): ReadonlyArray<Notice> =>
    Option.isSome(user) ? [{ mobile: user.value.mobile, content }] : [])

/** V4: rejects with a listed reason and free text; the applicant sees both and may fix and resubmit. */
export const rejectVerification = Effect.fn("verification.reject")(function*(staffId: StaffId, id: EnterpriseVerificationId, rejection: Rejection) {
  return yield* withNotices(Effect.gen(function*() {
    const application = yield* findApplication(id)
    const now = yield* Clock.currentTimeMillis
    const rejected = yield* applyEvent(application, { _tag: "Reject", rejection }, { decidedBy: staffId, decidedAt: now })
    yield* record(id, staffId, "rejected", rejection, now)
    return rejected
  }), (rejected) => decisionNotice(rejected.applicantId, {
    template: "SIGNET_VERIFICATION_REJECTED",
    vars: { enterprise: enterpriseVar(rejected.info?.name ?? ""), reason: smsVariable(rejectionReasonText[rejection.reason], SMS_CAPS.reason) },
  }))
})

/** R2: the enterprises this user administers. */
export const administeredEnterprises = Effect.fn("verification.administeredEnterprises")(function*(userId: UserId) {
  return yield* (yield* EnterpriseRepository).listAdministeredBy(userId)
})
