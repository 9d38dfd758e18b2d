import { Context, type Effect } from "effect"
import type { PreparedExternalSignature } from "../contracts/ExternalSignature.ts"
import type { RepositoryError } from "../kernel/errors.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** Prepared signatures (table external_signatures). */
export class ExternalSignatureRepository extends Context.Service<ExternalSignatureRepository, {
  readonly insert: (p: PreparedExternalSignature) => Op<void>
  readonly find: (id: string) => Op<PreparedExternalSignature | undefined>
  /**
   * Marks it completed if it is still open and unexpired at `now`; false when
   * another completion got there first. Run in the signing act's transaction:
   * the act and the mark commit together, so a crash leaves it open and one of two instances wins.
   */
  readonly complete: (id: string, now: number) => Op<boolean>
  /** Prepared signatures (completed or not) whose ten minutes ended at or before `at`, oldest first. */
  readonly expiredBefore: (at: number, limit: number) => Op<ReadonlyArray<PreparedExternalSignature>>
  readonly remove: (id: string) => Op<void>
}>()("core/contracts/ExternalSignatureRepository") {}
