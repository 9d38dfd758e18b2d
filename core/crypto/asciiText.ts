/**
 * Short ASCII text (hex digests, base64 salts) written as character codes
 * into a scratch array and turned into a string by one call. Built character
 * by character with `+=`, each such string leaves a chain of intermediate
 * strings behind, and the evidence log writes several per event: measured,
 * the garbage of two salts in base64 was a quarter of all an event allocated.
 */
import { Base64 } from "effect/encoding"

const codes = (alphabet: string) => Array.from(alphabet, (c) => c.charCodeAt(0))
const HEX = codes("0123456789abcdef")
const BASE64 = codes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
const PAD = 0x3d
/** Inputs up to this many bytes go through the scratch array (it stays far below any argument-count limit). */
const SHORT = 3 * 1024

const scratch: Array<number> = []
const fromScratch = (length: number): string => {
  scratch.length = length
  return String.fromCharCode.apply(null, scratch)
}

/** The first `count` words of `words` as big-endian bytes in lower-case hex. */
export const hexOfWords = (words: Int32Array, count: number): string => {
  let j = 0
  for (let i = 0; i < count; i++) {
    const w = words[i]!
    for (let shift = 28; shift >= 0; shift -= 4) scratch[j++] = HEX[(w >>> shift) & 15]!
  }
  return fromScratch(j)
}

/** Base64 (RFC 4648 section 4, padded): equal to effect's `Base64.encode`, which long inputs still go to. */
export const base64 = (bytes: Uint8Array): string => {
  const n = bytes.length
  if (n > SHORT) return Base64.encode(bytes)
  let j = 0
  let i = 2
  for (; i < n; i += 3) {
    const x = (bytes[i - 2]! << 16) | (bytes[i - 1]! << 8) | bytes[i]!
    scratch[j++] = BASE64[x >>> 18]!
    scratch[j++] = BASE64[(x >>> 12) & 63]!
    scratch[j++] = BASE64[(x >>> 6) & 63]!
    scratch[j++] = BASE64[x & 63]!
  }
  if (i === n + 1) {
    const x = bytes[i - 2]! << 16
    scratch[j++] = BASE64[x >>> 18]!
    scratch[j++] = BASE64[(x >>> 12) & 63]!
    scratch[j++] = PAD
    scratch[j++] = PAD
  } else if (i === n) {
    const x = (bytes[i - 2]! << 16) | (bytes[i - 1]! << 8)
    scratch[j++] = BASE64[x >>> 18]!
    scratch[j++] = BASE64[(x >>> 12) & 63]!
    scratch[j++] = BASE64[(x >>> 6) & 63]!
    scratch[j++] = PAD
  }
  return fromScratch(j)
}
