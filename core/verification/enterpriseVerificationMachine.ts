import { Result } from "effect"
import type { EnterpriseInfo, Rejection, VerificationStatus } from "./EnterpriseVerification.ts"
import type { UploadId } from "./Upload.ts"
import { VerificationStepRefused } from "./VerificationErrors.ts"

/** The part of an application the rules look at. */
export interface VerificationState {
  readonly status: VerificationStatus
  readonly info: EnterpriseInfo | null
  readonly licenceUploadId: UploadId | null
  readonly letterUploadId: UploadId | null
  readonly submissions: number
  readonly rejection: Rejection | null
}

export type VerificationEvent =
  | { readonly _tag: "SubmitInfo"; readonly info: EnterpriseInfo; readonly licenceUploadId: UploadId }
  | { readonly _tag: "UploadLetter"; readonly letterUploadId: UploadId }
  | { readonly _tag: "SubmitForReview" }
  | { readonly _tag: "Approve" }
  | { readonly _tag: "Reject"; readonly rejection: Rejection }

export const initialVerificationState: VerificationState = {
  status: "draft", info: null, licenceUploadId: null, letterUploadId: null, submissions: 0, rejection: null,
}

const refuse = (s: VerificationState, e: VerificationEvent) =>
  Result.fail(new VerificationStepRefused({ status: s.status, event: e._tag }))

/** While the applicant may change the application: before review, and after a rejection. */
export const isEditable = (status: VerificationStatus): boolean =>
  status === "draft" || status === "info-submitted" || status === "letter-uploaded" || status === "rejected"

/**
 * V2-V4 as a pure transition function.
 * - Step 1 (SubmitInfo) may be repeated while editable. New enterprise details
 *   void an uploaded letter: the letter names the enterprise, so it must be
 *   downloaded and stamped again.
 * - Step 2 (UploadLetter) needs the details; a new letter replaces the old.
 * - SubmitForReview needs details and letter; it clears an earlier rejection
 *   and counts the submission. Nothing changes during review.
 * - Only an application in review is approved or rejected. Approval is final;
 *   a rejected application is fixed (step 1 or 2) and resubmitted.
 */
export const transition = (s: VerificationState, e: VerificationEvent): Result.Result<VerificationState, VerificationStepRefused> => {
  switch (e._tag) {
    case "SubmitInfo":
      if (!isEditable(s.status)) return refuse(s, e)
      return Result.succeed({ ...s, status: "info-submitted", info: e.info, licenceUploadId: e.licenceUploadId, letterUploadId: null })
    case "UploadLetter":
      if (!isEditable(s.status) || s.info === null) return refuse(s, e)
      return Result.succeed({ ...s, status: "letter-uploaded", letterUploadId: e.letterUploadId })
    case "SubmitForReview":
      if (s.status !== "letter-uploaded" || s.info === null || s.letterUploadId === null) return refuse(s, e)
      return Result.succeed({ ...s, status: "in-review", submissions: s.submissions + 1, rejection: null })
    case "Approve":
      if (s.status !== "in-review") return refuse(s, e)
      return Result.succeed({ ...s, status: "approved" })
    case "Reject":
      if (s.status !== "in-review") return refuse(s, e)
      return Result.succeed({ ...s, status: "rejected", rejection: e.rejection })
  }
}
