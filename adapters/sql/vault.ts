import { Effect, Layer } from "effect"
import type { Kysely } from "kysely"
import type { RepositoryError } from "../../core/kernel/errors.ts"
import { KeyStoreFailed } from "../../core/ports/KeyStore.ts"
import { checkName, SharedVault, type Vault } from "../keys-software/vault.ts"
import { atomicallyOn, Database, queryOn } from "./Database.ts"
import type { DB } from "./schema.ts"

/**
 * The vault in the database (migration 0019): every instance on one Postgres
 * reads the same CA, keys and log key. `create` inserts its first entry only if
 * absent (instances starting at once: the first commit wins, the others
 * answer false and read the winner's), then the rest, in one transaction (the
 * caller's, when it runs inside a UnitOfWork). Entries hold sealed keys
 * (AES-GCM under the master key) and public material only.
 */
export const makeSqlVault = (db: Kysely<DB>): Vault => {
  const query = queryOn(db)
  const atomically = atomicallyOn(db)
  const failed = (e: KeyStoreFailed | RepositoryError) =>
    e._tag === "KeyStoreFailed" ? e : new KeyStoreFailed({ reason: `vault (${e.operation}): ${e.cause instanceof Error ? e.cause.message : String(e.cause)}` })
  const names = (f: () => unknown) => Effect.try({ try: f, catch: (e) => new KeyStoreFailed({ reason: String(e) }) })
  return {
    where: "database",
    get: (name) =>
      Effect.andThen(names(() => checkName(name)), query("vault.get", (d) => d.selectFrom("vault_entries").select("data").where("name", "=", name).executeTakeFirst())).pipe(
        Effect.map((row) => (row === undefined ? undefined : new Uint8Array(row.data))),
        Effect.mapError(failed),
      ),
    create: (entries) =>
      Effect.andThen(names(() => entries.forEach(([n]) => checkName(n))), atomically("vault.create", async (t) => {
        const [first, ...rest] = entries
        if (first === undefined) return false
        const now = Date.now()
        const claimed = await t.insertInto("vault_entries").values({ name: first[0], data: first[1], created_at: now })
          .onConflict((oc) => oc.column("name").doNothing()).returning("name").executeTakeFirst()
        if (claimed === undefined) return false
        for (const [name, data] of rest) await t.insertInto("vault_entries").values({ name, data, created_at: now }).execute()
        return true
      })).pipe(Effect.mapError(failed)),
    replace: (name, data) =>
      Effect.andThen(names(() => checkName(name)), query("vault.replace", (d) =>
        d.insertInto("vault_entries").values({ name, data, created_at: Date.now() })
          .onConflict((oc) => oc.column("name").doUpdateSet({ data, created_at: Date.now() })).execute())).pipe(Effect.asVoid, Effect.mapError(failed)),
    list: (prefix) =>
      query("vault.list", (d) =>
        d.selectFrom("vault_entries").select(["name", "data"])
          // Names are [A-Za-z0-9._/-]: a range on the primary key, no LIKE escaping needed.
          .where("name", ">=", prefix).where("name", "<", `${prefix}\u{10FFFF}`).orderBy("name").execute()).pipe(
        Effect.map((rows) => rows.map((r) => [r.name, new Uint8Array(r.data)] as const)),
        Effect.mapError(failed),
      ),
  }
}

/** The shared vault on the app's Database. */
export const layerSqlVault = Layer.effect(SharedVault, Effect.gen(function*() {
  return makeSqlVault((yield* Database).db)
}))
