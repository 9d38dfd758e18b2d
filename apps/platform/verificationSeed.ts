import { Clock, Effect, Option, Schema } from "effect"
import { User } from "../../core/accounts/User.ts"
import type { UserId } from "../../core/kernel/Ids.ts"
import { Mobile } from "../../core/kernel/Mobile.ts"
import { NewPassword } from "../../core/kernel/Password.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { PasswordHasher } from "../../core/ports/PasswordHasher.ts"
import { StaffRepository, UserRepository } from "../../core/ports/UserRepository.ts"
import { EnterpriseVerificationRepository, PersonalVerificationRepository } from "../../core/ports/VerificationRepository.ts"
import { authorizationLetterFor, submitEnterpriseInfo, submitForReview, uploadAuthorizationLetter } from "../../core/verification/enterpriseApplication.ts"
import { EnterpriseInfo } from "../../core/verification/EnterpriseVerification.ts"
import { PersonalVerification } from "../../core/verification/PersonalVerification.ts"
import { ResidentIdNumber } from "../../core/verification/ResidentIdNumber.ts"
import { approveVerification } from "../../core/verification/reviewVerification.ts"
import { storeUpload } from "../../core/verification/uploads.ts"
import { syntheticPng } from "../../fixtures/verification/images.ts"

/**
 * Demo data of verification (dev profile): 张三 (13800000001) is personally
 * verified and admin of an approved enterprise; 王小明 (13800000003) waits in
 * the reviewers' queue; 李四 (13800000002) stays unverified so the V1 page can
 * be tried with his fixture identity (adapters/identity-fixture/README.md).
 */
export const demoVerificationUser = { mobile: "13800000003", password: "Demo1234", name: "王小明" } as const

const people = {
  "13800000001": { name: "张三", idNumber: "110101199003070011", cardLast4: "3446", mobile: "13800000001" },
  "13800000002": { name: "李四", idNumber: "310115198505120024", cardLast4: "0012", mobile: "13800000002" },
  "13800000003": { name: "王小明", idNumber: "440305199208150034", cardLast4: "2224", mobile: "13900000011" },
} as const

const enterprises = {
  approved: { name: "北京示例科技有限公司", creditCode: "91110108MA01A2B3CF", address: "北京市海淀区中关村大街 27 号", legalRepresentative: "张三", contactPhone: "010-62345678", email: "admin@bj-demo.example.cn" },
  pending: { name: "上海示例贸易有限公司", creditCode: "91310115MA1K4D5E6D", address: "上海市浦东新区世纪大道 100 号", legalRepresentative: "王小明", contactPhone: "021-58886666", email: "office@sh-demo.example.cn" },
}

const ensureUser = (mobile: string, name: string, password: string) =>
  Effect.gen(function*() {
    const users = yield* UserRepository
    const found = yield* users.findByMobile(mobile)
    if (Option.isSome(found)) return found.value
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId, mobile: Schema.decodeSync(Mobile)(mobile),
      passwordHash: yield* (yield* PasswordHasher).hash(Schema.decodeSync(NewPassword)(password)),
      name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* users.insert(user)
    return user
  })

/** Demo only: records the verification a fixture check would produce, without texting a code. */
export const ensureVerified = (user: User) =>
  Effect.gen(function*() {
    const repo = yield* PersonalVerificationRepository
    if (Option.isSome(yield* repo.find(user.id))) return
    const p = people[user.mobile as keyof typeof people]
    const photo = yield* storeUpload(user.id, "id-photo", syntheticPng(856, 540))
    const back = yield* storeUpload(user.id, "id-photo", syntheticPng(856, 541))
    yield* repo.insert(new PersonalVerification({
      userId: user.id, name: p.name, idNumber: Schema.decodeSync(ResidentIdNumber)(p.idNumber), cardLast4: p.cardLast4, cardType: "debit",
      mobile: Schema.decodeSync(Mobile)(p.mobile), photoUploadId: photo.id, backPhotoUploadId: back.id, providerReference: "demo-seed", verifiedAt: yield* Clock.currentTimeMillis,
    }))
  })

/** Steps 1-2 and submission with the generated letter standing in for the stamped scan. */
const applyFor = (user: User, info: typeof enterprises.approved) =>
  Effect.gen(function*() {
    const licence = yield* storeUpload(user.id, "licence", syntheticPng(1200, 850))
    const app = yield* submitEnterpriseInfo(user.id, Schema.decodeSync(EnterpriseInfo)(info), licence.id)
    const letter = yield* storeUpload(user.id, "letter", yield* authorizationLetterFor(user.id, app.id))
    yield* uploadAuthorizationLetter(user.id, app.id, letter.id)
    return yield* submitForReview(user.id, app.id)
  })

export const seedVerification = Effect.gen(function*() {
  const zhang = yield* UserRepository.use((r) => r.findByMobile("13800000001"))
  const reviewer = yield* StaffRepository.use((r) => r.findByUsername("reviewer"))
  if (Option.isNone(zhang) || Option.isNone(reviewer)) return
  yield* ensureVerified(zhang.value)
  if (Option.isNone(yield* EnterpriseRepository.use((r) => r.findByCreditCode(enterprises.approved.creditCode)))) {
    const app = yield* applyFor(zhang.value, enterprises.approved)
    yield* approveVerification(reviewer.value.id, app.id)
  }
  const wang = yield* ensureUser(demoVerificationUser.mobile, demoVerificationUser.name, demoVerificationUser.password)
  yield* ensureVerified(wang)
  if ((yield* EnterpriseVerificationRepository.use((r) => r.listByApplicant(wang.id))).length === 0) yield* applyFor(wang, enterprises.pending)
})
