import type { ContractBranch } from "../ports/ContractRepository.ts"
import { headOfficeId } from "../organizations/Organization.ts"
import type { Contract } from "./Contract.ts"

/**
 * C10: where a contract appears in the enterprise lists (migration 0015's
 * rows). Per enterprise on a sent contract, each of its branches on it (the
 * initiating one, the signing ones; a party without a branch signs for the
 * head office), the first of them its primary row: the initiating branch,
 * else the first party's. A draft appears in none. The repository writes
 * these rows as given.
 */
export const contractBranches = (c: Contract): ReadonlyArray<ContractBranch> => {
  if (c.status === "draft") return []
  const branches = new Map<string, Set<string>>()
  const add = (enterpriseId: string | undefined, branchId: string | undefined) => {
    if (enterpriseId === undefined) return
    branches.set(enterpriseId, (branches.get(enterpriseId) ?? new Set<string>()).add(branchId ?? headOfficeId(enterpriseId)))
  }
  add(c.initiatorEnterpriseId, c.initiatorBranchId)
  for (const p of c.parties) add(p.enterpriseId, p.branchId)
  return [...branches].flatMap(([enterpriseId, set]) => [...set].map((branchId, i) => ({ enterpriseId, branchId, primary: i === 0 })))
}
