/**
 * Demo data of the partner open platform (P1-P3, dev profile): the demo
 * enterprise (北京示例科技有限公司, the configured owner) and one service
 * provider, 深圳示例信息服务有限公司, with its admin 赵六 (13800000004) and
 * 孙七 (13800000005), a confirmed signatory who also holds its contract seal.
 * Two platform contracts between them, made and signed through the use
 * cases: one signed by both (签署成功), one at 上海分公司 signed by the owner
 * only (签署中). Runs after the organizations and seals seeds; idempotent.
 */
import type { NumericId } from "../../core/kernel/Ids.ts"
import { Clock, Effect, Option, Schema } from "effect"
import { User } from "../../core/accounts/User.ts"
import { createPlatformContract, platformOwner } from "../../core/contracts/partnerPlatform.ts"
import { applySignature } from "../../core/contracts/signContract.ts"
import { templates } from "../../core/contracts/templates.ts"
import type { UserId } from "../../core/kernel/Ids.ts"
import { Mobile } from "../../core/kernel/Mobile.ts"
import { NewPassword } from "../../core/kernel/Password.ts"
import { Enterprise, type EnterpriseId } from "../../core/organizations/Enterprise.ts"
import { foundOrganization } from "../../core/organizations/foundOrganization.ts"
import { inviteMember } from "../../core/organizations/inviteMember.ts"
import { orgScope } from "../../core/organizations/orgScope.ts"
import type { GrantableRole } from "../../core/organizations/Organization.ts"
import { acceptInvitation } from "../../core/organizations/respondInvitation.ts"
import { inkText } from "../../core/seals/image/sealImage.ts"
import { encodePng } from "../../core/seals/image/sealImagePng.ts"
import { authorizeSeal, createSeal } from "../../core/seals/seals.ts"
import { saveSignature } from "../../core/seals/signatures.ts"
import { delegateSignature } from "../../core/seals/delegation.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { MembershipRepository } from "../../core/ports/MembershipRepository.ts"
import { PasswordHasher } from "../../core/ports/PasswordHasher.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../../core/ports/VerificationRepository.ts"
import { CreditCode } from "../../core/kernel/CreditCode.ts"
import { PersonalVerification } from "../../core/verification/PersonalVerification.ts"
import { ResidentIdNumber } from "../../core/verification/ResidentIdNumber.ts"
import { storeUpload } from "../../core/verification/uploads.ts"
import { syntheticPng } from "../../fixtures/verification/images.ts"

export interface DemoPerson {
  readonly mobile: string
  readonly name: string
  /** A resident ID number (check character included) for the demo's personal verification. */
  readonly idNumber: string
}

/** A demo enterprise: its admin, members (by role, through invitations), who holds its contract seal, whose signature is on file and to whom it is delegated. */
export interface DemoEnterpriseSpec {
  readonly name: string
  readonly creditCode: string
  readonly address: string
  readonly admin: DemoPerson
  readonly members: ReadonlyArray<{ readonly person: DemoPerson; readonly roles: ReadonlyArray<GrantableRole> }>
  readonly sealHolder: DemoPerson
  readonly signatory: DemoPerson
  readonly delegateTo?: DemoPerson | undefined
}

export const demoProvider = {
  name: "深圳示例信息服务有限公司", creditCode: "91440300MA5FTK4L3E", address: "深圳市南山区科技园南区 1 号",
  admin: { mobile: "13800000004", name: "赵六", idNumber: "44030519880706001X" },
  signatory: { mobile: "13800000005", name: "孙七", idNumber: "440305199001010018" },
} as const

/** 孙七 is both the provider's confirmed signatory and the agent holding its contract seal. */
const providerSpec: DemoEnterpriseSpec = {
  ...demoProvider,
  members: [{ person: demoProvider.signatory, roles: ["signatory", "agent"] }],
  sealHolder: demoProvider.signatory,
  signatory: demoProvider.signatory,
}

/** A demo account with its personal verification (V1), as the fixture provider would record it. */
export const verifiedUser = (p: DemoPerson) =>
  Effect.gen(function*() {
    const users = yield* UserRepository
    const found = yield* users.findByMobile(p.mobile)
    const user = Option.isSome(found) ? found.value : new User({
      id: (yield* (yield* IdGenerator).next) as string as UserId, mobile: Schema.decodeSync(Mobile)(p.mobile),
      passwordHash: yield* (yield* PasswordHasher).hash(Schema.decodeSync(NewPassword)("Demo1234")),
      name: p.name, email: null, createdAt: yield* Clock.currentTimeMillis,
    })
    if (Option.isNone(found)) yield* users.insert(user)
    const verifications = yield* PersonalVerificationRepository
    if (Option.isNone(yield* verifications.find(user.id))) {
      const photo = yield* storeUpload(user.id, "id-photo", syntheticPng(856, 540))
      yield* verifications.insert(new PersonalVerification({
        userId: user.id, name: p.name, idNumber: Schema.decodeSync(ResidentIdNumber)(p.idNumber), cardLast4: "6789", cardType: "debit",
        mobile: user.mobile, photoUploadId: photo.id, providerReference: "demo-seed", verifiedAt: yield* Clock.currentTimeMillis,
      }))
    }
    return user
  })

/**
 * A demo enterprise, founded as approval founds it, its members joined by
 * invitation, a generated 合同专用章 authorized to its holder, the
 * signatory's handwritten signature, and its delegation. Whatever exists is kept.
 */
export const ensureDemoEnterprise = (spec: DemoEnterpriseSpec) =>
  Effect.gen(function*() {
    const admin = yield* verifiedUser(spec.admin)
    const enterprises = yield* EnterpriseRepository
    let enterprise = Option.getOrUndefined(yield* enterprises.findByCreditCode(spec.creditCode))
    if (enterprise === undefined) {
      enterprise = new Enterprise({
        id: (yield* (yield* IdGenerator).next) as string as EnterpriseId, name: spec.name, creditCode: Schema.decodeSync(CreditCode)(spec.creditCode),
        legalRepresentative: spec.admin.name, address: spec.address, contactPhone: "0755-26668888", email: "contract@demo.example.cn",
        adminUserId: admin.id, createdAt: yield* Clock.currentTimeMillis,
      })
      yield* enterprises.insert(enterprise)
      yield* foundOrganization(enterprise)
    }
    const eid = enterprise.id
    const members = yield* MembershipRepository
    const users = new Map<string, User>([[admin.mobile, admin]])
    for (const { person, roles } of spec.members) {
      const user = yield* verifiedUser(person)
      users.set(user.mobile, user)
      for (const role of roles) {
        const m = yield* members.findMember(eid, user.id)
        if (Option.isSome(m) && m.value.roles.includes(role)) continue
        const invitation = yield* inviteMember(admin.id, eid, { mobile: user.mobile, role, department: "法务部" })
        yield* acceptInvitation(user.id, invitation.id)
      }
    }
    const userOf = (p: DemoPerson) => users.get(p.mobile)!
    const seals = yield* SealRepository
    const adminScope = yield* orgScope(admin.id, eid)
    const seal = (yield* seals.seals(eid)).find((x) => x.type === "contract")
      ?? (yield* createSeal(adminScope, { name: "合同专用章", type: "contract", branchId: eid, image: { kind: "generate" } }))
    yield* authorizeSeal(adminScope, seal.id, userOf(spec.sealHolder).id)
    const signatory = userOf(spec.signatory)
    const signatoryScope = yield* orgScope(signatory.id, eid)
    if (Option.isNone(yield* seals.currentSignature(signatory.id))) {
      yield* saveSignature(signatoryScope, encodePng(yield* inkText(spec.signatory.name)), "drawn")
    }
    if (spec.delegateTo !== undefined) {
      const agent = userOf(spec.delegateTo)
      const delegated = (yield* seals.delegationsOf(eid, signatory.id)).some((d) => d.agentUserId === agent.id && d.revokedAt === null)
      if (!delegated) yield* delegateSignature(signatoryScope, { agentUserId: agent.id, branchId: null, validFrom: null, validUntil: null })
    }
    return { enterprise, sealId: seal.id as string, userOf }
  })

export const seedPlatform = Effect.gen(function*() {
  const owner = yield* platformOwner
  const { enterprise: provider, sealId: providerSeal, userOf } = yield* ensureDemoEnterprise(providerSpec)
  const sun = userOf(demoProvider.signatory)
  const existing = yield* ContractRepository.use((r) => r.listForEnterprise({ enterpriseId: owner.id, counterpartEnterpriseId: provider.id, limit: 1, offset: 0 }))
  if (existing.total > 0) return
  // The owner's side signs as the demo seeds set it up: 李四 with the 合同专用章 and 王小明's delegated signature.
  const users = yield* UserRepository
  const [li, wang] = [yield* users.findByMobile("13800000002"), yield* users.findByMobile("13800000003")]
  const ownerSeal = (yield* (yield* SealRepository).seals(owner.id)).find((s) => s.type === "contract")
  if (Option.isNone(li) || Option.isNone(wang) || ownerSeal === undefined) return yield* Effect.logInfo("demo platform contracts not made: the demo enterprise has no agent, signatory or seal yet")
  const scope = yield* orgScope(li.value.id, owner.id)
  const shanghai = scope.org.branches.length > 1 ? (yield* (yield* MembershipRepository).branches(owner.id)).find((b) => b.name === "上海分公司") : undefined
  const now = yield* Clock.currentTimeMillis
  const service = templates.find((t) => t.id === "service")!
  const make = (name: string, branchId: string) =>
    createPlatformContract(li.value, scope, {
      providerName: provider.name, branchId, name, mode: "sequential", deadline: now + 30 * 24 * 3600_000,
      document: { _tag: "Template", template: service, values: {
        partyA: owner.name, partyB: provider.name, scope: "合作伙伴开放平台商户拓展与维护服务", fee: "360000", period: "2026年12月1日至2027年11月30日",
      } },
    })
  // Demo data skips the SMS step (as the contracts seed does).
  const signAsOwner = (id: NumericId) => applySignature(li.value, id, { seed: true }, { partyIndex: 0, sealId: ownerSeal.id, signatoryUserId: wang.value.id })
  const signed = yield* make("2026 年度合作伙伴服务协议", owner.id)
  yield* signAsOwner(signed.id)
  yield* applySignature(sun, signed.id, { seed: true }, { partyIndex: 1, sealId: providerSeal, signatoryUserId: sun.id })
  if (shanghai !== undefined) yield* signAsOwner((yield* make("上海地区商户服务补充协议", shanghai.id)).id)
})
