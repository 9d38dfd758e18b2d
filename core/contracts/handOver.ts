/**
 * Issue 16: a contract initiated for an enterprise belongs to it. When its
 * initiator leaves (注销) or should no longer carry it, the enterprise's admin
 * (or the admin of the initiating branch) hands it to another agent, who from
 * then on holds the initiator's rights (see, remind, revoke, send a draft).
 */
import { Clock, Effect, Option } from "effect"
import type { UserId } from "../kernel/Ids.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { headOfficeId } from "../organizations/Organization.ts"
import { ensureCan, resourceAt, scopeCan, type OrgScope } from "../organizations/orgScope.ts"
import { can } from "../organizations/permissions.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { MembershipRepository } from "../ports/MembershipRepository.ts"
import { Contract } from "./Contract.ts"
import { ContractBusy, HandoverTargetInvalid } from "./ContractErrors.ts"
import { contractEvent, recordHistory, updateContract } from "./store.ts"

/** Hands contract `id` of the scope's enterprise to `toUserId`: an active member, not the current initiator, who may initiate at its branch. */
export const handContractOver = Effect.fn("contracts.handOver")(function*(scope: OrgScope, id: NumericId, toUserId: string) {
  const enterpriseId = scope.org.enterpriseId
  const found = yield* ContractRepository.use((r) => r.find(id))
  if (Option.isNone(found) || found.value.initiatorEnterpriseId !== enterpriseId) return yield* new NotFound({ entity: "contract", id })
  const from = found.value.initiatorUserId
  const branch = resourceAt(scope, found.value.initiatorBranchId ?? headOfficeId(enterpriseId))
  // Outside the actor's subtree the contract does not exist for them (E4).
  if (!scopeCan(scope, "contract.view", branch)) return yield* new NotFound({ entity: "contract", id })
  yield* ensureCan(scope, "contract.reassign", { ...branch, subjectUserId: toUserId })
  const target = yield* (yield* OrganizationRepository).member(enterpriseId, toUserId)
  if (toUserId === from || Option.isNone(target) || !can(scope.org, target.value, "contract.initiate", branch)) {
    return yield* new HandoverTargetInvalid({ userId: toUserId })
  }
  const saved = yield* updateContract(id, (c) =>
    // Another handover landed in between: the actor decided on a contract that is no longer as they saw it.
    c.initiatorUserId !== from ? Effect.fail(new ContractBusy()) : Effect.succeed(new Contract({ ...c, initiatorUserId: toUserId as UserId })),
    contractEvent("contract.handed_over", "member", scope.member.userId, { enterpriseId }))
  yield* recordHistory(id, yield* Clock.currentTimeMillis, scope.member.userId, "handed_over", "企业管理员已将本合同移交给其他经办人")
  return saved
})

/** The handover page: the contract, who holds it now (and whether they still may), and whom it may go to. */
export const handoverChoices = Effect.fn("contracts.handoverChoices")(function*(scope: OrgScope, id: NumericId) {
  const enterpriseId = scope.org.enterpriseId
  const found = yield* ContractRepository.use((r) => r.find(id))
  if (Option.isNone(found) || found.value.initiatorEnterpriseId !== enterpriseId) return yield* new NotFound({ entity: "contract", id })
  const contract = found.value
  const branch = resourceAt(scope, contract.initiatorBranchId ?? headOfficeId(enterpriseId))
  if (!scopeCan(scope, "contract.view", branch)) return yield* new NotFound({ entity: "contract", id })
  yield* ensureCan(scope, "contract.reassign", branch)
  const members = yield* MembershipRepository.use((r) => r.members(enterpriseId))
  const holder = members.find((m) => m.member.userId === contract.initiatorUserId)
  const candidates = members.filter((m) =>
    m.member.userId !== contract.initiatorUserId && scopeCan(scope, "contract.reassign", { ...branch, subjectUserId: m.member.userId }) &&
    can(scope.org, m.member, "contract.initiate", branch))
  return {
    contract,
    holderName: holder === undefined ? null : holder.name ?? holder.mobile,
    holderActive: holder !== undefined && can(scope.org, holder.member, "contract.initiate", branch),
    candidates,
  }
})

/** Whether the scope's actor may hand this contract over (the list's 移交 link). */
export const mayHandOver = (scope: OrgScope, c: Contract): boolean =>
  c.initiatorEnterpriseId === scope.org.enterpriseId && scopeCan(scope, "contract.reassign", resourceAt(scope, c.initiatorBranchId ?? headOfficeId(scope.org.enterpriseId)))
