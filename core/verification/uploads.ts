import { Clock, Effect, Option } from "effect"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UploadRepository } from "../ports/VerificationRepository.ts"
import { checkUpload } from "./fileSniff.ts"
import { Upload, type UploadId, type UploadKind } from "./Upload.ts"

/**
 * Keeps a user's file for a purpose after checking what it really is (magic
 * bytes), its size (10 MB) and, for photos, its pixel size. Nothing is stored
 * when a check fails.
 */
export const storeUpload = Effect.fn("verification.storeUpload")(function*(ownerId: UserId, kind: UploadKind, bytes: Uint8Array) {
  const sniffed = yield* Effect.fromResult(checkUpload(kind, bytes))
  const sha256 = yield* (yield* BlobStore).put(bytes)
  const upload = new Upload({
    id: (yield* (yield* IdGenerator).next) as string as UploadId,
    ownerId, kind, sha256,
    mediaType: sniffed.mediaType,
    size: bytes.length,
    width: sniffed.width,
    height: sniffed.height,
    createdAt: yield* Clock.currentTimeMillis,
  })
  yield* (yield* UploadRepository).insert(upload)
  return upload
})

/** The upload `id` if `userId` owns it (optionally of one kind); anyone else's is "not found". */
export const ownUpload = Effect.fn("verification.ownUpload")(function*(userId: UserId, id: UploadId, kind?: UploadKind) {
  const found = yield* (yield* UploadRepository).find(id)
  if (Option.isNone(found) || found.value.ownerId !== userId || (kind !== undefined && found.value.kind !== kind)) {
    return yield* new NotFound({ entity: "upload", id })
  }
  return found.value
})

/** An upload's record and bytes, for whoever the caller already checked may see it. */
export const uploadContent = Effect.fn("verification.uploadContent")(function*(upload: Upload) {
  const bytes = yield* (yield* BlobStore).get(upload.sha256)
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "blob", id: upload.sha256 })
  return { upload, bytes: bytes.value }
})

/** The owner downloading their own file (V1-V3 previews). */
export const readOwnUpload = Effect.fn("verification.readOwnUpload")(function*(userId: UserId, id: UploadId) {
  return yield* uploadContent(yield* ownUpload(userId, id))
})
