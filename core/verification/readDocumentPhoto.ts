import { Effect } from "effect"
import type { UserId } from "../kernel/Ids.ts"
import { Ocr, type OcrField } from "../ports/Ocr.ts"
import { storeUpload } from "./uploads.ts"

/** Fields OCR read with less confidence than this are left for the user to type. */
export const MIN_OCR_CONFIDENCE = 0.6

const usable = (f: OcrField | null): string | null => (f !== null && f.confidence >= MIN_OCR_CONFIDENCE ? f.value : null)

/**
 * V1: keeps the ID card photo and reads name and ID number from it to
 * pre-fill the form. OCR is a convenience: when it fails or is unsure, the
 * photo is still kept and the fields stay empty for the user to fill in.
 */
export const readIdCardPhoto = Effect.fn("verification.readIdCardPhoto")(function*(userId: UserId, bytes: Uint8Array) {
  const upload = yield* storeUpload(userId, "id-photo", bytes)
  const fields = yield* (yield* Ocr).readIdCard(bytes).pipe(Effect.orElseSucceed(() => ({ name: null, idNumber: null })))
  return { upload, name: usable(fields.name), idNumber: usable(fields.idNumber) }
})

/** V2: keeps the licence photo and reads enterprise name and credit code from it (same rules as above). */
export const readLicencePhoto = Effect.fn("verification.readLicencePhoto")(function*(userId: UserId, bytes: Uint8Array) {
  const upload = yield* storeUpload(userId, "licence", bytes)
  const fields = yield* (yield* Ocr).readLicence(bytes).pipe(Effect.orElseSucceed(() => ({ name: null, creditCode: null })))
  return { upload, name: usable(fields.name), creditCode: usable(fields.creditCode) }
})
