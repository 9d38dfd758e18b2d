/**
 * E6 授权: a signatory lets named agents sign with their signature, for a
 * window of time and for all contracts or one branch's, and can take it back.
 */
import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { recordIfChanged } from "./sealsWrite.ts"
import type { UserId } from "../kernel/Ids.ts"
import { NotFound } from "../kernel/errors.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { ensureCan, resourceAt, type OrgScope } from "../organizations/orgScope.ts"
import { subtree, type Org } from "../organizations/permissions.ts"
import { DelegationTargetInvalid, DelegationWindowInvalid, SignatureMissing } from "./sealsErrors.ts"
import { Delegation, type DelegationId } from "./signaturesModel.ts"

/**
 * The delegation that lets `agentUserId` use the signature now for a contract
 * of `contractBranchId`, if any: not revoked, started, not ended, and either
 * for all contracts or for a branch whose subtree holds the contract's branch.
 * A revoked delegation is never used again, not even for contracts sent
 * before the revocation.
 */
export const liveDelegation = (
  delegations: ReadonlyArray<Delegation>,
  org: Org,
  agentUserId: string,
  contractBranchId: string,
  now: number,
): Delegation | undefined =>
  delegations.find((d) =>
    d.agentUserId === agentUserId && d.enterpriseId === org.enterpriseId && d.revokedAt === null &&
    d.validFrom <= now && (d.validUntil === null || now < d.validUntil) &&
    (d.branchId === null || subtree(org, d.branchId).has(contractBranchId))
  )

export interface NewDelegation {
  readonly agentUserId: string
  /** null: all contracts of the enterprise. */
  readonly branchId: string | null
  /** null: from now. */
  readonly validFrom: number | null
  /** null: until revoked. */
  readonly validUntil: number | null
}

/** Delegates the actor's signature to an agent of the same enterprise. */
export const delegateSignature = Effect.fn("signatures.delegate")(function*(scope: OrgScope, input: NewDelegation) {
  const self = scope.member.userId
  if (input.branchId !== null && !scope.org.branches.some((b) => b.id === input.branchId)) {
    return yield* new NotFound({ entity: "branch", id: input.branchId })
  }
  // Who may not delegate at all hears "forbidden" before anything about the form's choice.
  yield* ensureCan(scope, "signature.delegate", resourceAt(scope, input.branchId ?? undefined, { ownerUserId: self }))
  if (input.agentUserId === self) return yield* new DelegationTargetInvalid({ userId: self })
  yield* ensureCan(scope, "signature.delegate", resourceAt(scope, input.branchId ?? undefined, { ownerUserId: self, subjectUserId: input.agentUserId }))
  const repo = yield* SealRepository
  const signature = yield* repo.currentSignature(self)
  if (Option.isNone(signature)) return yield* new SignatureMissing({ signatoryUserId: self })
  const agent = yield* (yield* OrganizationRepository).member(scope.org.enterpriseId, input.agentUserId)
  if (input.agentUserId === self || Option.isNone(agent) || !agent.value.active || !agent.value.roles.includes("agent")) {
    return yield* new DelegationTargetInvalid({ userId: input.agentUserId })
  }
  const now = yield* Clock.currentTimeMillis
  const validFrom = input.validFrom ?? now
  if (input.validUntil !== null && (input.validUntil <= validFrom || input.validUntil <= now)) return yield* new DelegationWindowInvalid()
  const delegation = new Delegation({
    id: (yield* (yield* IdGenerator).next) as string as DelegationId,
    enterpriseId: scope.org.enterpriseId, signatoryUserId: self as UserId, agentUserId: input.agentUserId as UserId,
    branchId: input.branchId, validFrom, validUntil: input.validUntil, createdAt: now, revokedAt: null,
  })
  yield* withEvidence(repo.insertDelegation(delegation), () => ({
    type: "delegation.granted", subjectId: delegation.id, role: "member", actor: self,
    data: { enterpriseId: delegation.enterpriseId, branchId: delegation.branchId, validFrom, validUntil: delegation.validUntil },
  }))
  return delegation
})

/** Takes a delegation back at once; uses already made stay in the log. */
export const revokeDelegation = Effect.fn("signatures.revokeDelegation")(function*(scope: OrgScope, delegationId: string) {
  const self = scope.member.userId
  yield* ensureCan(scope, "signature.delegate", resourceAt(scope, undefined, { ownerUserId: self }))
  const repo = yield* SealRepository
  const now = yield* Clock.currentTimeMillis
  const revoked = yield* recordIfChanged(repo.revokeDelegation(scope.org.enterpriseId, self, delegationId, now), () => ({
    type: "delegation.revoked", subjectId: delegationId, role: "member", actor: self, data: { enterpriseId: scope.org.enterpriseId },
  }))
  if (!revoked) return yield* new NotFound({ entity: "delegation", id: delegationId })
})
