import { Schema } from "effect"
import { Email } from "../accounts/User.ts"
import { Millis } from "../kernel/Millis.ts"
import { StaffId, UserId } from "../kernel/Ids.ts"
import { CreditCode } from "../kernel/CreditCode.ts"
import { UploadId } from "./Upload.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
export const EnterpriseVerificationId = Digits19.pipe(Schema.brand("EnterpriseVerificationId"))
export type EnterpriseVerificationId = typeof EnterpriseVerificationId.Type

const text = (min: number, max: number, key: string) =>
  Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: key }), Schema.isBetweenLength(min, max, { message: key })))

/** A contact number: a mobile or a landline with area code (010-12345678). */
export const ContactPhone = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { message: "contactPhone.invalid" })),
)

/** V2 step 1: what the applicant types next to the licence photo. */
export const EnterpriseInfo = Schema.Struct({
  name: text(2, 60, "enterpriseName.length"),
  creditCode: CreditCode,
  address: text(4, 120, "address.length"),
  legalRepresentative: text(2, 30, "legalRepresentative.length"),
  contactPhone: ContactPhone,
  email: Email,
})
export type EnterpriseInfo = typeof EnterpriseInfo.Type

export const VerificationStatus = Schema.Literals(["draft", "info-submitted", "letter-uploaded", "in-review", "approved", "rejected"])
export type VerificationStatus = typeof VerificationStatus.Type

/** The reasons a reviewer picks from when rejecting (X2), plus free text. */
export const RejectionReason = Schema.Literals(["licence-unclear", "info-mismatch", "letter-not-stamped", "letter-mismatch", "enterprise-abnormal", "other"])
export type RejectionReason = typeof RejectionReason.Type

export const rejectionReasonText: Record<RejectionReason, string> = {
  "licence-unclear": "营业执照照片不清晰或不完整",
  "info-mismatch": "填写的企业信息与营业执照不一致",
  "letter-not-stamped": "授权书未加盖企业公章",
  "letter-mismatch": "授权书内容与申请人或企业不一致",
  "enterprise-abnormal": "企业登记状态异常（注销、吊销等）",
  other: "其他原因",
}

export const Rejection = Schema.Struct({ reason: RejectionReason, note: Schema.String })
export type Rejection = typeof Rejection.Type

/** One enterprise verification application (V2-V4) and where it stands. */
export class EnterpriseVerification extends Schema.Class<EnterpriseVerification>("EnterpriseVerification")({
  id: EnterpriseVerificationId,
  applicantId: UserId,
  status: VerificationStatus,
  info: Schema.NullOr(EnterpriseInfo),
  licenceUploadId: Schema.NullOr(UploadId),
  letterUploadId: Schema.NullOr(UploadId),
  /** How many times it was sent to review (a resubmission after rejection counts again). */
  submissions: Schema.Number,
  submittedAt: Schema.NullOr(Millis),
  rejection: Schema.NullOr(Rejection),
  decidedBy: Schema.NullOr(StaffId),
  decidedAt: Schema.NullOr(Millis),
  enterpriseId: Schema.NullOr(Schema.String),
  createdAt: Millis,
  updatedAt: Millis,
}) {}

/** Who decided what and when: one row per decision, never overwritten. */
export class VerificationDecision extends Schema.Class<VerificationDecision>("VerificationDecision")({
  id: Digits19,
  verificationId: EnterpriseVerificationId,
  staffId: StaffId,
  decision: Schema.Literals(["approved", "rejected"]),
  reason: Schema.NullOr(RejectionReason),
  note: Schema.NullOr(Schema.String),
  decidedAt: Millis,
}) {}
