import { Context, type Effect } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"

/**
 * Runs an effect as one database transaction: every repository call inside it
 * commits together or not at all (a state change and the evidence event that
 * records it, for instance). Nested calls join the outer transaction.
 */
export class UnitOfWork extends Context.Service<UnitOfWork, {
  readonly transact: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | RepositoryError, R>
}>()("core/ports/UnitOfWork") {}
