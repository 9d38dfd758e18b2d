import SQLite from "better-sqlite3"
import { Effect, Layer } from "effect"
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement } from "kysely"
import { Database } from "../Database.ts"
import { startCheckpointer } from "./checkpointer.ts"
import type { DB } from "../schema.ts"

/** Prepared statements kept per SQL text (Kysely prepares every query afresh; parsing dominated small writes). */
const STATEMENT_CACHE_SIZE = 500

/**
 * better-sqlite3 with a bounded statement cache. Reuse is safe: better-sqlite3
 * runs one statement at a time on this thread, and a statement being iterated
 * (Kysely's streaming) is never handed out again until a fresh one is prepared.
 */
const withStatementCache = (sqlite: SQLite.Database): SqliteDatabase => {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: (sql: string): SqliteStatement => {
      const hit = cache.get(sql)
      if (hit !== undefined && !hit.busy) {
        cache.delete(sql) // re-insert: most recently used last
        cache.set(sql, hit)
        return hit as unknown as SqliteStatement
      }
      const statement = sqlite.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
      return statement as unknown as SqliteStatement
    },
  }
}

/**
 * Transactions begin IMMEDIATE: the write lock is taken at BEGIN, not at the first write. Several processes share the
 * file (a cluster, apps/cluster.ts): a DEFERRED transaction that read first and then writes fails at once with
 * SQLITE_BUSY when another process committed meanwhile (its snapshot is stale: busy_timeout cannot help); an IMMEDIATE
 * one waits its turn (busy_timeout) at BEGIN, so there is one writer at a time and no transaction fails half-way.
 */
class ImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"))
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateDriver(this.#config)
  }
}

/**
 * SQLite through better-sqlite3: the embedded default (`$SIGNET_DATA_DIR/signet.db`).
 * WAL lets the web and admin apps, and the processes of a cluster, read while one writes (busy_timeout: a writer
 * waits up to 5 s for another to commit, then the request fails as busy); foreign keys are on.
 * synchronous=NORMAL is SQLite's recommended setting under WAL: the database
 * never corrupts; a power cut may lose the last transactions, never half of one.
 * WAL checkpoints run on a second thread (checkpointer.ts).
 */
export const layerSqlite = (filename: string) =>
  Layer.effect(
    Database,
    Effect.acquireRelease(
      Effect.sync(() => {
        const sqlite = new SQLite(filename)
        sqlite.pragma("journal_mode = WAL")
        sqlite.pragma("synchronous = NORMAL")
        // 64 MiB page cache (default 2 MiB): the evidence tables' indexes stay hot (+15-20% appends in the bench).
        sqlite.pragma("cache_size = -65536")
        sqlite.pragma("foreign_keys = ON")
        sqlite.pragma("busy_timeout = 5000")
        // A file database is checkpointed from a second thread (checkpointer.ts); an in-memory one has no WAL.
        const stopCheckpointer = filename === ":memory:" || filename === "" ? async () => {} : startCheckpointer(sqlite, filename)
        // Kysely reads bigint columns as numbers (epoch ms stays < 2^53).
        const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) })
        return { service: { db, dialect: "sqlite" as const }, stopCheckpointer }
      }),
      ({ service, stopCheckpointer }) => Effect.promise(() => stopCheckpointer().then(() => service.db.destroy())),
    ).pipe(Effect.map(({ service }) => service)),
  )
