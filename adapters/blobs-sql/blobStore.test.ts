import { randomBytes } from "node:crypto"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Layer, ManagedRuntime, Option } from "effect"
import { layer as layerFs } from "../blobs-fs/index.ts"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { blobStoreContract } from "../../fixtures/contracts/BlobStore.contract.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { Database, dropSchema, layerPostgres, layerSqlite, migrated } from "../sql/index.ts"
import { CHUNK, layer, layerReadingThrough, makeSqlBlobStore } from "./index.ts"

/** Small chunks, so the contract's sizes fall on, before and after chunk boundaries. */
const SMALL = 1024
const layerSmallChunks = Layer.effect(BlobStore, Effect.gen(function*() {
  return makeSqlBlobStore((yield* Database).db, SMALL)
}))
const sizes = [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 5 * SMALL + 7]

blobStoreContract("SQL on SQLite, 1 MiB chunks", () => layer.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))
blobStoreContract("SQL on SQLite, 1 KiB chunks", () => layerSmallChunks.pipe(Layer.provide(migrated(layerSqlite(":memory:")))), sizes)

const url = postgresUrl("SQL blob store on Postgres")
const schema = `t_blobs_${randomBytes(5).toString("hex")}`
if (url !== null) {
  const database = migrated(layerPostgres(url, schema))
  blobStoreContract("SQL on Postgres, 1 MiB chunks", () => layer.pipe(Layer.provide(database)))
  blobStoreContract("SQL on Postgres, 1 KiB chunks", () => layerSmallChunks.pipe(Layer.provide(database)), sizes)
  afterAll(() => Effect.runPromise(dropSchema(url, schema)))
}

describe("SQL blob store", () => {
  it("stores a 2.5 MiB document as three 1 MiB rows and one completion row; a second put adds nothing", async () => {
    const runtime = ManagedRuntime.make(layer.pipe(Layer.provideMerge(migrated(layerSqlite(":memory:")))))
    try {
      const bytes = new Uint8Array(randomBytes(2.5 * CHUNK))
      const counts = await runtime.runPromise(Effect.gen(function*() {
        const blobs = yield* BlobStore
        const key = yield* blobs.put(bytes)
        yield* blobs.put(bytes)
        const { db } = yield* Database
        const chunks = yield* Effect.promise(() => db.selectFrom("blob_chunks").select(["seq", "data"]).where("sha256", "=", key).orderBy("seq").execute())
        const done = yield* Effect.promise(() => db.selectFrom("blobs").selectAll().execute())
        return { chunks: chunks.map((c) => c.data.length), done: done.map((d) => [d.size, d.chunks]) }
      }))
      expect(counts).toEqual({ chunks: [CHUNK, CHUNK, CHUNK / 2], done: [[2.5 * CHUNK, 3]] })
    } finally {
      await runtime.dispose()
    }
  })
})

describe("SQL blob store reading through to files", () => {
  it("a blob only an earlier deployment's files hold is found, and copied into the database", async () => {
    const { mkdtempSync } = await import("node:fs")
    const { tmpdir } = await import("node:os")
    const dir = mkdtempSync(`${tmpdir()}/signet-legacy-blobs-`)
    const bytes = new Uint8Array(randomBytes(3000))
    const key = await Effect.runPromise(BlobStore.use((b) => b.put(bytes)).pipe(Effect.provide(layerFs(dir))))
    const runtime = ManagedRuntime.make(layerReadingThrough(dir).pipe(Layer.provideMerge(migrated(layerSqlite(":memory:")))))
    try {
      expect(Option.getOrThrow(await runtime.runPromise(BlobStore.use((b) => b.get(key))))).toEqual(bytes)
      // Now in the database itself.
      const inDb = await runtime.runPromise(Effect.gen(function*() {
        return makeSqlBlobStore((yield* Database).db)
      }).pipe(Effect.flatMap((s) => s.get(key))))
      expect(Option.getOrThrow(inDb)).toEqual(bytes)
      expect(Option.isNone(await runtime.runPromise(BlobStore.use((b) => b.get("1".repeat(64)))))).toBe(true)
    } finally {
      await runtime.dispose()
    }
  })
})
