import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Enterprise, EnterpriseId } from "../organizations/Enterprise.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class EnterpriseRepository extends Context.Service<EnterpriseRepository, {
  /** False when an enterprise with this credit code exists (unique), nothing written. */
  readonly insert: (enterprise: Enterprise) => Op<boolean>
  readonly findById: (id: EnterpriseId) => Op<Option.Option<Enterprise>>
  readonly findByCreditCode: (creditCode: string) => Op<Option.Option<Enterprise>>
  /** Enterprises whose admin is this user, oldest first. */
  readonly listAdministeredBy: (userId: UserId) => Op<ReadonlyArray<Enterprise>>
}>()("core/ports/EnterpriseRepository") {}
