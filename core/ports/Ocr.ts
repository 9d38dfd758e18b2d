import { Context, type Effect, Schema } from "effect"

/** The OCR engine failed (not "found nothing": that is empty fields). */
export class OcrFailed extends Schema.TaggedError<OcrFailed>()("OcrFailed", {
  detail: Schema.String,
}) {}

/** One field read from an image, with the engine's confidence from 0 to 1. */
export interface OcrField {
  readonly value: string
  readonly confidence: number
}

export interface IdCardFields {
  readonly name: OcrField | null
  readonly idNumber: OcrField | null
}

export interface LicenceFields {
  readonly name: OcrField | null
  readonly creditCode: OcrField | null
}

/**
 * Reads fields from document photos to pre-fill forms; the user always
 * confirms or corrects them. Adapters: `adapters/ocr-tesseract`, `adapters/ocr-fixture`.
 */
export class Ocr extends Context.Service<Ocr, {
  readonly readIdCard: (image: Uint8Array) => Effect.Effect<IdCardFields, OcrFailed>
  readonly readLicence: (image: Uint8Array) => Effect.Effect<LicenceFields, OcrFailed>
}>()("core/ports/Ocr") {}
