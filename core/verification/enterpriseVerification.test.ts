import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layerNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { layerVerificationTest } from "../../fixtures/verification/layers.ts"
import { syntheticPng, tinyPdf } from "../../fixtures/verification/images.ts"
import { Staff, User } from "../accounts/User.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { StaffRepository, UserRepository } from "../ports/UserRepository.ts"
import { NotificationRepository } from "../ports/NotificationRepository.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { EnterpriseInfo } from "./EnterpriseVerification.ts"
import { PersonalVerification } from "./PersonalVerification.ts"
import type { ResidentIdNumber } from "./ResidentIdNumber.ts"
import { authorizationLetterFor, currentApplication, submitEnterpriseInfo, submitForReview, uploadAuthorizationLetter } from "./enterpriseApplication.ts"
import { administeredEnterprises, approveVerification, rejectVerification, reviewFile, reviewQueue } from "./reviewVerification.ts"
import { storeUpload } from "./uploads.ts"

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

let n = 0
const user = (verified: boolean) => Effect.gen(function*() {
  n += 1
  const u = new User({ id: `40000000000000000${String(n).padStart(2, "0")}` as UserId, mobile: `1360000000${n}` as Mobile, passwordHash: "h", name: null, email: null, createdAt: yield* Clock.currentTimeMillis })
  yield* (yield* UserRepository).insert(u)
  if (verified) {
    const photo = yield* storeUpload(u.id, "id-photo", syntheticPng(640, 400))
    yield* (yield* PersonalVerificationRepository).insert(new PersonalVerification({
      userId: u.id, name: "王小明", idNumber: "440305199208150034" as ResidentIdNumber, cardLast4: "2224", cardType: "credit",
      mobile: "13900000011" as Mobile, photoUploadId: photo.id, providerReference: "t", verifiedAt: 1,
    }))
  }
  return u
})
const reviewer = Effect.gen(function*() {
  const s = new Staff({ id: "5000000000000000001" as StaffId, username: "rev", passwordHash: "h", name: "审核员", createdAt: 1 })
  yield* (yield* StaffRepository).insert(s)
  return s.id
})
const info = (creditCode = "91110108MA01A2B3CF") => Schema.decodeUnknownSync(EnterpriseInfo)({
  name: "北京示例科技有限公司", creditCode, address: "北京市海淀区中关村大街1号", legalRepresentative: "赵敏", contactPhone: "010-62345678", email: "hr@example.cn",
})

describe("enterprise verification (V2-V4, X2)", () => {
  it.layer(Layer.merge(layerVerificationTest, layerNoEvidence))((it) => {
    it.effect("details, letter, review; rejection with reason; fix and resubmit; approval makes the applicant admin", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const staffId = yield* reviewer
        const me = yield* user(true)
        const licence = yield* storeUpload(me.id, "licence", syntheticPng(800, 600))
        const app = yield* submitEnterpriseInfo(me.id, info(), licence.id)
        expect(app.status).toBe("info-submitted")
        const pdf = yield* authorizationLetterFor(me.id, app.id)
        expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-")
        const letter = yield* storeUpload(me.id, "letter", tinyPdf())
        yield* uploadAuthorizationLetter(me.id, app.id, letter.id)
        const inReview = yield* submitForReview(me.id, app.id)
        expect([inReview.status, inReview.submissions]).toEqual(["in-review", 1])
        expect((yield* reviewQueue()).map((a) => a.id)).toContain(app.id)
        // Nothing can be changed while in review.
        expect(yield* outcome(submitEnterpriseInfo(me.id, info(), licence.id))).toBe("VerificationStepRefused")

        yield* TestClock.adjust("1 hour")
        const rejected = yield* rejectVerification(staffId, app.id, { reason: "letter-not-stamped", note: "请加盖企业公章后重新上传" })
        expect([rejected.status, rejected.rejection?.reason, rejected.decidedBy, rejected.decidedAt]).toEqual(["rejected", "letter-not-stamped", staffId, TEST_EPOCH + 3_600_000])
        expect((yield* reviewQueue()).map((a) => a.id)).not.toContain(app.id)
        // The applicant is told (issue 17): a text and a 提醒 with the same words, naming the reason.
        const told = () => Effect.map(NotificationRepository.use((r) => r.list(me.mobile, { limit: 10, offset: 0 })), (ns) => ns.map((n) => n.text))
        expect(yield* told()).toEqual(["您提交的企业认证（北京示例科技有限公司）未通过审核，原因：授权书未加盖企业公章。请登录 Signet 修改后重新提交。"])
        expect((yield* (yield* SmsOutbox).recent(1, me.mobile))[0]?.text).toBe(`【Signet】${(yield* told())[0]}`)

        const stamped = yield* storeUpload(me.id, "letter", syntheticPng(1200, 1600))
        yield* uploadAuthorizationLetter(me.id, app.id, stamped.id)
        const again = yield* submitForReview(me.id, app.id)
        expect([again.status, again.submissions, again.rejection]).toEqual(["in-review", 2, null])
        expect((yield* reviewQueue()).map((a) => a.id)).toContain(app.id)

        const { enterprise } = yield* approveVerification(staffId, app.id)
        expect([enterprise.name, enterprise.creditCode, enterprise.adminUserId]).toEqual(["北京示例科技有限公司", "91110108MA01A2B3CF", me.id])
        expect((yield* administeredEnterprises(me.id)).map((e) => e.id)).toEqual([enterprise.id])
        const final = Option.getOrThrow(yield* currentApplication(me.id))
        expect([final.status, final.enterpriseId]).toEqual(["approved", enterprise.id])
        expect(yield* outcome(approveVerification(staffId, app.id))).toBe("VerificationStepRefused")
        expect((yield* told())[0]).toBe("您提交的企业认证（北京示例科技有限公司）已审核通过，您已成为该企业的管理员。")
        expect((yield* told()).length).toBe(2)
        // Staff see the application's files only.
        expect(yield* outcome(reviewFile(app.id, stamped.id))).toBe("success")
        expect(yield* outcome(reviewFile(app.id, letter.id))).toBe("NotFound")
      }))

    it.effect("needs personal verification; refuses a verified credit code and other users' files and applications", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH + 86_400_000)
        const unverified = yield* user(false)
        const l0 = yield* storeUpload(unverified.id, "licence", syntheticPng(800, 600))
        expect(yield* outcome(submitEnterpriseInfo(unverified.id, info("91310115MA1K4D5E6D"), l0.id))).toBe("PersonalVerificationRequired")
        const [a, b] = [yield* user(true), yield* user(true)]
        const la = yield* storeUpload(a.id, "licence", syntheticPng(800, 601))
        expect(yield* outcome(submitEnterpriseInfo(b.id, info("91310115MA1K4D5E6D"), la.id))).toBe("NotFound")
        expect(yield* outcome(submitEnterpriseInfo(a.id, info(), la.id))).toBe("EnterpriseAlreadyVerified")
        const app = yield* submitEnterpriseInfo(a.id, info("91310115MA1K4D5E6D"), la.id)
        expect(yield* outcome(authorizationLetterFor(b.id, app.id))).toBe("NotFound")
        expect(yield* outcome(submitForReview(a.id, app.id))).toBe("VerificationStepRefused")
        expect(Option.getOrThrow(yield* currentApplication(a.id)).status).toBe("info-submitted")
      }))
  })
})
