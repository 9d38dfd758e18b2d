import { Context, Effect, Schema } from "effect"
import type { Kysely } from "kysely"
import { RepositoryError } from "../../core/kernel/errors.ts"
import type { DB } from "./schema.ts"

export type Dialect = "sqlite" | "postgres"

/** One Kysely instance, whichever database is behind it. Everything outside sqlite/ and postgres/ is dialect-agnostic. */
export class Database extends Context.Service<Database, {
  readonly db: Kysely<DB>
  readonly dialect: Dialect
  /** The Postgres schema in use when not the default (tests run in throwaway schemas). */
  readonly schema?: string | undefined
}>()("adapters/sql/Database") {}

/** The open transaction of the running fiber, if a UnitOfWork started one. */
export const CurrentTransaction = Context.Reference<Kysely<DB> | null>("adapters/sql/CurrentTransaction", {
  defaultValue: () => null,
})

export type Query = <A>(operation: string, run: (db: Kysely<DB>) => Promise<A>) => Effect.Effect<A, RepositoryError>

/**
 * Runs one query, wrapping any failure as a RepositoryError naming the
 * operation. Inside `UnitOfWork.transact` it runs on that transaction, so
 * repositories need not know whether they are part of one.
 */
export const queryOn = (db: Kysely<DB>): Query => (operation, run) =>
  Effect.flatMap(CurrentTransaction, (trx) =>
    Effect.tryPromise({ try: () => run(trx ?? db), catch: (cause) => new RepositoryError({ operation, cause }) }))

/** Rows are decoded, never cast: a row that does not fit its entity is a repository error. */
export const decodeRow = <S extends Schema.Decoder<unknown>>(schema: S, operation: string) => (row: unknown) =>
  Schema.decodeUnknownEffect(schema)(row).pipe(
    Effect.mapError((cause) => new RepositoryError({ operation: `${operation} (decode)`, cause })),
  )

/**
 * Runs several statements as one: inside a UnitOfWork they join its
 * transaction, otherwise they get a transaction of their own.
 */
export const atomicallyOn = (db: Kysely<DB>): Query => (operation, run) =>
  Effect.flatMap(CurrentTransaction, (trx) =>
    Effect.tryPromise({
      try: () => (trx !== null ? run(trx) : db.transaction().execute((t) => run(t))),
      catch: (cause) => new RepositoryError({ operation, cause }),
    }))
