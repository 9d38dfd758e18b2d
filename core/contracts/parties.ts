/**
 * C1 parties as the initiator names them, made into contract parties:
 * persons by mobile; enterprises by their registered name (a verified
 * enterprise on the platform), optionally with the branch that signs for it
 * and the member named to sign. Also the enterprise an initiator acts for.
 */
import { Effect, Option, Schema } from "effect"
import type { User } from "../accounts/User.ts"
import type { UserId } from "../kernel/Ids.ts"
import { headOfficeId } from "../organizations/Organization.ts"
import { can, reachRoot } from "../organizations/permissions.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { Party } from "./Contract.ts"
import { EnterprisePartyInvalid, InitiatorNotAllowed } from "./ContractErrors.ts"

export const PartyInput = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "name.trim" }), Schema.isBetweenLength(1, 40, { message: "name.length" }))),
  mobile: Mobile,
})
export type PartyInput = typeof PartyInput.Type

/** An enterprise party as named by the initiator. */
export interface EnterprisePartyInput {
  /** The verified enterprise's registered name. */
  readonly enterpriseName: string
  /** Its id, when the caller already knows which enterprise (the name is then only for messages). */
  readonly enterpriseId?: string | undefined
  /** The branch that signs for it (签署分公司); its head office when absent. */
  readonly branchId?: string | undefined
  /** The member named to sign for it, by mobile; when absent any member allowed to use its seals may. */
  readonly signerMobile?: string | undefined
}

export type ContractPartyInput = PartyInput | EnterprisePartyInput

export const isEnterpriseInput = (p: ContractPartyInput): p is EnterprisePartyInput => "enterpriseName" in p

/** Who an enterprise initiator acted for (C1): recorded on the contract. */
export interface InitiatedFor {
  readonly enterpriseId: string
  /** The branch the contract is initiated at; the member's own branch when absent. */
  readonly branchId?: string | undefined
}

/**
 * The enterprise, branch and name an initiator acts for: they must be an
 * active member allowed to initiate contracts at that branch (E4: inside
 * their subtree). Anything else is one refusal, so ids reveal nothing.
 */
export const initiatorOrg = Effect.fn("contracts.initiatorOrg")(function*(user: User, target: InitiatedFor) {
  const refused = new InitiatorNotAllowed({ enterpriseId: target.enterpriseId })
  const orgs = yield* OrganizationRepository
  const enterprise = yield* ContractRepository.use((r) => r.enterpriseRef(target.enterpriseId))
  const member = yield* orgs.member(target.enterpriseId, user.id)
  if (Option.isNone(enterprise) || Option.isNone(member)) return yield* refused
  const org = yield* orgs.org(target.enterpriseId)
  const branchId = target.branchId ?? reachRoot(org, member.value)
  if (!org.branches.some((b) => b.id === branchId) || !can(org, member.value, "contract.initiate", { enterpriseId: org.enterpriseId, branchId })) return yield* refused
  return { initiatorEnterpriseId: enterprise.value.id, initiatorBranchId: branchId, initiatorOrgName: enterprise.value.name }
})

/** One enterprise party: the enterprise by name, its signing branch, whom the invitation is texted to. */
const enterpriseParty = (index: number, input: EnterprisePartyInput) =>
  Effect.gen(function*() {
    const invalid = (reason: EnterprisePartyInvalid["reason"]) => new EnterprisePartyInvalid({ index, name: input.enterpriseName, reason })
    const repo = yield* ContractRepository
    const found = input.enterpriseId === undefined
      ? yield* repo.enterprisesNamed(input.enterpriseName.trim())
      : Option.toArray(yield* repo.enterpriseRef(input.enterpriseId))
    if (found.length === 0) return yield* invalid("not-found")
    if (found.length > 1) return yield* invalid("ambiguous")
    const e = found[0]!
    const branchId = input.branchId ?? headOfficeId(e.id)
    const branch = (yield* MembershipRepository.use((r) => r.branches(e.id))).find((b) => b.id === branchId)
    if (branch === undefined) return yield* invalid("branch-not-found")
    const users = yield* UserRepository
    const contact = yield* (input.signerMobile !== undefined ? users.findByMobile(input.signerMobile) : users.findById(e.adminUserId as UserId))
    if (Option.isNone(contact)) return yield* invalid(input.signerMobile !== undefined ? "signer-not-member" : "not-found")
    let signerUserId: UserId | undefined
    if (input.signerMobile !== undefined) {
      const member = yield* OrganizationRepository.use((r) => r.member(e.id, contact.value.id))
      if (Option.isNone(member) || !member.value.active) return yield* invalid("signer-not-member")
      signerUserId = contact.value.id
    }
    return new Party({
      index, name: e.name, mobile: contact.value.mobile, status: "waiting", actedAt: null, lastRemindedAt: null, viewedAt: null,
      enterpriseId: e.id, branchId, branchName: branch.name, ...(signerUserId === undefined ? {} : { signerUserId }),
    })
  })

/** The contract's parties, in signing order; an enterprise is on a contract once, as is a person. */
export const resolveParties = Effect.fn("contracts.resolveParties")(function*(inputs: ReadonlyArray<ContractPartyInput>) {
  const parties: Array<Party> = []
  for (const [index, input] of inputs.entries()) {
    if (!isEnterpriseInput(input)) {
      parties.push(new Party({ index, name: input.name, mobile: input.mobile, status: "waiting", actedAt: null, lastRemindedAt: null, viewedAt: null }))
      continue
    }
    const party = yield* enterpriseParty(index, input)
    if (parties.some((p) => p.enterpriseId === party.enterpriseId)) return yield* new EnterprisePartyInvalid({ index, name: input.enterpriseName, reason: "duplicate" })
    parties.push(party)
  }
  return parties
})

/** An enterprise and branch the user may initiate contracts for (C1 发起身份). */
export interface InitiatorChoice {
  readonly enterpriseId: string
  readonly enterpriseName: string
  readonly branchId: string
  readonly branchName: string
}

/** Every enterprise branch the user may initiate for: their active memberships, the branches of their subtree they may initiate at. */
export const initiatorChoices = Effect.fn("contracts.initiatorChoices")(function*(user: User) {
  const orgs = yield* OrganizationRepository
  const out: Array<InitiatorChoice> = []
  for (const member of yield* orgs.membershipsOf(user.id)) {
    if (!member.active) continue
    const enterprise = yield* ContractRepository.use((r) => r.enterpriseRef(member.enterpriseId))
    if (Option.isNone(enterprise)) continue
    const org = yield* orgs.org(member.enterpriseId)
    for (const b of yield* MembershipRepository.use((r) => r.branches(member.enterpriseId))) {
      if (can(org, member, "contract.initiate", { enterpriseId: org.enterpriseId, branchId: b.id })) {
        out.push({ enterpriseId: enterprise.value.id, enterpriseName: enterprise.value.name, branchId: b.id, branchName: b.name })
      }
    }
  }
  return out as ReadonlyArray<InitiatorChoice>
})
