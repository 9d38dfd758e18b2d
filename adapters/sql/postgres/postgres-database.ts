import { Effect, Layer } from "effect"
import { Kysely, PostgresDialect } from "kysely"
import pg from "pg"
import { Database } from "../Database.ts"
import type { DB } from "../schema.ts"

// int8 (bigint) comes back as a string by default; our bigints are epoch ms, safe as numbers.
const INT8_OID = 20
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text"),
}

/**
 * Postgres (when DATABASE_URL is set). `schema`, if given, is created and put
 * first on the search path: tests run each suite in a throwaway schema.
 */
export const layerPostgres = (connectionString: string, schema?: string) =>
  Layer.effect(
    Database,
    Effect.acquireRelease(
      Effect.promise(async () => {
        if (schema !== undefined) {
          const admin = new pg.Client({ connectionString })
          await admin.connect()
          await admin.query(`create schema if not exists "${schema}"`)
          await admin.end()
        }
        const pool = new pg.Pool({
          connectionString,
          max: 10,
          types,
          ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` }),
        })
        return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), dialect: "postgres" as const, schema }
      }),
      ({ db }) => Effect.promise(() => db.destroy()),
    ),
  )

/** Drops a throwaway test schema. */
export const dropSchema = (connectionString: string, schema: string) =>
  Effect.promise(async () => {
    const admin = new pg.Client({ connectionString })
    await admin.connect()
    await admin.query(`drop schema if exists "${schema}" cascade`)
    await admin.end()
  })
