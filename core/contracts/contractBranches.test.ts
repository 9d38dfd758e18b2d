import { describe, expect, it } from "vitest"
import { aContract } from "../../fixtures/contracts/ApiRepositories.contract.ts"
import { Contract, Party } from "./Contract.ts"
import { contractBranches } from "./contractBranches.ts"

const party = (index: number, enterpriseId?: string, branchId?: string) =>
  new Party({ ...aContract("p", "inProgress", 1).parties[0]!, index, ...(enterpriseId === undefined ? {} : { enterpriseId }), ...(branchId === undefined ? {} : { branchId }) })

const withParties = (status: Contract["status"], parties: ReadonlyArray<Party>, initiator?: { enterpriseId: string; branchId?: string }) =>
  new Contract({
    ...aContract("c", status, 1), parties: [...parties],
    ...(initiator === undefined ? {} : { initiatorEnterpriseId: initiator.enterpriseId, ...(initiator.branchId === undefined ? {} : { initiatorBranchId: initiator.branchId }) }),
  })

describe("C10 list rows of a contract (contractBranches)", () => {
  it("the initiating branch is its enterprise's primary row; the signing branches follow; another enterprise's first party branch is its primary", () => {
    const c = withParties("inProgress", [party(0, "E1", "B2"), party(1, "E2", "C1"), party(2, "E2", "C2"), party(3)], { enterpriseId: "E1", branchId: "B1" })
    expect(contractBranches(c)).toEqual([
      { enterpriseId: "E1", branchId: "B1", primary: true },
      { enterpriseId: "E1", branchId: "B2", primary: false },
      { enterpriseId: "E2", branchId: "C1", primary: true },
      { enterpriseId: "E2", branchId: "C2", primary: false },
    ])
  })

  it("a party without a branch is its head office, named once; a draft is in no list", () => {
    const c = withParties("completed", [party(0, "E1"), party(1, "E1")])
    expect(contractBranches(c)).toEqual([{ enterpriseId: "E1", branchId: "E1", primary: true }])
    expect(contractBranches(withParties("draft", [party(0, "E1", "B2")], { enterpriseId: "E1", branchId: "B1" }))).toEqual([])
  })
})
