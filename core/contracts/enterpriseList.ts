/**
 * C10 企业合同管理: an enterprise's contracts (initiated by it or addressed to
 * it), as a member sees them: a branch admin or branch member sees only
 * contracts initiated at, or signed for the enterprise by, a branch of their
 * subtree (E4); the head office sees all. Each row names the enterprise's
 * signing branch (签署分公司).
 */
import { Effect } from "effect"
import { headOfficeId } from "../organizations/Organization.ts"
import { ensureCan, resourceAt, scopeCan, visibleBranches, type OrgScope } from "../organizations/orgScope.ts"
import { ContractRepository, type EnterpriseContractQuery } from "../ports/ContractRepository.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import type { Contract } from "./Contract.ts"
import { mayHandOver } from "./handOver.ts"
import { rowActions, type RowAction } from "./listActions.ts"

export type EnterpriseListFilter = Omit<EnterpriseContractQuery, "enterpriseId" | "branchIds">

export interface EnterpriseContractRow {
  readonly contract: Contract
  /** The branch that signs (or initiated) for this enterprise. */
  readonly branchName: string
  /** The viewer may hand it to another agent (issue 16; handOver.ts). */
  readonly mayHandOver: boolean
  /** The row's actions for this viewer (listActions.ts). */
  readonly actions: ReadonlyArray<RowAction>
}

/** The branch of `enterpriseId` on a contract: its party's signing branch, else the branch it was initiated at. */
export const branchOn = (c: Contract, enterpriseId: string, names: ReadonlyMap<string, string>): string => {
  const party = c.parties.find((p) => p.enterpriseId === enterpriseId)
  if (party?.branchName !== undefined) return party.branchName
  return names.get(c.initiatorBranchId ?? headOfficeId(enterpriseId)) ?? "总公司"
}

/** The contracts of the scope's enterprise that the member may see, newest first, with the total. */
export const enterpriseContracts = Effect.fn("contracts.enterpriseList")(function*(scope: OrgScope, filter: EnterpriseListFilter) {
  yield* ensureCan(scope, "contract.view", resourceAt(scope))
  const enterpriseId = scope.org.enterpriseId
  const seen = visibleBranches(scope)
  // The head office's members see every branch: no branch filter, so the query can use the enterprise index alone.
  const everything = scope.org.branches.every((b) => seen.has(b.id))
  // An agent without 查看全部合同 sees the contracts they initiated only (issue 17).
  const own = scopeCan(scope, "contract.viewAll", resourceAt(scope)) ? {} : { initiatorUserId: scope.member.userId }
  const found = yield* ContractRepository.use((r) => r.listForEnterprise({ ...filter, ...own, enterpriseId, branchIds: everything ? undefined : [...seen] }))
  const names = new Map((yield* MembershipRepository.use((r) => r.branches(enterpriseId))).map((b) => [b.id as string, b.name]))
  const rows: ReadonlyArray<EnterpriseContractRow> = found.items.map((contract) => {
    const handOver = mayHandOver(scope, contract)
    const initiator = contract.initiatorUserId === scope.member.userId && contract.initiatorEnterpriseId === enterpriseId
    const actions = rowActions(contract, { mobile: "", enterpriseIds: [enterpriseId], initiator, list: "enterprise", mayHandOver: handOver })
    return { contract, branchName: branchOn(contract, enterpriseId, names), mayHandOver: handOver, actions }
  })
  return { rows, total: found.total }
})
