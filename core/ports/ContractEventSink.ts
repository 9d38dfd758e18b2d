import { Context, type Effect } from "effect"
import type { Contract } from "../contracts/Contract.ts"
import type { RepositoryError } from "../kernel/errors.ts"

/**
 * Told of every contract write inside the write's own transaction (before,
 * after), so whatever it records (webhook deliveries and their jobs) commits
 * or rolls back with the act. Optional: where none is wired, acts run as before.
 */
export class ContractEventSink extends Context.Service<ContractEventSink, {
  readonly changed: (before: Contract, after: Contract) => Effect.Effect<void, RepositoryError>
}>()("core/ports/ContractEventSink") {}
