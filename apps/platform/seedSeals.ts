/**
 * Demo seals and signatures (E5-E7), through the use cases: a generated
 * 合同专用章 of 张三's demo enterprise authorized to the agent 李四, and a
 * signature of the signatory 王小明 delegated to 李四. Runs after the
 * organizations seed (which makes 李四 an agent and 王小明 a signatory);
 * whatever is already there, or whoever is not yet a member, is left alone.
 */
import { Effect, Option } from "effect"
import { delegateSignature } from "../../core/seals/delegation.ts"
import { orgScope } from "../../core/organizations/orgScope.ts"
import { inkText } from "../../core/seals/image/sealImage.ts"
import { encodePng } from "../../core/seals/image/sealImagePng.ts"
import { authorizeSeal, createSeal } from "../../core/seals/seals.ts"
import { saveSignature } from "../../core/seals/signatures.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { OrganizationRepository } from "../../core/ports/OrganizationRepository.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"

const DEMO = { admin: "13800000001", agent: "13800000002", signatory: "13800000003" } as const

export const seedSeals = Effect.gen(function*() {
  const users = yield* UserRepository
  const [admin, agent, signatory] = [
    yield* users.findByMobile(DEMO.admin), yield* users.findByMobile(DEMO.agent), yield* users.findByMobile(DEMO.signatory),
  ]
  if (Option.isNone(admin) || Option.isNone(agent) || Option.isNone(signatory)) return
  const [enterprise] = yield* (yield* EnterpriseRepository).listAdministeredBy(admin.value.id)
  if (enterprise === undefined) return
  const orgs = yield* OrganizationRepository
  const seals = yield* SealRepository
  const isActive = (userId: string, role: "agent" | "signatory") =>
    Effect.map(orgs.member(enterprise.id, userId), (m) => Option.isSome(m) && m.value.active && m.value.roles.includes(role))

  const adminScope = yield* orgScope(admin.value.id, enterprise.id)
  const existing = (yield* seals.seals(enterprise.id)).find((s) => s.type === "contract")
  const seal = existing ?? (yield* createSeal(adminScope, { name: "合同专用章", type: "contract", branchId: enterprise.id, image: { kind: "generate" } }))
  if (yield* isActive(agent.value.id, "agent")) yield* authorizeSeal(adminScope, seal.id, agent.value.id)
  else yield* Effect.logInfo("demo seal not authorized: 李四 is not an agent of the demo enterprise yet")

  if (!(yield* isActive(signatory.value.id, "signatory"))) {
    return yield* Effect.logInfo("demo signature not made: 王小明 is not a signatory of the demo enterprise yet")
  }
  const signatoryScope = yield* orgScope(signatory.value.id, enterprise.id)
  if (Option.isNone(yield* seals.currentSignature(signatory.value.id))) {
    yield* saveSignature(signatoryScope, encodePng(yield* inkText(signatory.value.name ?? "王小明")), "drawn")
  }
  const delegated = (yield* seals.delegationsOf(enterprise.id, signatory.value.id)).some((d) => d.agentUserId === agent.value.id && d.revokedAt === null)
  if (!delegated && (yield* isActive(agent.value.id, "agent"))) {
    yield* delegateSignature(signatoryScope, { agentUserId: agent.value.id, branchId: null, validFrom: null, validUntil: null })
  }
})
