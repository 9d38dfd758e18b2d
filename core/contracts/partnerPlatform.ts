/**
 * 合作伙伴开放平台 (P1-P3): one enterprise, with its head office and
 * branches, owns the open platform and signs contracts online with its
 * service providers (服务商): verified enterprises with a confirmed
 * signatory (P2). The owner is named by configuration (its unified social
 * credit code); both sides list and download their contracts.
 */
import { Effect, Option, Schema } from "effect"
import type { User } from "../accounts/User.ts"
import { Forbidden } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Enterprise } from "../organizations/Enterprise.ts"
import type { OrgScope } from "../organizations/orgScope.ts"
import { ContractRepository, type EnterpriseRef } from "../ports/ContractRepository.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { PlatformOwner } from "../ports/PlatformOwner.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import type { SigningMode } from "./contractMachine.ts"
import { createContract, sendContract } from "./createContract.ts"
import { branchOn, enterpriseContracts, type EnterpriseListFilter } from "./enterpriseList.ts"
import { renderTemplate, type ContractTemplate } from "./templates.ts"

/** P2: the enterprise cannot be a service provider: not verified on the platform, no confirmed signatory, or it is the owner itself. */
export class ProviderNotEligible extends Schema.TaggedError<ProviderNotEligible>()("ProviderNotEligible", {
  name: Schema.String,
  reason: Schema.Literals(["not-verified", "no-signatory", "is-owner"]),
}) {}

/** No partner platform: no owner configured, or the configured enterprise is not (yet) on the platform. */
export class PlatformNotConfigured extends Schema.TaggedError<PlatformNotConfigured>()("PlatformNotConfigured", {}) {}

/** The configured owner enterprise. */
export const platformOwner = Effect.gen(function*() {
  const { creditCode } = yield* PlatformOwner
  const owner = creditCode === null ? Option.none<Enterprise>() : yield* EnterpriseRepository.use((r) => r.findByCreditCode(creditCode))
  if (Option.isNone(owner)) return yield* new PlatformNotConfigured()
  return owner.value
})

/** Which side of the platform the scope's enterprise is on. */
export const platformSide = Effect.fn("platform.side")(function*(scope: OrgScope) {
  const owner = yield* platformOwner
  return { owner, side: owner.id === scope.enterprise.id ? "owner" as const : "provider" as const }
})

/** Does the enterprise have a confirmed signatory (an active member who accepted the signatory role, E3)? */
const hasSignatory = (enterpriseId: string) =>
  Effect.map(MembershipRepository.use((r) => r.members(enterpriseId)), (ms) => ms.some((m) => m.member.active && m.member.roles.includes("signatory")))

/** P2: the provider by name, if it may sign on the platform; otherwise which prerequisite it lacks. */
export const eligibleProvider = Effect.fn("platform.eligibleProvider")(function*(name: string, ownerId: string) {
  const found = yield* ContractRepository.use((r) => r.enterprisesNamed(name.trim()))
  const provider: EnterpriseRef | undefined = found[0]
  if (provider === undefined) return yield* new ProviderNotEligible({ name, reason: "not-verified" })
  if (provider.id === ownerId) return yield* new ProviderNotEligible({ name, reason: "is-owner" })
  if (!(yield* hasSignatory(provider.id))) return yield* new ProviderNotEligible({ name, reason: "no-signatory" })
  return provider
})

/** The owner side only: anyone else is refused. */
const asOwner = (scope: OrgScope) =>
  Effect.flatMap(platformSide(scope), ({ owner, side }) => (side === "owner" ? Effect.succeed(owner) : Effect.fail(new Forbidden({ reason: "platform.owner" }))))

export type PlatformDocument =
  | { readonly _tag: "Upload"; readonly pdf: Uint8Array }
  | { readonly _tag: "Template"; readonly template: ContractTemplate; readonly values: Readonly<Record<string, string>> }

export interface NewPlatformContract {
  readonly providerName: string
  /** The owner's branch that signs with the provider (签署分公司). */
  readonly branchId: string
  readonly name: string
  readonly document: PlatformDocument
  readonly mode: SigningMode
  readonly deadline: number
}

/**
 * P3 创建合同: the owner's member creates and sends a contract signed by the
 * owner's chosen branch and the provider, each with a seal and a
 * signatory's signature. Refused (saying which) for a provider that is not
 * verified or has no confirmed signatory.
 */
export const createPlatformContract = Effect.fn("platform.createContract")(function*(user: User, scope: OrgScope, input: NewPlatformContract) {
  const owner = yield* asOwner(scope)
  const provider = yield* eligibleProvider(input.providerName, owner.id)
  const doc = input.document._tag === "Upload"
    ? { pdf: input.document.pdf, fields: undefined, pages: undefined }
    // Both sides are enterprises: each seals beside its signatory's line, below its 签章 label.
    : yield* renderTemplate(input.document.template, input.document.values, ["enterprise", "enterprise"])
  const draft = yield* createContract(user, {
    name: input.name, pdf: doc.pdf, mode: input.mode, deadline: input.deadline, fields: doc.fields, pages: doc.pages,
    initiatedFor: { enterpriseId: owner.id, branchId: input.branchId },
    parties: [
      { enterpriseName: owner.name, enterpriseId: owner.id, branchId: input.branchId },
      { enterpriseName: provider.name, enterpriseId: provider.id },
    ],
  })
  return yield* sendContract(user, draft.id)
})

/** P3 the owner's contract management list (服务商名称/合同名称/编号, status, creator, dates). */
export const ownerContracts = Effect.fn("platform.ownerContracts")(function*(scope: OrgScope, filter: EnterpriseListFilter) {
  const owner = yield* asOwner(scope)
  return { owner, ...(yield* enterpriseContracts(scope, filter)) }
})

/** P3 合同创建人: the owner's members who created platform contracts, with their names. */
export const ownerCreators = Effect.fn("platform.creators")(function*(scope: OrgScope) {
  const owner = yield* asOwner(scope)
  const users = yield* UserRepository
  const out: Array<{ readonly userId: string; readonly name: string }> = []
  for (const id of yield* ContractRepository.use((r) => r.initiatorsOf(owner.id, 100))) {
    const u = yield* users.findById(id as UserId)
    if (Option.isSome(u)) out.push({ userId: id, name: u.value.name ?? u.value.mobile })
  }
  return out
})

/** P1/C10 the provider's side: its contracts with the owner's head office and branches. */
export const providerContracts = Effect.fn("platform.providerContracts")(function*(scope: OrgScope, filter: EnterpriseListFilter) {
  const { owner, side } = yield* platformSide(scope)
  if (side !== "provider") return yield* new Forbidden({ reason: "platform.provider" })
  const list = yield* enterpriseContracts(scope, { ...filter, counterpartEnterpriseId: owner.id })
  // 签署分公司 on the provider's side: the owner's branch that signs with it.
  const rows = list.rows.map((r) => ({ ...r, branchName: branchOn(r.contract, owner.id, new Map()) }))
  return { owner, eligible: yield* hasSignatory(scope.enterprise.id), rows, total: list.total }
})
