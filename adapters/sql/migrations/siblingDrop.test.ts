/**
 * Postgres: Kysely's migrator lists the tables of every schema before it migrates; a sibling schema dropped or
 * altered at that moment (another test file, another instance's throwaway schema) failed two CI runs with
 * `schema "t_…" does not exist` and `column "name" of relation "users" does not exist`. The database layer's
 * introspector now reads our own schema only (OwnSchemaDialect). Five migrations started while siblings are created and dropped in a loop all succeed (with Kysely's own introspector, 3 runs of 3 failed).
 */
import { randomBytes } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import pg from "pg"
import { postgresUrl } from "../../../fixtures/postgres.ts"
import { dropSchema, layerPostgres } from "../postgres/postgres-database.ts"
import { migrate } from "./index.ts"

const url = postgresUrl("migrations beside dropped schemas")

describe("migrations beside schemas being dropped", () => {
  it.skipIf(url === null)("every migration succeeds while sibling schemas come and go", async () => {
    const client = new pg.Client({ connectionString: url! })
    await client.connect()
    let churning = true
    let dropped = 0
    const churn = (async () => {
      while (churning) {
        const sibling = `t_sib_${randomBytes(4).toString("hex")}`
        await client.query(`create schema "${sibling}"; ${Array.from({ length: 20 }, (_, i) => `create table "${sibling}".x${i} (id serial, name text)`).join("; ")}`)
        await client.query(Array.from({ length: 20 }, (_, i) => `alter table "${sibling}".x${i} drop column name`).join("; "))
        await client.query(`drop schema "${sibling}" cascade`)
        dropped += 1
      }
    })()
    const schemas = Array.from({ length: 5 }, () => `t_${randomBytes(6).toString("hex")}`)
    try {
      for (const schema of schemas) {
        const applied = await Effect.runPromise(Effect.scoped(migrate.pipe(Effect.provide(layerPostgres(url!, schema)))))
        expect(applied).toContain("0001_accounts")
      }
    } finally {
      churning = false
      await churn
      await client.end()
      for (const schema of schemas) await Effect.runPromise(dropSchema(url!, schema))
    }
    expect(dropped).toBeGreaterThan(0)
  }, 120_000)
})
