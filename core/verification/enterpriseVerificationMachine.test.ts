import { describe, expect, it } from "vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Result } from "effect"
import { arbCreditCode } from "../../fixtures/verification/arbitraries.ts"
import type { CreditCode } from "../kernel/CreditCode.ts"
import type { EnterpriseInfo } from "./EnterpriseVerification.ts"
import { initialVerificationState, isEditable, transition, type VerificationEvent, type VerificationState } from "./enterpriseVerificationMachine.ts"
import type { UploadId } from "./Upload.ts"

const arbUploadId = fc.stringMatching(/^[1-9]\d{18}$/).map((s) => s as UploadId)
const arbInfo: fc.Arbitrary<EnterpriseInfo> = arbCreditCode.map((creditCode) => ({
  name: "示例科技有限公司", creditCode: creditCode as CreditCode, address: "北京市海淀区", legalRepresentative: "王五", contactPhone: "13800000001", email: "a@b.cn",
}))
const arbEvent: fc.Arbitrary<VerificationEvent> = fc.oneof(
  fc.record({ _tag: fc.constant("SubmitInfo" as const), info: arbInfo, licenceUploadId: arbUploadId }),
  fc.record({ _tag: fc.constant("UploadLetter" as const), letterUploadId: arbUploadId }),
  fc.constant({ _tag: "SubmitForReview" as const }),
  fc.constant({ _tag: "Approve" as const }),
  fc.record({ _tag: fc.constant("Reject" as const), rejection: fc.record({ reason: fc.constant("letter-not-stamped" as const), note: fc.string() }) }),
)

/** Applies events, keeping refused ones out; returns every state visited with the event that led there. */
const run = (events: ReadonlyArray<VerificationEvent>) => {
  let s = initialVerificationState
  const steps: Array<{ before: VerificationState; event: VerificationEvent; after: Result.Result<VerificationState, unknown> }> = []
  for (const event of events) {
    const after = transition(s, event)
    steps.push({ before: s, event, after })
    if (Result.isSuccess(after)) s = after.success
  }
  return steps
}

describe("enterprise verification state machine (V2-V4)", () => {
  test.prop([fc.array(arbEvent, { maxLength: 40 })])("review only sees complete applications; decisions only happen in review", (events) => {
    for (const { before, event, after } of run(events)) {
      if (Result.isFailure(after)) continue
      const s = after.success
      if (s.status === "in-review") expect(s.info !== null && s.letterUploadId !== null).toBe(true)
      if (event._tag === "Approve" || event._tag === "Reject") expect(before.status).toBe("in-review")
      if (s.status === "letter-uploaded") expect(s.info).not.toBeNull()
    }
  })

  test.prop([fc.array(arbEvent, { maxLength: 40 })])("approval is final and nothing changes while in review except the decision", (events) => {
    for (const { before, event, after } of run(events)) {
      if (before.status === "approved") expect(Result.isFailure(after)).toBe(true)
      if (before.status === "in-review" && event._tag !== "Approve" && event._tag !== "Reject") expect(Result.isFailure(after)).toBe(true)
    }
  })

  test.prop([fc.array(arbEvent, { maxLength: 40 })])("new details void the letter; each submission counts once and clears the old rejection", (events) => {
    for (const { before, event, after } of run(events)) {
      if (Result.isFailure(after)) continue
      const s = after.success
      if (event._tag === "SubmitInfo") expect(s.letterUploadId).toBeNull()
      expect(s.submissions).toBe(before.submissions + (event._tag === "SubmitForReview" ? 1 : 0))
      if (event._tag === "SubmitForReview") expect(s.rejection).toBeNull()
      if (event._tag === "Reject") expect(s.rejection).toEqual(event.rejection)
      expect(isEditable(before.status)).toBe(before.status !== "in-review" && before.status !== "approved")
    }
  })

  it("walks the seed's path: details, letter, review, rejection, fix, resubmission, approval", () => {
    const info = fc.sample(arbInfo, 1)[0]!
    const id = (n: number) => `100000000000000000${n}` as UploadId
    const steps: ReadonlyArray<VerificationEvent> = [
      { _tag: "SubmitInfo", info, licenceUploadId: id(1) },
      { _tag: "UploadLetter", letterUploadId: id(2) },
      { _tag: "SubmitForReview" },
      { _tag: "Reject", rejection: { reason: "letter-not-stamped", note: "" } },
      { _tag: "UploadLetter", letterUploadId: id(3) },
      { _tag: "SubmitForReview" },
      { _tag: "Approve" },
    ]
    const states = run(steps).map((s) => (Result.isSuccess(s.after) ? s.after.success.status : "refused"))
    expect(states).toEqual(["info-submitted", "letter-uploaded", "in-review", "rejected", "letter-uploaded", "in-review", "approved"])
    expect(Result.isFailure(transition(initialVerificationState, { _tag: "SubmitForReview" }))).toBe(true)
  })
})
