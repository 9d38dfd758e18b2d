/**
 * Who may see a contract and for which party they may act (C4, C8, C10).
 * A person acts for their own party (matched by the mobile number invited).
 * An enterprise party is acted for by an active member of that enterprise:
 * the member named to sign when one is named, otherwise any member whose
 * branch subtree holds the signing branch (E4); whether they may then use a
 * seal or a signature is decided at signing time from live grants and
 * delegations (core/seals/usage.ts). Rights are read from the
 * database on every call, so a deactivated member loses them at once.
 * A contract initiated for an enterprise belongs to it: its initiator holds
 * the initiator's rights (see, revoke, remind, send a draft) only while an
 * active member reaching the initiating branch; the admin (or that branch's
 * admin) hands it to another agent (core/contracts/handOver.ts).
 */
import { Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { headOfficeId } from "../organizations/Organization.ts"
import { can, type Member, type Org } from "../organizations/permissions.ts"
import { ContractRepository, type ContractListQuery } from "../ports/ContractRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { isEnterpriseParty, type Contract, type Party } from "./Contract.ts"

export interface ContractAccess {
  readonly contract: Contract
  /** The user's own party as a person. */
  readonly person: Party | undefined
  /** Enterprise parties the user may sign (or reject) for. */
  readonly forEnterprises: ReadonlyArray<Party>
  /** The user sees the contract as a member of an enterprise on it, at a branch of their subtree (C10). */
  readonly throughEnterprise: boolean
  /** The user holds the initiator's rights (see `holdsInitiation`). */
  readonly initiator: boolean
}

/**
 * Does the user hold the initiator's rights on this contract? The initiator
 * of a personal contract always; of a contract initiated for an enterprise,
 * only while an active member who may initiate at its branch (issue 16: 注销
 * takes every right on the enterprise's contracts).
 */
export const holdsInitiation = Effect.fn("contracts.holdsInitiation")(function*(contract: Contract, userId: string) {
  if (contract.initiatorUserId !== userId) return false
  const enterpriseId = contract.initiatorEnterpriseId
  if (enterpriseId === undefined) return true
  const orgs = yield* OrganizationRepository
  const member = yield* orgs.member(enterpriseId, userId)
  if (Option.isNone(member)) return false
  return can(yield* orgs.org(enterpriseId), member.value, "contract.initiate", { enterpriseId, branchId: contract.initiatorBranchId ?? headOfficeId(enterpriseId) })
})

/** The person party of this user (an enterprise party's contact mobile does not make it theirs). */
export const personPartyOf = (c: Contract, user: User): Party | undefined =>
  c.parties.find((p) => !isEnterpriseParty(p) && p.mobile === user.mobile)

/** May this member act for (or at least see) something at `branchId` of their enterprise? */
const reaches = (org: Org, member: Member, branchId: string) =>
  can(org, member, "contract.view", { enterpriseId: org.enterpriseId, branchId })

/** What the user may do with this contract, read afresh (memberships, branch trees). */
export const contractAccess = Effect.fn("contracts.access")(function*(contract: Contract, user: User) {
  const person = personPartyOf(contract, user)
  const involved = new Set([contract.initiatorEnterpriseId, ...contract.parties.map((p) => p.enterpriseId)].filter((e): e is string => e !== undefined))
  const forEnterprises: Array<Party> = []
  let throughEnterprise = false
  if (involved.size > 0) {
    const orgs = yield* OrganizationRepository
    for (const member of yield* orgs.membershipsOf(user.id)) {
      if (!member.active || !involved.has(member.enterpriseId)) continue
      const org = yield* orgs.org(member.enterpriseId)
      // Seeing the enterprise's contracts as such takes 查看全部合同 (an agent may have it switched off, issue 17).
      const viewsAll = (branchId: string) => reaches(org, member, branchId) && can(org, member, "contract.viewAll", { enterpriseId: org.enterpriseId, branchId })
      if (contract.initiatorEnterpriseId === member.enterpriseId && viewsAll(contract.initiatorBranchId ?? headOfficeId(member.enterpriseId))) {
        throughEnterprise = true
      }
      for (const p of contract.parties) {
        if (p.enterpriseId !== member.enterpriseId) continue
        const named = p.signerUserId === user.id
        const inReach = reaches(org, member, p.branchId ?? headOfficeId(member.enterpriseId))
        if (named || (p.signerUserId === undefined && inReach)) forEnterprises.push(p)
        if (named || viewsAll(p.branchId ?? headOfficeId(member.enterpriseId))) throughEnterprise = true
      }
    }
  }
  const access: ContractAccess = { contract, person, forEnterprises, throughEnterprise, initiator: yield* holdsInitiation(contract, user.id) }
  return access
})

/** The parties the user may act for: their own first, then the enterprises'. */
export const actableParties = (a: ContractAccess): ReadonlyArray<Party> => [...(a.person === undefined ? [] : [a.person]), ...a.forEnterprises]

/**
 * May the user see the contract? Its initiator (while holding it); once sent, its
 * parties (persons and those who may act for an enterprise party) and the
 * members of an enterprise on it who reach the initiating or signing branch.
 * A draft is its initiator's alone.
 */
export const canSee = (a: ContractAccess) =>
  a.initiator ||
  (a.contract.status !== "draft" && (a.person !== undefined || a.forEnterprises.length > 0 || a.throughEnterprise))

/** A contract the user may see, with their access. Anyone else gets "not found", so guessing numbers reveals nothing. */
export const openContract = Effect.fn("contracts.open")(function*(id: NumericId, user: User) {
  const found = yield* (yield* ContractRepository).find(id)
  if (Option.isNone(found)) return yield* new NotFound({ entity: "contract", id })
  const access = yield* contractAccess(found.value, user)
  if (!canSee(access)) return yield* new NotFound({ entity: "contract", id })
  return access
})

/** 我的签约: the user's contracts (ContractRepository.list), less those initiated for an enterprise they no longer act for. */
export const myContracts = Effect.fn("contracts.mine")(function*(user: User, query: Omit<ContractListQuery, "mobile" | "userId" | "actingFor">) {
  const actingFor = (yield* OrganizationRepository.use((r) => r.membershipsOf(user.id))).filter((m) => m.active).map((m) => m.enterpriseId)
  const found = yield* ContractRepository.use((r) => r.list({ ...query, mobile: user.mobile, userId: user.id, actingFor }))
  // The enterprises the user acts for come along: the list's row actions ask them (listActions.ts).
  return { ...found, actingFor }
})
