import { Context, Effect, Schema } from "effect"
import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from "kysely"
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

/** Stands for the value of a compiled-once query's argument while it is compiled (see `compiledOnce`). */
class Slot {
  readonly index: number
  constructor(index: number) {
    this.index = index
  }
}

/**
 * A query built and compiled once, then run with each call's values bound in their places. Kysely builds and
 * compiles a query afresh on every run (immutable nodes, then the SQL text), a measurable share of a small
 * statement's cost on a hot path (issue 23: the signing act runs ~25). Only for queries whose text does not depend
 * on their values: each argument is one bound value (not an `in` list, not a value that picks a clause), passed to
 * `build` as it is used; `build` runs once, with stand-ins for the values. The text is the dialect's, with no
 * schema in it (Postgres tests use the search path), so it serves the database and its transactions alike.
 */
export const compiledOnce = <D, Args extends ReadonlyArray<unknown>, R>(db: Kysely<D>, build: (db: Kysely<D>, ...args: Args) => Compilable<R>) => {
  let compiled: { readonly query: CompiledQuery<R>; readonly slots: ReadonlyArray<number> } | undefined
  return (...args: Args): CompiledQuery<R> => {
    if (compiled === undefined) {
      const query = build(db, ...(args.map((_, i) => new Slot(i)) as unknown as Args)).compile()
      // Where each argument went (-1: a value of the query's own, such as a limit, kept as compiled).
      const slots = query.parameters.map((p) => (p instanceof Slot ? p.index : -1))
      if (new Set(slots.filter((i) => i >= 0)).size !== args.length) throw new Error(`compiledOnce: not every argument is one bound value in ${query.sql}`)
      compiled = { query, slots }
    }
    const { query, slots } = compiled
    return { query: query.query, queryId: createQueryId(), sql: query.sql, parameters: slots.map((i, k) => (i < 0 ? query.parameters[k] : args[i])) }
  }
}

/**
 * An UPDATE of a row's columns where `keys` match, built and compiled once per column list (`compiledOnce`): each
 * call passes the columns to set (a row's own keys, the same list call after call) and the keys' values, in order.
 */
export const compiledUpdate = (db: Kysely<DB>, table: keyof DB & string, keys: ReadonlyArray<string>) => {
  const byColumns = new Map<string, (...args: ReadonlyArray<unknown>) => CompiledQuery>()
  return (values: Readonly<Record<string, unknown>>, ...keyValues: ReadonlyArray<unknown>): CompiledQuery => {
    const columns = Object.keys(values)
    const list = columns.join(",")
    let update = byColumns.get(list)
    if (update === undefined) {
      // Untyped inside: the columns and keys are the caller's row and key names, checked by its own types.
      update = compiledOnce(db as unknown as Kysely<Record<string, Record<string, unknown>>>, (d, ...args: ReadonlyArray<unknown>) =>
        keys.reduce(
          (u, key, k) => u.where(key, "=", args[columns.length + k]),
          d.updateTable(table).set(Object.fromEntries(columns.map((c, i) => [c, args[i]]))),
        ))
      byColumns.set(list, update)
    }
    return update(...columns.map((c) => values[c]), ...keyValues)
  }
}
