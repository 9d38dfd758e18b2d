import { Context, Effect, Schema } from "effect"
import type { Kysely } from "kysely"
import { RepositoryError } from "../../core/kernel/errors.ts"
import type { DB } from "./schema.ts"

export type Dialect = "sqlite" | "postgres"

/** One Kysely instance, whichever database is behind it. Everything outside sqlite/ and postgres/ is dialect-agnostic. */
export class Database extends Context.Service<Database, {
  readonly db: Kysely<DB>
  readonly dialect: Dialect
}>()("adapters/sql/Database") {}

export type Query = <A>(operation: string, run: (db: Kysely<DB>) => Promise<A>) => Effect.Effect<A, RepositoryError>

/** Runs one query on `db`, wrapping any failure as a RepositoryError naming the operation. */
export const queryOn = (db: Kysely<DB>): Query => (operation, run) =>
  Effect.tryPromise({ try: () => run(db), catch: (cause) => new RepositoryError({ operation, cause }) })

/** Rows are decoded, never cast: a row that does not fit its entity is a repository error. */
export const decodeRow = <S extends Schema.Decoder<unknown>>(schema: S, operation: string) => (row: unknown) =>
  Schema.decodeUnknownEffect(schema)(row).pipe(
    Effect.mapError((cause) => new RepositoryError({ operation: `${operation} (decode)`, cause })),
  )
