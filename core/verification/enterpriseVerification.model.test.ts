import { afterAll, describe, expect, it } from "vitest"
import fc from "fast-check"
import { Clock, Effect, Layer, ManagedRuntime, Option } from "effect"
import { layerVerificationTest } from "../../fixtures/verification/layers.ts"
import { layerNoEvidence } from "../../fixtures/layers.ts"
import { syntheticPng, tinyPdf } from "../../fixtures/verification/images.ts"
import { Staff, User } from "../accounts/User.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { StaffRepository, UserRepository } from "../ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { creditCodeCheckChar, type CreditCode } from "../kernel/CreditCode.ts"
import type { EnterpriseVerificationId } from "./EnterpriseVerification.ts"
import { currentApplication, submitEnterpriseInfo, submitForReview, uploadAuthorizationLetter } from "./enterpriseApplication.ts"
import { PersonalVerification } from "./PersonalVerification.ts"
import type { ResidentIdNumber } from "./ResidentIdNumber.ts"
import { approveVerification, rejectVerification } from "./reviewVerification.ts"
import { storeUpload } from "./uploads.ts"

/**
 * Model-based: random sequences of applicant and reviewer acts run through the
 * real use cases on SQLite; after each act the stored application matches a
 * model that only knows the V2-V4 rules (status, submissions, enterprise).
 */
const runtime = ManagedRuntime.make(Layer.merge(layerVerificationTest, layerNoEvidence))
afterAll(() => runtime.dispose())
const run = <A, E>(e: Effect.Effect<A, E, ManagedRuntime.ManagedRuntime.Services<typeof runtime>>) => runtime.runPromise(Effect.result(e))

type Status = "none" | "info-submitted" | "letter-uploaded" | "in-review" | "approved" | "rejected"
interface Model { status: Status; submissions: number }
interface Real { readonly user: UserId; readonly staff: StaffId; readonly creditCode: CreditCode; app: EnterpriseVerificationId | null }

let serial = 0
const setupRun = async (): Promise<Real> => {
  serial += 1
  const n = String(serial).padStart(6, "0")
  const created = await runtime.runPromise(Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const user = new User({ id: `6${n.padStart(18, "0")}` as UserId, mobile: `135${n.padStart(8, "0")}` as Mobile, passwordHash: "h", name: null, email: null, createdAt: now })
    yield* (yield* UserRepository).insert(user)
    const staff = new Staff({ id: `7${n.padStart(18, "0")}` as StaffId, username: `model${n}`, passwordHash: "h", name: "审核员", createdAt: now })
    yield* (yield* StaffRepository).insert(staff)
    const photo = yield* storeUpload(user.id, "id-photo", syntheticPng(640, 400))
    yield* (yield* PersonalVerificationRepository).insert(new PersonalVerification({
      userId: user.id, name: "王小明", idNumber: "440305199208150034" as ResidentIdNumber, cardLast4: "2224", cardType: "debit",
      mobile: "13900000011" as Mobile, photoUploadId: photo.id, providerReference: "m", verifiedAt: now,
    }))
    return { user: user.id, staff: staff.id }
  }))
  const first17 = `91110108${n}MAX`.slice(0, 17)
  return { ...created, creditCode: (first17 + creditCodeCheckChar(first17)) as CreditCode, app: null }
}

const stored = async (r: Real) => {
  const res = await run(currentApplication(r.user))
  if (res._tag === "Failure") throw new Error("read failed")
  return Option.getOrNull(res.success)
}

const expectState = async (m: Model, r: Real) => {
  const a = await stored(r)
  expect(a?.status ?? "none").toBe(m.status)
  expect(a?.submissions ?? 0).toBe(m.submissions)
  const enterprise = await runtime.runPromise(EnterpriseRepository.use((e) => e.findByCreditCode(r.creditCode)))
  expect(Option.isSome(enterprise) && enterprise.value.adminUserId === r.user).toBe(m.status === "approved")
}

/** Runs an act; when the model says it is refused, the use case must fail and change nothing. */
const act = async (m: Model, r: Real, allowed: boolean, next: Partial<Model>, e: Effect.Effect<unknown, unknown, ManagedRuntime.ManagedRuntime.Services<typeof runtime>>) => {
  const result = await run(e)
  expect(result._tag).toBe(allowed ? "Success" : "Failure")
  if (allowed) Object.assign(m, next)
  await expectState(m, r)
}

const editable = (s: Status) => s === "none" || s === "info-submitted" || s === "letter-uploaded" || s === "rejected"

class SubmitInfo implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.status !== "approved"
  run = (m: Model, r: Real) =>
    act(m, r, editable(m.status), { status: "info-submitted" }, Effect.gen(function*() {
      const licence = yield* storeUpload(r.user, "licence", syntheticPng(800, 600))
      const a = yield* submitEnterpriseInfo(r.user, {
        name: "模型测试有限公司", creditCode: r.creditCode, address: "北京市海淀区", legalRepresentative: "王五", contactPhone: "13800000001", email: "m@example.cn",
      }, licence.id)
      r.app = a.id
    }))
  toString = () => "SubmitInfo"
}
class UploadLetter implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.status !== "none"
  run = (m: Model, r: Real) =>
    act(m, r, editable(m.status), { status: "letter-uploaded" }, Effect.flatMap(storeUpload(r.user, "letter", tinyPdf()), (u) => uploadAuthorizationLetter(r.user, r.app!, u.id)))
  toString = () => "UploadLetter"
}
class Submit implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.status !== "none"
  run = (m: Model, r: Real) => act(m, r, m.status === "letter-uploaded", { status: "in-review", submissions: m.submissions + 1 }, submitForReview(r.user, r.app!))
  toString = () => "Submit"
}
class Approve implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.status !== "none"
  run = (m: Model, r: Real) => act(m, r, m.status === "in-review", { status: "approved" }, approveVerification(r.staff, r.app!))
  toString = () => "Approve"
}
class Reject implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.status !== "none"
  run = (m: Model, r: Real) => act(m, r, m.status === "in-review", { status: "rejected" }, rejectVerification(r.staff, r.app!, { reason: "info-mismatch", note: "" }))
  toString = () => "Reject"
}

describe("enterprise verification use cases against a model (V2-V4)", () => {
  it("stored status, submission count and the enterprise follow the rules for any sequence of acts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands([fc.constant(new SubmitInfo()), fc.constant(new UploadLetter()), fc.constant(new Submit()), fc.constant(new Approve()), fc.constant(new Reject())], { maxCommands: 25 }),
        async (cmds) => {
          const real = await setupRun()
          await fc.asyncModelRun(() => ({ model: { status: "none", submissions: 0 } as Model, real }), cmds)
        },
      ),
      { numRuns: 25 },
    )
  }, 60_000)
})
