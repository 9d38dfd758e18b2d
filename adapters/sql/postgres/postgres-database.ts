import { Effect, Layer } from "effect"
import { Kysely, PostgresDialect, sql, type DatabaseIntrospector, type DatabaseMetadataOptions, type PostgresDialectConfig } from "kysely"
import pg from "pg"
import { Database } from "../Database.ts"
import { errorFields, log } from "../../observability/index.ts"
import type { DB } from "../schema.ts"

// int8 (bigint) comes back as a string by default; our bigints are epoch ms, safe as numbers.
const INT8_OID = 20
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text"),
}

export interface PostgresOptions {
  /** Connections in the pool (SIGNET_DB_POOL_MAX; default 10). */
  readonly poolMax?: number | undefined
  /** Longest a statement may run before the server cancels it (SIGNET_DB_STATEMENT_TIMEOUT_MS; default 15 s). */
  readonly statementTimeoutMs?: number | undefined
  /** Longest to wait for a new connection (default 3 s): a database that went away fails requests fast. */
  readonly connectTimeoutMs?: number | undefined
}

/**
 * Kysely's Postgres introspector reads the tables and columns of every schema (with pg_get_serial_sequence on
 * each column). A sibling schema dropped or altered meanwhile (another test's or instance's throwaway schema)
 * failed that read, and with it a migration: `schema "t_…" does not exist`, `column "name" of relation "users"
 * does not exist` (two CI runs). The migrator only asks whether its own tables exist, so ours reads the names of
 * the tables in our schema alone (the named one, else the first on the search path), from the catalog.
 */
class OwnSchemaDialect extends PostgresDialect {
  readonly #schema: string | undefined
  constructor(config: PostgresDialectConfig, schema: string | undefined) {
    super(config)
    this.#schema = schema
  }
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    const schema = this.#schema ?? null
    return {
      getSchemas: async () => (await sql<{ name: string }>`select coalesce(${schema}, current_schema()) as name`.execute(db)).rows,
      getTables: async (options?: DatabaseMetadataOptions) => {
        const { rows } = await sql<{ name: string; schema: string; kind: string }>`
          select c.relname as name, n.nspname as schema, c.relkind as kind
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = coalesce(${schema}, current_schema()) and c.relkind in ('r', 'p', 'v', 'm', 'f')`.execute(db)
        return rows
          .filter((r) => options?.withInternalKyselyTables === true || !r.name.startsWith("kysely_migration"))
          .map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === "v" || r.kind === "m", isForeign: r.kind === "f", columns: [] }))
      },
    }
  }
}

/**
 * Postgres (when DATABASE_URL is set). `schema`, if given, is created and put
 * first on the search path: tests run each suite in a throwaway schema.
 * A connection that breaks while idle is reported on the pool's 'error'
 * event: it is logged (unhandled, it would end the process) and the pool
 * opens a new one on the next query, so the app recovers once the database
 * is back. Statements have a server-side timeout and a client-side one a
 * little longer (a stalled server or network).
 */
export const layerPostgres = (connectionString: string, schema?: string, options: PostgresOptions = {}) =>
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
        const statementTimeoutMs = options.statementTimeoutMs ?? 15_000
        const pool = new pg.Pool({
          connectionString,
          max: options.poolMax ?? 10,
          types,
          connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
          statement_timeout: statementTimeoutMs,
          query_timeout: statementTimeoutMs + 2_000,
          ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` }),
        })
        pool.on("error", (e) => log("warn", "postgres: an idle connection failed (the pool reconnects)", errorFields(e)))
        // The pool listens for errors only on idle connections: one that breaks while checked out (between the
        // statements of a transaction) would emit an unhandled 'error' and end the process. Its query fails instead.
        pool.on("connect", (client) => client.on("error", () => undefined))
        poolStats.set(pool)
        return { db: new Kysely<DB>({ dialect: new OwnSchemaDialect({ pool }, schema) }), dialect: "postgres" as const, schema }
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

/** In-use, idle and waiting counts of the last pool opened in this process (for /metrics). */
const poolStats = (() => {
  let current: pg.Pool | null = null
  return {
    set: (p: pg.Pool) => {
      current = p
    },
    get: () => current === null ? null : { total: current.totalCount, idle: current.idleCount, waiting: current.waitingCount },
  }
})()
export const postgresPoolStats = poolStats.get

/**
 * Waits until Postgres answers (start-up while the database is still coming
 * up or away): one line on the log per attempt, then gives up after
 * `timeoutMs` with an error naming the cause.
 */
export const waitForPostgres = async (connectionString: string, options: { readonly timeoutMs: number; readonly log: (line: string) => void }) => {
  const until = Date.now() + options.timeoutMs
  const where = (() => {
    try {
      const u = new URL(connectionString)
      return `${u.hostname}:${u.port || "5432"}${u.pathname}`
    } catch {
      return "DATABASE_URL"
    }
  })()
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3_000 })
    client.on("error", () => undefined)
    try {
      await client.connect()
      await client.query("select 1")
      await client.end()
      if (attempt > 1) options.log(`database at ${where} is reachable`)
      return
    } catch (e) {
      await client.end().catch(() => undefined)
      const reason = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e)
      if (Date.now() >= until) throw new Error(`database at ${where} not reachable after ${Math.round(options.timeoutMs / 1000)} s: ${reason}`)
      options.log(`waiting for the database at ${where} (attempt ${attempt}: ${reason})`)
      await new Promise((r) => setTimeout(r, Math.min(2_000, Math.max(0, until - Date.now()))))
    }
  }
}
