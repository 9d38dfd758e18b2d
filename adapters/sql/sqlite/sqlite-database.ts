import SQLite from "better-sqlite3"
import { Effect, Layer } from "effect"
import { Kysely, SqliteDialect } from "kysely"
import { Database } from "../Database.ts"
import type { DB } from "../schema.ts"

/**
 * SQLite through better-sqlite3: the embedded default (`$SIGNET_DATA_DIR/signet.db`).
 * WAL lets the web and admin apps read while one writes; foreign keys are on.
 */
export const layerSqlite = (filename: string) =>
  Layer.effect(
    Database,
    Effect.acquireRelease(
      Effect.sync(() => {
        const sqlite = new SQLite(filename)
        sqlite.pragma("journal_mode = WAL")
        sqlite.pragma("foreign_keys = ON")
        sqlite.pragma("busy_timeout = 5000")
        // Kysely reads bigint columns as numbers (epoch ms stays < 2^53).
        return { db: new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) }), dialect: "sqlite" as const }
      }),
      ({ db }) => Effect.promise(() => db.destroy()),
    ),
  )
