import { Effect, Layer, Option } from "effect"
import { PersonalVerification } from "../../../core/verification/PersonalVerification.ts"
import { Upload } from "../../../core/verification/Upload.ts"
import { PersonalVerificationRepository, UploadRepository } from "../../../core/ports/VerificationRepository.ts"
import { Database, decodeRow, queryOn } from "../Database.ts"
import type { PersonalVerificationsTable, UploadsTable } from "../schema.ts"

const decodeUpload = decodeRow(Upload, "uploads")
const toUpload = (r: UploadsTable) =>
  decodeUpload({
    id: r.id, ownerId: r.owner_id, kind: r.kind, mediaType: r.media_type, sha256: r.sha256, size: Number(r.size),
    width: r.width, height: r.height, createdAt: Number(r.created_at),
  })

export const layerUploadRepository = Layer.effect(
  UploadRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      insert: (u) =>
        q("uploads.insert", (db) =>
          db.insertInto("uploads").values({
            id: u.id, owner_id: u.ownerId, kind: u.kind, media_type: u.mediaType, sha256: u.sha256, size: u.size,
            width: u.width, height: u.height, created_at: u.createdAt,
          }).execute()).pipe(Effect.asVoid),
      find: (id) =>
        q("uploads.find", (db) => db.selectFrom("uploads").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toUpload(r), Option.some)),
        ),
    }
  }),
)

const decodePersonal = decodeRow(PersonalVerification, "personal_verifications")
const toPersonal = (r: PersonalVerificationsTable) =>
  decodePersonal({
    userId: r.user_id, name: r.name, idNumber: r.id_number, cardLast4: r.card_last4, cardType: r.card_type, mobile: r.mobile,
    photoUploadId: r.photo_upload_id, backPhotoUploadId: r.back_photo_upload_id ?? null, providerReference: r.provider_reference, verifiedAt: Number(r.verified_at),
  })

export const layerPersonalVerificationRepository = Layer.effect(
  PersonalVerificationRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      insert: (v) =>
        q("personalVerifications.insert", (db) =>
          db.insertInto("personal_verifications").values({
            user_id: v.userId, name: v.name, id_number: v.idNumber, card_last4: v.cardLast4, card_type: v.cardType,
            mobile: v.mobile, photo_upload_id: v.photoUploadId, back_photo_upload_id: v.backPhotoUploadId ?? null, provider_reference: v.providerReference, verified_at: v.verifiedAt,
          }).onConflict((oc) => oc.column("user_id").doNothing()).executeTakeFirst()).pipe(
            Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) > 0),
          ),
      find: (userId) =>
        q("personalVerifications.find", (db) => db.selectFrom("personal_verifications").selectAll().where("user_id", "=", userId).executeTakeFirst()).pipe(
          Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toPersonal(r), Option.some)),
        ),
    }
  }),
)
