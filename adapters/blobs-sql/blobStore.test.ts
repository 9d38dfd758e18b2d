import { randomBytes } from "node:crypto"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Layer, ManagedRuntime } from "effect"
import { BlobStore } from "../../core/ports/BlobStore.ts"
import { blobStoreContract } from "../../fixtures/contracts/BlobStore.contract.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { Database, dropSchema, layerPostgres, layerSqlite, migrated } from "../sql/index.ts"
import { CHUNK, layer, makeSqlBlobStore } from "./index.ts"

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
