import { Context, type Effect, type Option, Schema } from "effect"

/** The blob store failed (disk full, permissions). */
export class BlobStoreError extends Schema.TaggedError<BlobStoreError>()("BlobStoreError", {
  operation: Schema.String,
  cause: Schema.Defect(),
}) {}

/**
 * Bytes kept by their SHA-256 (lower-case hex): the same file stored twice is
 * kept once, and a key says nothing about who owns it. Access control lives in
 * the records that point at a key, never here. Adapters: `adapters/blobs-fs`, `adapters/blobs-sql`.
 */
export class BlobStore extends Context.Service<BlobStore, {
  /** Stores the bytes; returns their SHA-256 hex. */
  readonly put: (bytes: Uint8Array) => Effect.Effect<string, BlobStoreError>
  readonly get: (sha256: string) => Effect.Effect<Option.Option<Uint8Array>, BlobStoreError>
  /** The stored length in bytes, without reading the bytes (lists show a file's size). */
  readonly size: (sha256: string) => Effect.Effect<Option.Option<number>, BlobStoreError>
  /**
   * Removes the bytes (absent: nothing to do). Only for bytes that no record
   * points at any more, such as an expired prepared signature's revision: keys are shared by equal bytes.
   */
  readonly delete: (sha256: string) => Effect.Effect<void, BlobStoreError>
}>()("core/ports/BlobStore") {}
