import { Effect, Layer, Schema } from "effect"
import { Ocr, type OcrField } from "../../core/ports/Ocr.ts"

/** The tEXt keyword fixtures/verification/images.ts writes the "printed" fields under. */
const KEY = "signet-ocr"

const Fields = Schema.Record(Schema.String, Schema.String)

/** The JSON of the `signet-ocr` tEXt chunk of a PNG, if any. */
const embeddedText = (b: Uint8Array): string | null => {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let i = 8
  while (i + 8 <= b.length) {
    const length = view.getUint32(i)
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8))
    if (type === "tEXt") {
      const data = b.subarray(i + 8, i + 8 + length)
      const zero = data.indexOf(0)
      if (new TextDecoder("latin1").decode(data.subarray(0, zero)) === KEY) return new TextDecoder().decode(data.subarray(zero + 1))
    }
    if (type === "IEND") return null
    i += 12 + length
  }
  return null
}

const read = (image: Uint8Array) =>
  Effect.sync(() => embeddedText(image)).pipe(
    Effect.flatMap((json) => json === null ? Effect.succeed({} as Record<string, string>) : Schema.decodeUnknownEffect(Schema.fromJsonString(Fields))(json)),
    Effect.orElseSucceed(() => ({} as Record<string, string>)),
  )

const field = (v: string | undefined): OcrField | null => (v === undefined ? null : { value: v, confidence: 0.99 })

/**
 * Fixture OCR for tests and machines without tesseract: "reads" the fields a
 * synthetic image carries in a PNG text chunk (fixtures/verification/images.ts);
 * any other image reads as empty, and the user types the fields.
 */
export const layer = Layer.succeed(Ocr, {
  readIdCard: (image) => Effect.map(read(image), (f) => ({ name: field(f.name), idNumber: field(f.idNumber) })),
  readLicence: (image) => Effect.map(read(image), (f) => ({ name: field(f.name), creditCode: field(f.creditCode) })),
})
