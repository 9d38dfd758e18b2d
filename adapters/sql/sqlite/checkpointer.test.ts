import { statSync } from "node:fs"
import { join } from "node:path"
import { expect, it } from "vitest"
import { Effect, ManagedRuntime } from "effect"
import { sql } from "kysely"
import { tempDir } from "../../../fixtures/signing/validators.ts"
import { Database } from "../Database.ts"
import { layerSqlite } from "./sqlite-database.ts"

it("a file database's WAL is checkpointed by the background thread, not by the writer's commits; closing stops the thread", async () => {
  const file = join(tempDir("signet-checkpointer-"), "c.db")
  const runtime = ManagedRuntime.make(layerSqlite(file))
  const size = () => statSync(file).size
  try {
    const before = await runtime.runPromise(Effect.gen(function*() {
      const { db } = yield* Database
      const run = (q: string) => Effect.promise(() => sql.raw(q).execute(db))
      const [row] = (yield* run("pragma wal_autocheckpoint")).rows as Array<{ wal_autocheckpoint: number }>
      // The writer's own checkpoint only as a safety net, far above what this test writes (~1,200 pages).
      expect(row!.wal_autocheckpoint).toBe(10_000)
      yield* run("create table t (x text)")
      yield* run(`with recursive n(i) as (select 1 union all select i + 1 from n where i < 5000) insert into t select hex(randomblob(500)) from n`)
      return size()
    }))
    // The pages are in the WAL after the commit; the thread copies them into the database file within a few ticks.
    await expect.poll(size, { timeout: 10_000, interval: 50 }).toBeGreaterThan(before + 4_000_000)
  } finally {
    await runtime.dispose()
  }
})
