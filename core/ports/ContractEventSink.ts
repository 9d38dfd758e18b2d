import { Context, Effect, Layer } from "effect"
import type { Contract } from "../contracts/Contract.ts"
import type { RepositoryError } from "../kernel/errors.ts"

/**
 * Told of every contract write inside the write's own transaction (before,
 * after), so whatever it records (webhook deliveries and their jobs) commits
 * or rolls back with the act. A requirement of every contract write: a
 * runtime without webhooks provides `ContractEventSink.none` by name.
 */
export class ContractEventSink extends Context.Service<ContractEventSink, {
  readonly changed: (before: Contract, after: Contract) => Effect.Effect<void, RepositoryError>
}>()("core/ports/ContractEventSink") {
  /** Nobody is told of contract writes (no partner API: embedders, the portal's tests). */
  static readonly none = Layer.succeed(ContractEventSink, { changed: () => Effect.void })
}
