import { Effect, Exit, Layer } from "effect"
import { RepositoryError } from "../../core/kernel/errors.ts"
import { UnitOfWork } from "../../core/ports/UnitOfWork.ts"
import { CurrentTransaction, Database } from "./Database.ts"

/**
 * UnitOfWork on a Kysely controlled transaction. The transaction travels in
 * the fiber's context (CurrentTransaction), which every repository query reads.
 * On SQLite the single connection serializes other work until commit.
 */
export const layerUnitOfWork = Layer.effect(
  UnitOfWork,
  Effect.gen(function*() {
    const { db } = yield* Database
    return {
      transact: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.flatMap(CurrentTransaction, (outer) =>
          outer !== null
            ? effect
            : Effect.acquireUseRelease(
              Effect.tryPromise({
                try: () => db.startTransaction().execute(),
                catch: (cause) => new RepositoryError({ operation: "transaction.begin", cause }),
              }),
              (trx) => Effect.provideService(effect, CurrentTransaction, trx),
              (trx, exit) => Effect.promise(() => (Exit.isSuccess(exit) ? trx.commit() : trx.rollback()).execute()),
            )),
    }
  }),
)
