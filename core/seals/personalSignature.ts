/**
 * 个人账户 → 我的签名: every person (not only an enterprise's signatory) keeps
 * one signature for the boxes they sign: drawn on a pad, uploaded as an image
 * (checked and cleaned like seal images, off the request thread), or a
 * generated 个人名章 with their verified name. It is the same signature the
 * enterprise's 签名管理 shows to a signatory: one per person.
 */
import { Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { nameStampVector, rasterizeSeal } from "./image/sealImage.ts"
import { encodePng } from "./image/sealImagePng.ts"
import { cleanUntrustedImage } from "./image/sealImageUpload.ts"
import { SealTextUnprintable } from "./sealsErrors.ts"
import { removeSignature, SIGNATURE_MAX_SIDE, storeSignature } from "./signatures.ts"

/** The person's current signature, if any. */
export const mySignature = Effect.fn("signatures.mine")(function*(user: User) {
  return yield* (yield* SealRepository).currentSignature(user.id)
})

/** Saves an uploaded or drawn image as the person's signature (magic bytes, pixel caps, cleaning in the pool). */
export const savePersonalSignature = Effect.fn("signatures.savePersonal")(function*(user: User, bytes: Uint8Array, source: "uploaded" | "drawn") {
  const image = yield* cleanUntrustedImage(bytes, SIGNATURE_MAX_SIDE)
  return yield* storeSignature(user.id, image, source, null)
})

/**
 * Makes the person's 个人名章 their signature: their profile name on a square red seal (the name must be set and
 * printable by the shipped font). 18 mm at 300 dpi.
 */
export const stampPersonalSignature = Effect.fn("signatures.stampPersonal")(function*(user: User) {
  const name = user.name?.trim() ?? ""
  if (name === "") return yield* new SealTextUnprintable({ characters: "" })
  const image = rasterizeSeal(yield* nameStampVector(name))
  return yield* storeSignature(user.id, { png: encodePng(image, 300), width: image.width, height: image.height }, "stamp", null)
})

/** Deletes the person's signature; their boxes then show their name in ink again. */
export const deletePersonalSignature = Effect.fn("signatures.deletePersonal")(function*(user: User) {
  if (!(yield* removeSignature(user.id, null))) return yield* new NotFound({ entity: "signature", id: user.id })
})

/** The PNG of the person's current signature. */
export const personalSignatureImage = Effect.fn("signatures.personalImage")(function*(user: User) {
  const current = yield* (yield* SealRepository).currentSignature(user.id)
  const bytes = Option.isSome(current) ? yield* (yield* BlobStore).get(current.value.imageSha256) : Option.none()
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "signature", id: user.id })
  return bytes.value
})
