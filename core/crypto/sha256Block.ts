/**
 * The SHA-256 block function (FIPS 180-4) shared by the general path
 * (sha256.ts) and the Merkle-node path (sha256Node.ts): round constants,
 * schedule expansion, compression into the state S, digest output.
 * Scratch state is module-level: hashing is synchronous, so calls never interleave.
 */
import { hexOfWords } from "./asciiText.ts"
import { instantiateSha256Wasm, ROUND_CONSTANTS, STATE_OFFSET, WORDS_OFFSET } from "./sha256Wasm.ts"
/** The round constants (FIPS 180-4 section 4.2.2). */
export const K = new Int32Array(ROUND_CONSTANTS)

const wasm = instantiateSha256Wasm()

// Scratch state shared by every call: hashing is synchronous, so calls never interleave.
// Views into the WebAssembly module's memory where it runs (the module reads and writes them there).
/** Message schedule: the block's 16 words in W[0..15]; the JavaScript path expands it with the round constants added, W[i] + K[i]. */
export const W = wasm === null ? new Int32Array(64) : new Int32Array(wasm.memory, WORDS_OFFSET, 64)
export const S = wasm === null ? new Int32Array(8) : new Int32Array(wasm.memory, STATE_OFFSET, 8)

export const init = () => {
  S[0] = 0x6a09e667; S[1] = 0xbb67ae85; S[2] = 0x3c6ef372; S[3] = 0xa54ff53a
  S[4] = 0x510e527f; S[5] = 0x9b05688c; S[6] = 0x1f83d9ab; S[7] = 0x5be0cd19
}

/** Expands the 16 words in w[o..o+15] to the full schedule and adds the round constants. */
export const expand = (w: Int32Array, o: number) => {
  for (let i = o + 16; i < o + 64; i++) {
    const x = w[i - 15]!
    const y = w[i - 2]!
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0
  }
  for (let i = 0; i < 64; i++) w[o + i] = (w[o + i]! + K[i]!) | 0
}

/** Compresses one block whose schedule plus constants is w[o..o+63] into S (eight rounds per pass, no register shuffling). */
export const compress = (w: Int32Array, o: number) => {
  let a = S[0]!, b = S[1]!, c = S[2]!, d = S[3]!, e = S[4]!, f = S[5]!, g = S[6]!, h = S[7]!
  for (let i = o; i < o + 64; i += 8) {
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + w[i]!) | 0
    d = (d + h) | 0
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + w[i + 1]!) | 0
    c = (c + g) | 0
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + w[i + 2]!) | 0
    b = (b + f) | 0
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + w[i + 3]!) | 0
    a = (a + e) | 0
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + w[i + 4]!) | 0
    h = (h + d) | 0
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + w[i + 5]!) | 0
    g = (g + c) | 0
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + w[i + 6]!) | 0
    f = (f + b) | 0
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + w[i + 7]!) | 0
    e = (e + a) | 0
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0
  }
  S[0] = (S[0]! + a) | 0; S[1] = (S[1]! + b) | 0; S[2] = (S[2]! + c) | 0; S[3] = (S[3]! + d) | 0
  S[4] = (S[4]! + e) | 0; S[5] = (S[5]! + f) | 0; S[6] = (S[6]! + g) | 0; S[7] = (S[7]! + h) | 0
}

/** Writes the state S as the 32-byte digest into `out`. */
export const writeDigest = (out: Uint8Array) => {
  for (let i = 0; i < 8; i++) {
    const s = S[i]!
    out[i * 4] = s >>> 24
    out[i * 4 + 1] = s >>> 16
    out[i * 4 + 2] = s >>> 8
    out[i * 4 + 3] = s
  }
  return out
}

/** The state S as the digest in lower-case hex (no bytes in between). */
export const digestHex = (): string => hexOfWords(S, 8)

/** The JavaScript block function: expands W[0..15] and compresses into S. */
export const jsBlock = () => {
  expand(W, 0)
  compress(W, 0)
}

/** Hashes the block whose 16 words are in W[0..15] into S: compiled WebAssembly (sha256Wasm.ts) where the runtime has it. */
export const block: () => void = wasm?.block ?? jsBlock

/** Which block function runs (benchmarks and tests name it). */
export const blockEngine: "wasm" | "js" = wasm === null ? "js" : "wasm"
