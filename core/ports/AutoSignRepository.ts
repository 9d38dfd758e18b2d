import { Context, type Effect } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { AutoSignAuthorization } from "../seals/AutoSignAuthorization.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** Auto-signing authorizations and the template of API contracts (migration 0021). */
export class AutoSignRepository extends Context.Service<AutoSignRepository, {
  readonly insert: (a: AutoSignAuthorization) => Op<void>
  readonly listOf: (enterpriseId: string) => Op<ReadonlyArray<AutoSignAuthorization>>
  readonly revoke: (enterpriseId: string, id: string, by: string, at: number) => Op<boolean>
  /** Counts one use if it is still unrevoked, in its window and under its maximum at `now`; false otherwise. In the act's transaction. */
  readonly take: (id: string, now: number) => Op<boolean>
  readonly recordTemplate: (contractId: string, templateId: string) => Op<void>
  readonly templateOf: (contractId: string) => Op<string | undefined>
}>()("core/organizations/AutoSignRepository") {}
