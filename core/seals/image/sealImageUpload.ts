/**
 * E5/E6 uploaded images: a photo or scan of a seal impression, or a
 * handwritten signature (uploaded or drawn on the page), becomes a trimmed
 * PNG with a transparent background. The file is judged by its content
 * (magic bytes), its size and its pixel dimensions before anything is
 * decoded; white and near-white paper turns transparent with soft edges
 * ("colour to alpha" against white, so no white halo is left around the ink).
 */
import { Effect, Result } from "effect"
import { decode as decodeJpeg } from "jpeg-js"
import { sniff } from "../../verification/fileSniff.ts"
import { decodePng, encodePng, type Rgba } from "./sealImagePng.ts"
import { SealImageRejected } from "../sealsErrors.ts"
import { untrusted, workRefusedMessage } from "../../ports/UntrustedWork.ts"

export const IMAGE_LIMITS = {
  /** A seal scan or a signature photo needs no more. */
  maxBytes: 5 * 1024 * 1024,
  minSide: 24,
  maxSide: 6000,
  /** A 12-megapixel phone photo fits; decoding takes four bytes a pixel, several times over. */
  maxPixels: 16_000_000,
} as const

/** Ink darker than this (distance below white of the darkest channel) is fully opaque; lighter fades out. */
const OPAQUE_AT = 110
/** Paper lighter than this is fully transparent (scans are rarely pure white). */
const CLEAR_AT = 40

const reject = (reason: SealImageRejected["reason"], detail: string) => new SealImageRejected({ reason, detail })

/** Decodes a PNG or JPEG after checking its size, type by content and dimensions. */
export const decodeUpload = (bytes: Uint8Array): Effect.Effect<Rgba, SealImageRejected> => {
  if (bytes.length === 0) return Effect.fail(reject("empty", "no bytes"))
  if (bytes.length > IMAGE_LIMITS.maxBytes) return Effect.fail(reject("tooLarge", `${bytes.length} bytes`))
  const found = sniff(bytes)
  if (found === null || (found.mediaType !== "image/png" && found.mediaType !== "image/jpeg")) {
    return Effect.fail(reject("type", found?.mediaType ?? "unknown"))
  }
  const { width, height } = found
  if (
    width === null || height === null || Math.min(width, height) < IMAGE_LIMITS.minSide ||
    Math.max(width, height) > IMAGE_LIMITS.maxSide || width * height > IMAGE_LIMITS.maxPixels
  ) return Effect.fail(reject("dimensions", `${width ?? "?"}x${height ?? "?"}`))
  if (found.mediaType === "image/png") {
    const r = decodePng(bytes, IMAGE_LIMITS.maxPixels)
    return Result.isSuccess(r) ? Effect.succeed(r.success) : Effect.fail(reject("corrupt", r.failure.reason))
  }
  return Effect.try({
    try: (): Rgba => {
      const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: IMAGE_LIMITS.maxPixels / 1e6, maxMemoryUsageInMB: 256 })
      return { width: img.width, height: img.height, data: img.data }
    },
    catch: (e) => reject("corrupt", e instanceof Error ? e.message : String(e)),
  })
}

/**
 * White paper to transparency: each pixel's opacity follows how far its
 * darkest channel is below white, and its colour is un-mixed from white so
 * the ink keeps its own colour at the soft edge. Existing transparency is kept.
 */
/** Observed = a * colour + (1 - a) * white, solved for colour (a top-level function: no closure made per pixel). */
const unmix = (c: number, ink: number) => Math.max(0, Math.min(255, Math.round(255 - (255 - c) / ink)))

export const whiteToAlpha = (img: Rgba): Rgba => {
  const out = new Uint8Array(img.data.length)
  for (let i = 0; i < img.data.length; i += 4) {
    const r = img.data[i]!, g = img.data[i + 1]!, b = img.data[i + 2]!, a0 = img.data[i + 3]!
    const depth = 255 - Math.min(r, g, b)
    const ink = depth <= CLEAR_AT ? 0 : depth >= OPAQUE_AT ? 1 : (depth - CLEAR_AT) / (OPAQUE_AT - CLEAR_AT)
    const a = ink * (a0 / 255)
    if (a <= 0) continue
    out[i] = unmix(r, ink)
    out[i + 1] = unmix(g, ink)
    out[i + 2] = unmix(b, ink)
    out[i + 3] = Math.round(a * 255)
  }
  return { width: img.width, height: img.height, data: out }
}

/** Cuts away transparent borders, keeping `margin` pixels; null when nothing visible is left. */
export const trim = (img: Rgba, margin = 2, threshold = 8): Rgba | null => {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[(y * img.width + x) * 4 + 3]! > threshold) {
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
    }
  }
  if (x1 < 0) return null
  x0 = Math.max(0, x0 - margin)
  y0 = Math.max(0, y0 - margin)
  x1 = Math.min(img.width - 1, x1 + margin)
  y1 = Math.min(img.height - 1, y1 + margin)
  const width = x1 - x0 + 1, height = y1 - y0 + 1
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    data.set(img.data.subarray(((y0 + y) * img.width + x0) * 4, ((y0 + y) * img.width + x1 + 1) * 4), y * width * 4)
  }
  return { width, height, data }
}

/** Scales down (never up) so neither side exceeds `maxSide`, averaging areas with alpha-weighted colour. */
export const fitWithin = (img: Rgba, maxSide: number): Rgba => {
  const f = Math.max(img.width, img.height) / maxSide
  if (f <= 1) return img
  const width = Math.max(1, Math.round(img.width / f)), height = Math.max(1, Math.round(img.height / f))
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor((y * img.height) / height), sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * img.height) / height))
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor((x * img.width) / width), sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * img.width) / width))
      let r = 0, g = 0, b = 0, a = 0, n = 0
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const i = (sy * img.width + sx) * 4
          const w = img.data[i + 3]!
          r += img.data[i]! * w
          g += img.data[i + 1]! * w
          b += img.data[i + 2]! * w
          a += w
          n++
        }
      }
      const o = (y * width + x) * 4
      if (a > 0) data.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round(a / n)], o)
    }
  }
  return { width, height, data }
}

/**
 * An uploaded seal or signature, ready to store and to draw: decoded,
 * background made transparent, trimmed to the ink, at most `maxSide` pixels.
 */
export const cleanUploadedImage = (bytes: Uint8Array, maxSide: number) =>
  Effect.gen(function*() {
    const decoded = yield* decodeUpload(bytes)
    const trimmed = trim(whiteToAlpha(decoded))
    if (trimmed === null) return yield* reject("blank", "no ink found")
    const fitted = fitWithin(trimmed, maxSide)
    return { png: encodePng(fitted), width: fitted.width, height: fitted.height }
  })

/** `cleanUploadedImage` through `UntrustedWork` (a worker of the pool in the apps): what the seal and signature use cases call. */
export const cleanUntrustedImage = (bytes: Uint8Array, maxSide: number) =>
  untrusted("image.clean", { bytes, maxSide }).pipe(
    Effect.mapError((e) => reject(e.reason === "busy" ? "busy" : "corrupt", workRefusedMessage(e))),
    Effect.flatMap((r) => r.ok ? Effect.succeed({ png: r.png, width: r.width, height: r.height }) : Effect.fail(reject(r.rejected, r.detail))),
  )
