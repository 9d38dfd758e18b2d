import { Schema } from "effect"
import { UserId } from "../kernel/Ids.ts"
import { Millis } from "../kernel/Millis.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))

export const UploadId = Digits19.pipe(Schema.brand("UploadId"))
export type UploadId = typeof UploadId.Type

/** What a file is for: ID card photo (V1), business licence (V2), stamped authorization letter (V3). */
export const UploadKind = Schema.Literals(["id-photo", "licence", "letter"])
export type UploadKind = typeof UploadKind.Type

export const MediaType = Schema.Literals(["image/jpeg", "image/png", "application/pdf"])
export type MediaType = typeof MediaType.Type

/** Photos are jpeg/jpg/png only (seed); a stamped letter may also be a scanned PDF. */
export const allowedMediaTypes: Record<UploadKind, ReadonlyArray<MediaType>> = {
  "id-photo": ["image/jpeg", "image/png"],
  licence: ["image/jpeg", "image/png"],
  letter: ["image/jpeg", "image/png", "application/pdf"],
}

/** Seed: 大小不超过10M. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/**
 * A file a user uploaded. The bytes live in the blob store under their SHA-256;
 * this record says whose they are, which is what every access check reads.
 */
export class Upload extends Schema.Class<Upload>("Upload")({
  id: UploadId,
  ownerId: UserId,
  kind: UploadKind,
  mediaType: MediaType,
  sha256: Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/))),
  size: Schema.Number,
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  createdAt: Millis,
}) {}
