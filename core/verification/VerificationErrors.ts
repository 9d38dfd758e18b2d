import { Schema } from "effect"

/** The file field was left empty (or the file has no bytes). */
export class UploadEmpty extends Schema.TaggedError<UploadEmpty>()("UploadEmpty", {}) {}

/** The file is over the 10 MB limit. */
export class UploadTooLarge extends Schema.TaggedError<UploadTooLarge>()("UploadTooLarge", {
  size: Schema.Number,
  limit: Schema.Number,
}) {}

/** The file's bytes are not of a type allowed for this purpose (whatever its name says). */
export class UploadTypeNotAllowed extends Schema.TaggedError<UploadTypeNotAllowed>()("UploadTypeNotAllowed", {
  kind: Schema.String,
  found: Schema.String,
}) {}

/** The image is too small to read, or absurdly large in pixels. */
export class UploadImageSize extends Schema.TaggedError<UploadImageSize>()("UploadImageSize", {
  width: Schema.Number,
  height: Schema.Number,
}) {}

/** The user already passed personal verification; it is not repeated. */
export class AlreadyVerified extends Schema.TaggedError<AlreadyVerified>()("AlreadyVerified", {}) {}

/** The ID number's birth date lies after today. */
export class IdNumberBirthInFuture extends Schema.TaggedError<IdNumberBirthInFuture>()("IdNumberBirthInFuture", {}) {}

/** Why an identity provider refused a four-factor check. */
export const IdentityRejectionReason = Schema.Literals([
  "name-mismatch", "id-number-not-found", "card-not-bound-to-mobile", "card-holder-mismatch", "card-not-supported", "id-photo-unreadable",
])
export type IdentityRejectionReason = typeof IdentityRejectionReason.Type

/** The four factors (name, ID number, bank card, reserved mobile) do not belong together. */
export class IdentityRejected extends Schema.TaggedError<IdentityRejected>()("IdentityRejected", {
  reason: IdentityRejectionReason,
}) {}

/** The identity provider could not be reached or answered garbage; nothing was decided. */
export class IdentityProviderUnavailable extends Schema.TaggedError<IdentityProviderUnavailable>()("IdentityProviderUnavailable", {
  detail: Schema.String,
}) {}

/** Enterprise verification needs the applicant's personal verification first (R2). */
export class PersonalVerificationRequired extends Schema.TaggedError<PersonalVerificationRequired>()("PersonalVerificationRequired", {}) {}

/** The application is not in a state where this step is possible (e.g. editing while in review). */
export class VerificationStepRefused extends Schema.TaggedError<VerificationStepRefused>()("VerificationStepRefused", {
  status: Schema.String,
  event: Schema.String,
}) {}

/** An enterprise with this unified social credit code is already verified on the platform. */
export class EnterpriseAlreadyVerified extends Schema.TaggedError<EnterpriseAlreadyVerified>()("EnterpriseAlreadyVerified", {
  creditCode: Schema.String,
}) {}

export type UploadError = UploadEmpty | UploadTooLarge | UploadTypeNotAllowed | UploadImageSize

/** The same photo was given for both sides of the ID card (正面 and 反面 must be two photos). */
export class IdPhotoSidesSame extends Schema.TaggedError<IdPhotoSidesSame>()("IdPhotoSidesSame", {}) {}
