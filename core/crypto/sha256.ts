/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, tuned for the short inputs of a
 * Merkle log. A node hash is SHA-256(0x01 || left || right), 65 bytes: it has
 * a path of its own (`nodeHashInto`, sha256Node.ts) that reads the two child hashes straight
 * into the message schedule and writes the digest into a caller's buffer, with
 * no allocation. Its second block is the last byte of `right`, the padding and
 * the length: the schedule of that block (plus the round constants) is
 * precomputed for all 256 values of that byte, so a node hash costs one
 * schedule expansion and two unrolled compressions. For such inputs this beats
 * calling native code (node:crypto's createHash allocates a hash object per
 * call; WebCrypto is asynchronous), which is what makes the offline verifier
 * fast. Long inputs (documents) belong to the platform's native hash.
 */
import { S, W, block, digestHex, init, writeDigest } from "./sha256Block.ts"
import { nodeHashInto } from "./sha256Node.ts"

let buffer = new Uint8Array(256)
let bufferView = new DataView(buffer.buffer)

/** Grows the scratch buffer to hold `n` bytes plus padding, keeping its first `keep` bytes. */
const reserve = (n: number, keep: number) => {
  const padded = (n + 9 + 63) & ~63
  if (buffer.length < padded) {
    const bigger = new Uint8Array(padded)
    bigger.set(buffer.subarray(0, keep))
    buffer = bigger
    bufferView = new DataView(bigger.buffer)
  }
}

/**
 * Continues the hash in S over the first `length` bytes of the scratch buffer
 * (which reserve() sized) and pads it as the end of a message whose first
 * `before` bytes (whole blocks) are already in S.
 */
const continueBuffer = (length: number, before: number) => {
  const padded = (length + 9 + 63) & ~63
  buffer.fill(0, length, padded)
  buffer[length] = 0x80
  const bits = (length + before) * 8
  buffer[padded - 5] = bits / 2 ** 32
  buffer[padded - 4] = bits >>> 24
  buffer[padded - 3] = bits >>> 16
  buffer[padded - 2] = bits >>> 8
  buffer[padded - 1] = bits
  const view = bufferView
  for (let o = 0; o < padded; o += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getInt32(o + i * 4)
    block()
  }
}

/** SHA-256 of the first `length` bytes of the scratch buffer, into `out`. */
const hashBuffer = (length: number, out: Uint8Array): Uint8Array => {
  init()
  continueBuffer(length, 0)
  return writeDigest(out)
}

/** Copies `parts` into the scratch buffer from `at` on; returns the end. */
const gather = (parts: ReadonlyArray<Uint8Array>, at: number): number => {
  let length = at
  for (let i = 0; i < parts.length; i++) length += parts[i]!.length
  reserve(length, at)
  for (let i = 0; i < parts.length; i++) {
    buffer.set(parts[i]!, at)
    at += parts[i]!.length
  }
  return length
}

/** SHA-256 of the concatenation of `parts` (the `Sha256` shape the Merkle code takes). */
export const sha256 = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (parts.length === 3 && parts[0]!.length === 1 && parts[1]!.length === 32 && parts[2]!.length === 32) {
    return nodeHashInto(parts[0]![0]!, parts[1]!, parts[2]!, new Uint8Array(32))
  }
  return hashBuffer(gather(parts, 0), new Uint8Array(32))
}

const BLOCK = 64
const encoder = new TextEncoder()
/** The HMAC key as big-endian words, zero-padded to a block; then the inner hash's state. */
const KEY = new Int32Array(16)
const INNER = new Int32Array(8)

/** Loads `key` (hashed first when longer than a block, RFC 2104) into KEY. */
const loadKey = (key: Uint8Array) => {
  const k = key.length > BLOCK ? sha256(key) : key
  KEY.fill(0)
  for (let i = 0; i < k.length; i++) KEY[i >> 2] = KEY[i >> 2]! | (k[i]! << (24 - 8 * (i & 3)))
}

/** Starts a hash with the key block (key XOR pad) as its first block, word by word. */
const keyBlock = (pad: number) => {
  init()
  for (let i = 0; i < 16; i++) W[i] = KEY[i]! ^ pad
  block()
}

/** With the inner hash in S: H((K XOR opad) || inner) into S, its second block laid out as words (inner, padding, 768 bits). */
const outerHash = () => {
  INNER.set(S)
  keyBlock(0x5c5c5c5c)
  W.set(INNER)
  W[8] = 0x80000000 | 0
  W.fill(0, 9, 15)
  W[15] = (BLOCK + 32) * 8
  block()
}

/**
 * HMAC-SHA-256 (RFC 2104) of the concatenation of `parts` under `key`. The
 * evidence commitments use it per personal field; pure, it costs a few
 * microseconds where node:crypto's createHmac builds a KeyObject per call
 * (tens of microseconds). The key blocks and the outer block are built as
 * words; only the message passes through the scratch buffer.
 */
export const hmacSha256 = (key: Uint8Array, ...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  loadKey(key)
  const length = gather(parts, 0)
  keyBlock(0x36363636)
  continueBuffer(length, BLOCK)
  outerHash()
  return writeDigest(new Uint8Array(32))
}

/**
 * HMAC-SHA-256 of the UTF-8 bytes of `text`, in lower-case hex: a commitment
 * as an event writes it. The text is encoded straight into the scratch
 * buffer and the digest read out as hex: no bytes allocated.
 */
export const hmacSha256Utf8Hex = (key: Uint8Array, text: string): string => {
  loadKey(key)
  reserve(text.length * 3, 0)
  const length = encoder.encodeInto(text, buffer).written
  keyBlock(0x36363636)
  continueBuffer(length, BLOCK)
  outerHash()
  return digestHex()
}
