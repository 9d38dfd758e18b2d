import { Clock, Effect, Option, Schema } from "effect"
import { addAddress } from "../../core/accounts/addressBook.ts"
import { createStaff } from "../../core/accounts/staff.ts"
import { AddressInput, User } from "../../core/accounts/User.ts"
import type { UserId } from "../../core/kernel/Ids.ts"
import { Mobile } from "../../core/kernel/Mobile.ts"
import { NewPassword } from "../../core/kernel/Password.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { PasswordHasher } from "../../core/ports/PasswordHasher.ts"
import { StaffRepository, UserRepository } from "../../core/ports/UserRepository.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { SignField } from "../../core/contracts/Contract.ts"
import { createContract, sendContract } from "../../core/contracts/createContract.ts"
import { applySignature } from "../../core/contracts/signContract.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import { demoContractPdf } from "./demoPdf.ts"
import { seedVerification } from "./verificationSeed.ts"
import { seedOrganizations } from "./seedOrganizations.ts"
import { seedOrders } from "./seedOrders.ts"
import { seedSeals } from "./seedSeals.ts"
import { seedAutoSign } from "./seedAutoSign.ts"
import { seedPlatform } from "./seedPlatform.ts"
import { seedTemplates } from "./seedTemplates.ts"
import { withEvidence } from "../../core/evidence/EvidenceRecorder.ts"
import { publish } from "../../core/evidence/checkpoint.ts"

/** Demo accounts of the dev profile, printed at start. Each capability adds its own demo data here. */
export const demoUsers = [
  {
    mobile: "13800000001", password: "Demo1234", name: "张三", email: "zhangsan@example.cn",
    addresses: [
      { recipient: "张三", mobile: "13800000001", region: "北京市 海淀区", detail: "中关村大街 27 号 8 层", isDefault: true },
      { recipient: "张三", mobile: "13800000001", region: "上海市 浦东新区", detail: "世纪大道 100 号 32 层", isDefault: false },
    ],
  },
  { mobile: "13800000002", password: "Demo1234", name: "李四", email: null, addresses: [] },
] as const

export const demoStaff = { username: "reviewer", password: "Review1234", name: "审核员王五" } as const

const seedUser = (d: (typeof demoUsers)[number]) =>
  Effect.gen(function*() {
    const users = yield* UserRepository
    const mobile = Schema.decodeSync(Mobile)(d.mobile)
    if (Option.isSome(yield* users.findByMobile(mobile))) return false
    const user = new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId,
      mobile,
      passwordHash: yield* (yield* PasswordHasher).hash(Schema.decodeSync(NewPassword)(d.password)),
      name: d.name,
      email: d.email,
      createdAt: yield* Clock.currentTimeMillis,
    })
    // Demo accounts enter the evidence log as if they had registered.
    yield* withEvidence(users.insert(user), () => ({ type: "user.registered", subjectId: user.id, role: "user", actor: user.id }))
    for (const a of d.addresses) yield* addAddress(user.id, Schema.decodeSync(AddressInput)(a))
    return true
  })

/** A contract 张三 sent to 李四: one completed, one waiting for 李四's signature. */
const seedContracts = Effect.gen(function*() {
  const users = yield* UserRepository
  const zhang = yield* users.findByMobile(demoUsers[0].mobile)
  const li = yield* users.findByMobile(demoUsers[1].mobile)
  if (Option.isNone(zhang) || Option.isNone(li)) return
  const existing = yield* ContractRepository.use((r) => r.list({ mobile: zhang.value.mobile, userId: zhang.value.id, limit: 1, offset: 0 }))
  if (existing.total > 0) return
  const now = yield* Clock.currentTimeMillis
  const make = (name: string) =>
    Effect.gen(function*() {
      const draft = yield* createContract(zhang.value, {
        name, pdf: yield* Effect.promise(() => demoContractPdf(name === "保密协议" ? "Non-Disclosure Agreement" : "Technical Service Agreement")),
        mode: "sequential", deadline: now + 7 * 24 * 3600_000,
        parties: [{ name: zhang.value.name ?? "张三", mobile: zhang.value.mobile }, { name: li.value.name ?? "李四", mobile: li.value.mobile }],
        fields: [0, 1].map((i) => new SignField({ partyIndex: i, page: 2, x: 60 + i * 200, y: 80, width: 160, height: 60, kind: "signature" })),
      })
      return yield* sendContract(zhang.value, draft.id)
    })
  // Demo data skips the SMS step (it would also trip the 60 s per-number limit for whoever logs in next).
  const signDemo = (user: User, id: NumericId) => applySignature(user, id, { seed: true })
  const nda = yield* make("保密协议")
  yield* signDemo(zhang.value, nda.id)
  yield* signDemo(li.value, nda.id)
  const service = yield* make("2026 年度技术服务合同")
  yield* signDemo(zhang.value, service.id)
})

/** Creates the demo data that is missing (idempotent: restarts keep what users changed). */
export const seedDemo = Effect.gen(function*() {
  for (const d of demoUsers) yield* seedUser(d)
  const staff = yield* (yield* StaffRepository).findByUsername(demoStaff.username)
  if (Option.isNone(staff)) {
    yield* createStaff({ ...demoStaff, password: Schema.decodeSync(NewPassword)(demoStaff.password) })
  }
  yield* seedVerification.pipe(Effect.catchCause((cause) => Effect.logWarning("demo verification not seeded", cause)))
  // After verification: only verified accounts send contracts (issue 16), and 张三 is verified there.
  yield* seedContracts.pipe(Effect.catchCause((cause) => Effect.logWarning("demo contracts not seeded", cause)))
  yield* seedOrganizations.pipe(Effect.catchCause((cause) => Effect.logWarning("demo workspace not seeded", cause)))
  yield* seedOrders.pipe(Effect.catchCause((cause) => Effect.logWarning("demo orders not seeded", cause)))
  yield* seedSeals.pipe(Effect.catchCause((cause) => Effect.logWarning("demo seals not seeded", cause)))
  // Before the partner platform's: its two contracts stay the newest in the demo enterprise's list.
  yield* seedAutoSign.pipe(Effect.catchCause((cause) => Effect.logWarning("demo auto-signing not seeded", cause)))
  yield* seedPlatform.pipe(Effect.catchCause((cause) => Effect.logWarning("demo partner platform not seeded", cause)))
  yield* seedTemplates.pipe(Effect.catchCause((cause) => Effect.logWarning("demo templates and signature not seeded", cause)))
  // A signed, timestamped checkpoint over the demo history, so `signet evidence export` works at once.
  yield* publish().pipe(Effect.catchCause((cause) => Effect.logWarning("demo evidence not published", cause)))
})
