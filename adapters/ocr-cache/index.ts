import { hash } from "node:crypto"
import { Effect, Layer } from "effect"
import { Ocr, type IdCardFields, type LicenceFields, type OcrFailed } from "../../core/ports/Ocr.ts"

/**
 * `Ocr` that remembers what the engine underneath read from an image, by the
 * image's SHA-256, for the last `capacity` images: a reviewer's order page
 * asks for the OCR of each material photo every time it loads, and tesseract
 * takes seconds per photo. Reading is deterministic for the same bytes, so a
 * remembered answer is the answer; failures are not remembered (the next
 * request tries the engine again). Least recently used entries go first.
 */
export const layer = (capacity = 256) =>
  Layer.effect(Ocr, Effect.gen(function*() {
    const engine = yield* Ocr
    const remembered = new Map<string, IdCardFields | LicenceFields>()
    const through = <A extends IdCardFields | LicenceFields>(kind: string, read: (image: Uint8Array) => Effect.Effect<A, OcrFailed>) =>
      (image: Uint8Array): Effect.Effect<A, OcrFailed> =>
        Effect.suspend(() => {
          const key = `${kind}:${hash("sha256", image, "hex")}`
          const known = remembered.get(key)
          if (known !== undefined) {
            remembered.delete(key)
            remembered.set(key, known)
            return Effect.succeed(known as A)
          }
          return Effect.tap(read(image), (fields) =>
            Effect.sync(() => {
              remembered.set(key, fields)
              if (remembered.size > capacity) remembered.delete(remembered.keys().next().value!)
            }))
        })
    return { readIdCard: through("id", engine.readIdCard), readLicence: through("licence", engine.readLicence) }
  }))
