import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { Seal, SealGrant } from "../seals/sealsModel.ts"
import type { Delegation, Signature } from "../seals/signaturesModel.ts"
import type { UsageEntry } from "../seals/usageLog.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/**
 * Seals, their grants, personal signatures, delegations and the usage log
 * (E5-E7). Every lookup of an enterprise's seal names the enterprise, so an id
 * from another enterprise finds nothing. Conditional writes return false when
 * the row was not in the expected state (a concurrent change won).
 */
export class SealRepository extends Context.Service<SealRepository, {
  readonly insertSeal: (seal: Seal) => Op<void>
  readonly findSeal: (enterpriseId: string, sealId: string) => Op<Option.Option<Seal>>
  /** Every seal of the enterprise, oldest first. */
  readonly seals: (enterpriseId: string) => Op<ReadonlyArray<Seal>>
  /** False when the seal was already in that state. */
  readonly setSealEnabled: (enterpriseId: string, sealId: string, enabled: boolean, at: number) => Op<boolean>

  /** Every grant of the seal, revoked ones included, oldest first. */
  readonly grants: (sealId: string) => Op<ReadonlyArray<SealGrant>>
  /** False when the member already holds a live grant of this seal. */
  readonly insertGrant: (grant: SealGrant) => Op<boolean>
  /** False when the member held no live grant. */
  readonly revokeGrant: (sealId: string, userId: string, by: string, at: number) => Op<boolean>

  /** The person's current (not deleted) signature. */
  readonly currentSignature: (userId: string) => Op<Option.Option<Signature>>
  /** Makes `signature` the owner's current one; a previous current one is marked deleted at its `createdAt`. */
  readonly replaceSignature: (signature: Signature) => Op<void>
  /** False when the person had no current signature. */
  readonly deleteSignature: (userId: string, at: number) => Op<boolean>

  /** The signatory's delegations in the enterprise, revoked ones included, newest first. */
  readonly delegationsOf: (enterpriseId: string, signatoryUserId: string) => Op<ReadonlyArray<Delegation>>
  /** Delegations to this agent in the enterprise, revoked ones included, newest first. */
  readonly delegationsTo: (enterpriseId: string, agentUserId: string) => Op<ReadonlyArray<Delegation>>
  readonly insertDelegation: (delegation: Delegation) => Op<void>
  /** False when no such unrevoked delegation of this signatory exists in the enterprise. */
  readonly revokeDelegation: (enterpriseId: string, signatoryUserId: string, delegationId: string, at: number) => Op<boolean>

  readonly insertUsage: (entry: UsageEntry) => Op<void>
  /** A seal's uses, newest first. */
  readonly usagesOfSeal: (enterpriseId: string, sealId: string, limit: number) => Op<ReadonlyArray<UsageEntry>>
  /** Uses of a signatory's signature in the enterprise, newest first. */
  readonly usagesOfSignatory: (enterpriseId: string, signatoryUserId: string, limit: number) => Op<ReadonlyArray<UsageEntry>>
}>()("core/ports/SealRepository") {}
