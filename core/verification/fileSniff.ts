import { Result } from "effect"
import { isPdf, startsWithBytes as startsWith } from "../kernel/bytes.ts"
import { allowedMediaTypes, MAX_UPLOAD_BYTES, type MediaType, type UploadKind } from "./Upload.ts"
import { UploadEmpty, UploadImageSize, UploadTooLarge, UploadTypeNotAllowed, type UploadError } from "./VerificationErrors.ts"

export interface Sniffed {
  readonly mediaType: MediaType
  readonly width: number | null
  readonly height: number | null
}

const u16 = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)
const u32 = (b: Uint8Array, i: number) => u16(b, i) * 65536 + u16(b, i + 2)

/** Width and height from a JPEG's first start-of-frame segment (SOF0-SOF15 except DHT/JPG/DAC). */
const jpegSize = (b: Uint8Array): { width: number; height: number } | null => {
  let i = 2
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null
    const marker = b[i + 1]!
    if (marker === 0xff) { i += 1; continue }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue }
    const length = u16(b, i + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16(b, i + 5), width: u16(b, i + 7) }
    }
    if (length < 2) return null
    i += 2 + length
  }
  return null
}

/**
 * What a file really is, from its first bytes (never from its name or the
 * browser's content type): JPEG, PNG (with their pixel sizes) or PDF.
 */
export const sniff = (b: Uint8Array): Sniffed | null => {
  if (startsWith(b, [0xff, 0xd8, 0xff])) {
    const size = jpegSize(b)
    return { mediaType: "image/jpeg", width: size?.width ?? null, height: size?.height ?? null }
  }
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && b.length >= 24) {
    return { mediaType: "image/png", width: u32(b, 16), height: u32(b, 20) }
  }
  if (isPdf(b)) return { mediaType: "application/pdf", width: null, height: null }
  return null
}

/** A photo smaller than this cannot show a readable card; larger is a decompression bomb, not a phone photo. */
export const IMAGE_LIMITS = { minSide: 200, maxSide: 12_000, maxPixels: 50_000_000 } as const

/** Checks an upload's type (by magic bytes), size (10 MB) and image dimensions for its purpose. */
export const checkUpload = (kind: UploadKind, bytes: Uint8Array): Result.Result<Sniffed, UploadError> => {
  if (bytes.length === 0) return Result.fail(new UploadEmpty())
  if (bytes.length > MAX_UPLOAD_BYTES) return Result.fail(new UploadTooLarge({ size: bytes.length, limit: MAX_UPLOAD_BYTES }))
  const allowed = allowedMediaTypes[kind]
  const found = sniff(bytes)
  if (found === null || !allowed.includes(found.mediaType)) {
    return Result.fail(new UploadTypeNotAllowed({ kind, found: found?.mediaType ?? "unknown" }))
  }
  if (found.mediaType !== "application/pdf") {
    const { width, height } = found
    if (
      width === null || height === null || Math.min(width, height) < IMAGE_LIMITS.minSide ||
      Math.max(width, height) > IMAGE_LIMITS.maxSide || width * height > IMAGE_LIMITS.maxPixels
    ) return Result.fail(new UploadImageSize({ width: width ?? 0, height: height ?? 0 }))
  }
  return Result.succeed(found)
}
