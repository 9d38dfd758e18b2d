/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, tuned for the short inputs of a
 * Merkle log. A node hash is SHA-256(0x01 || left || right), 65 bytes: it has
 * a path of its own that reads the two child hashes straight into the message
 * schedule, without copying. For such inputs this beats calling native code
 * (node:crypto's createHash allocates a hash object per call; WebCrypto is
 * asynchronous), which is what makes the offline verifier fast. Long inputs
 * (documents) belong to the platform's native hash.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

// Scratch state shared by every call: hashing is synchronous, so calls never interleave.
const W = new Int32Array(64)
const S = new Int32Array(8)
let buffer = new Uint8Array(256)

const init = () => {
  S[0] = 0x6a09e667; S[1] = 0xbb67ae85; S[2] = 0x3c6ef372; S[3] = 0xa54ff53a
  S[4] = 0x510e527f; S[5] = 0x9b05688c; S[6] = 0x1f83d9ab; S[7] = 0x5be0cd19
}

/** Compresses the block whose 16 words are in W[0..15] into S. */
const rounds = () => {
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!
    const y = W[i - 2]!
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0
  }
  let a = S[0]!, b = S[1]!, c = S[2]!, d = S[3]!, e = S[4]!, f = S[5]!, g = S[6]!, h = S[7]!
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  S[0] = (S[0]! + a) | 0; S[1] = (S[1]! + b) | 0; S[2] = (S[2]! + c) | 0; S[3] = (S[3]! + d) | 0
  S[4] = (S[4]! + e) | 0; S[5] = (S[5]! + f) | 0; S[6] = (S[6]! + g) | 0; S[7] = (S[7]! + h) | 0
}

const digest = (): Uint8Array => {
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const s = S[i]!
    out[i * 4] = s >>> 24
    out[i * 4 + 1] = s >>> 16
    out[i * 4 + 2] = s >>> 8
    out[i * 4 + 3] = s
  }
  return out
}

/** SHA-256(prefix || left || right) for one prefix byte and two 32-byte hashes: 65 bytes, two blocks. */
const pair = (prefix: number, l: Uint8Array, r: Uint8Array): Uint8Array => {
  init()
  W[0] = (prefix << 24) | (l[0]! << 16) | (l[1]! << 8) | l[2]!
  for (let i = 1; i < 8; i++) {
    const o = i * 4 - 1
    W[i] = (l[o]! << 24) | (l[o + 1]! << 16) | (l[o + 2]! << 8) | l[o + 3]!
  }
  W[8] = (l[31]! << 24) | (r[0]! << 16) | (r[1]! << 8) | r[2]!
  for (let i = 9; i < 16; i++) {
    const o = i * 4 - 33
    W[i] = (r[o]! << 24) | (r[o + 1]! << 16) | (r[o + 2]! << 8) | r[o + 3]!
  }
  rounds()
  // Second block: the last byte, the 0x80 terminator, zeros, the length (65 bytes = 520 bits).
  W[0] = (r[31]! << 24) | 0x800000
  W.fill(0, 1, 15)
  W[15] = 520
  rounds()
  return digest()
}

/** SHA-256 of the concatenation of `parts` (the `Sha256` shape the Merkle code takes). */
export const sha256 = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (parts.length === 3 && parts[0]!.length === 1 && parts[1]!.length === 32 && parts[2]!.length === 32) {
    return pair(parts[0]![0]!, parts[1]!, parts[2]!)
  }
  let length = 0
  for (const p of parts) length += p.length
  const padded = (length + 9 + 63) & ~63
  if (buffer.length < padded) buffer = new Uint8Array(padded)
  let at = 0
  for (const p of parts) {
    buffer.set(p, at)
    at += p.length
  }
  buffer.fill(0, length, padded)
  buffer[length] = 0x80
  const bits = length * 8
  buffer[padded - 5] = bits / 2 ** 32
  buffer[padded - 4] = bits >>> 24
  buffer[padded - 3] = bits >>> 16
  buffer[padded - 2] = bits >>> 8
  buffer[padded - 1] = bits
  init()
  for (let o = 0; o < padded; o += 64) {
    for (let i = 0; i < 16; i++) {
      const b = o + i * 4
      W[i] = (buffer[b]! << 24) | (buffer[b + 1]! << 16) | (buffer[b + 2]! << 8) | buffer[b + 3]!
    }
    rounds()
  }
  return digest()
}

const BLOCK = 64

/**
 * HMAC-SHA-256 (RFC 2104) of the concatenation of `parts` under `key`. The
 * evidence commitments use it per personal field; pure, it costs a few
 * microseconds where node:crypto's createHmac builds a KeyObject per call
 * (tens of microseconds).
 */
export const hmacSha256 = (key: Uint8Array, ...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const k = key.length > BLOCK ? sha256(key) : key
  const inner = new Uint8Array(BLOCK)
  const outer = new Uint8Array(BLOCK)
  for (let i = 0; i < BLOCK; i++) {
    const b = k[i] ?? 0
    inner[i] = b ^ 0x36
    outer[i] = b ^ 0x5c
  }
  return sha256(outer, sha256(inner, ...parts))
}
