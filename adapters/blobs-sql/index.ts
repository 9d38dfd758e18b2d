import { createHash } from "node:crypto"
import { Clock, Effect, Layer, Option } from "effect"
import type { Kysely } from "kysely"
import { BlobStore, BlobStoreError } from "../../core/ports/BlobStore.ts"
import { layer as layerFs } from "../blobs-fs/index.ts"
import { atomicallyOn, Database, queryOn } from "../sql/Database.ts"
import type { DB } from "../sql/schema.ts"

const HEX = /^[0-9a-f]{64}$/

/** Bytes per chunk row: a 20 MiB contract is 20 rows, none near Postgres' 1 GB field limit. */
export const CHUNK = 1024 * 1024

/** Chunk rows fetched per query when a blob is read back. */
const READ_BATCH = 4

/**
 * BlobStore in the database (migration 0018), for instances that share one
 * Postgres and no directory. Content-addressed by SHA-256 like
 * adapters/blobs-fs: the bytes go in CHUNK-sized rows of `blob_chunks`, one
 * statement each, then the `blobs` row that marks the blob complete, all in
 * one transaction (the caller's inside a UnitOfWork: a blob written by an act
 * that rolls back goes with it). A put of bytes already stored changes
 * nothing; two puts of the same bytes at once both succeed (insert if absent).
 * A read assembles the chunks into one buffer, READ_BATCH rows per query.
 */
export const makeSqlBlobStore = (db: Kysely<DB>, chunkSize = CHUNK): BlobStore["Service"] => {
  const query = queryOn(db)
  const atomically = atomicallyOn(db)
  return {
    put: (bytes) =>
      Effect.gen(function*() {
        const sha256 = createHash("sha256").update(bytes).digest("hex")
        const now = yield* Clock.currentTimeMillis
        const chunks = Math.max(1, Math.ceil(bytes.length / chunkSize))
        yield* atomically("blobs.put", async (t) => {
          const known = await t.selectFrom("blobs").select("sha256").where("sha256", "=", sha256).executeTakeFirst()
          if (known !== undefined) return
          for (let seq = 0; seq < chunks; seq++) {
            await t.insertInto("blob_chunks").values({ sha256, seq, data: bytes.subarray(seq * chunkSize, (seq + 1) * chunkSize) })
              .onConflict((oc) => oc.columns(["sha256", "seq"]).doNothing()).execute()
          }
          await t.insertInto("blobs").values({ sha256, size: bytes.length, chunks, created_at: now })
            .onConflict((oc) => oc.column("sha256").doNothing()).execute()
        })
        return sha256
      }).pipe(Effect.mapError((cause) => new BlobStoreError({ operation: "put", cause }))),
    size: (sha256) =>
      !HEX.test(sha256)
        ? Effect.succeedNone
        : query("blobs.size", (d) => d.selectFrom("blobs").select("size").where("sha256", "=", sha256).executeTakeFirst()).pipe(
          Effect.map((r) => r === undefined ? Option.none<number>() : Option.some(Number(r.size))),
          Effect.catchTag("RepositoryError", (cause) => Effect.fail(new BlobStoreError({ operation: "size", cause }))),
        ),
    get: (sha256) =>
      !HEX.test(sha256)
        ? Effect.succeedNone
        : Effect.gen(function*() {
          const blob = yield* query("blobs.get", (d) => d.selectFrom("blobs").select(["size", "chunks"]).where("sha256", "=", sha256).executeTakeFirst())
          if (blob === undefined) return Option.none<Uint8Array>()
          const out = new Uint8Array(blob.size)
          let offset = 0
          for (let from = 0; from < blob.chunks; from += READ_BATCH) {
            const rows = yield* query("blobs.get", (d) =>
              d.selectFrom("blob_chunks").select(["seq", "data"]).where("sha256", "=", sha256)
                .where("seq", ">=", from).where("seq", "<", from + READ_BATCH).orderBy("seq").execute())
            for (const [i, row] of rows.entries()) {
              if (row.seq !== from + i || offset + row.data.length > out.length) return yield* new BlobStoreError({ operation: "get", cause: new Error(`blob ${sha256}: chunk ${from + i} missing or oversized`) })
              out.set(row.data, offset)
              offset += row.data.length
            }
          }
          if (offset !== out.length) return yield* new BlobStoreError({ operation: "get", cause: new Error(`blob ${sha256}: ${offset} of ${out.length} bytes stored`) })
          return Option.some(out)
        }).pipe(Effect.catchTag("RepositoryError", (cause) => Effect.fail(new BlobStoreError({ operation: "get", cause })))),
    delete: (sha256) =>
      !HEX.test(sha256)
        ? Effect.void
        : atomically("blobs.delete", async (t) => {
          // The marker row first: a reader never finds a blob whose chunks are going.
          await t.deleteFrom("blobs").where("sha256", "=", sha256).execute()
          await t.deleteFrom("blob_chunks").where("sha256", "=", sha256).execute()
        }).pipe(Effect.mapError((cause) => new BlobStoreError({ operation: "delete", cause }))),
  }
}

/** The BlobStore on the app's Database. */
export const layer = Layer.effect(BlobStore, Effect.gen(function*() {
  return makeSqlBlobStore((yield* Database).db)
}))

/**
 * The store on the Database, reading through to `legacy` (the blobs a
 * deployment kept in files before): a blob found only there is copied into
 * the database on first read, so instances that never had the files find it
 * from then on.
 */
export const withLegacy = (store: BlobStore["Service"], legacy: BlobStore["Service"]): BlobStore["Service"] => ({
  put: store.put,
  delete: (sha256) => Effect.andThen(store.delete(sha256), legacy.delete(sha256)),
  size: (sha256) => Effect.flatMap(store.size(sha256), (found) => Option.isSome(found) ? Effect.succeed(found) : legacy.size(sha256)),
  get: (sha256) =>
    Effect.flatMap(store.get(sha256), (found) =>
      Option.isSome(found)
        ? Effect.succeed(found)
        : Effect.tap(legacy.get(sha256), (old) => (Option.isSome(old) ? store.put(old.value) : Effect.void))),
})

/** `layer` reading through to the blob files of `legacyDir` (adapters/blobs-fs). */
export const layerReadingThrough = (legacyDir: string) =>
  Layer.effect(BlobStore, Effect.gen(function*() {
    const legacy = yield* BlobStore.pipe(Effect.provide(layerFs(legacyDir)))
    return withLegacy(makeSqlBlobStore((yield* Database).db), legacy)
  }))
