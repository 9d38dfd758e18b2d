/**
 * The SHA-256 block function (FIPS 180-4) as a WebAssembly module, assembled
 * here at load time from the specification: no toolchain, no binary checked
 * in. One exported function, `block()`, reads the 16 message words at
 * memory[64..128) and the state at memory[0..32) (as i32 in the platform's
 * order, written through Int32Array views by sha256Block.ts), expands the
 * schedule and runs the 64 rounds fully unrolled with the working variables
 * in locals, and adds the result into the state. Compiled to machine code by
 * the runtime, a block costs a fraction of the JavaScript version: HMAC
 * commitments (four blocks each) are the bulk of an evidence event's hashing.
 * WebAssembly is part of every runtime core targets (Node, Deno, browsers).
 */

/** SHA-256 round constants (FIPS 180-4 section 4.2.2), shared with the JavaScript block function. */
export const ROUND_CONSTANTS: ReadonlyArray<number> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]

/** Where sha256Block.ts keeps the state and the message words in the module's memory. */
export const STATE_OFFSET = 0
export const WORDS_OFFSET = 64

// Opcodes (WebAssembly core specification 1.0, section 5.4).
const GET = 0x20, SET = 0x21, TEE = 0x22, LOAD = 0x28, STORE = 0x36, CONST = 0x41
const ADD = 0x6a, AND = 0x71, OR = 0x72, XOR = 0x73, SHR_U = 0x76, ROTR = 0x78, END = 0x0b

const uleb = (n: number): Array<number> => {
  const out: Array<number> = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}
const sleb = (n: number): Array<number> => {
  const out: Array<number> = []
  n |= 0
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte]
    out.push(byte | 0x80)
  }
}
const section = (id: number, content: ReadonlyArray<number>) => [id, ...uleb(content.length), ...content]
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))]

/** The body of `block`: locals 0-63 hold the schedule, 64-71 the working variables, 72-73 temporaries. */
const blockBody = (): Array<number> => {
  const code: Array<number> = []
  const get = (l: number) => code.push(GET, l)
  const rotr = (l: number, n: number) => {
    get(l)
    code.push(CONST, ...sleb(n), ROTR)
  }
  const shr = (l: number, n: number) => {
    get(l)
    code.push(CONST, ...sleb(n), SHR_U)
  }
  // w[0..15] from memory.
  for (let i = 0; i < 16; i++) code.push(CONST, 0, LOAD, 2, ...uleb(WORDS_OFFSET + 4 * i), SET, i)
  // w[i] = s1(w[i-2]) + w[i-7] + s0(w[i-15]) + w[i-16]
  for (let i = 16; i < 64; i++) {
    rotr(i - 2, 17); rotr(i - 2, 19); code.push(XOR); shr(i - 2, 10); code.push(XOR)
    get(i - 7); code.push(ADD)
    rotr(i - 15, 7); rotr(i - 15, 18); code.push(XOR); shr(i - 15, 3); code.push(XOR); code.push(ADD)
    get(i - 16); code.push(ADD, SET, i)
  }
  const T1 = 72, T2 = 73
  // v[0..7] = a..h: which local holds each working variable (renamed each round instead of moved).
  let v = [64, 65, 66, 67, 68, 69, 70, 71]
  for (let j = 0; j < 8; j++) code.push(CONST, 0, LOAD, 2, ...uleb(STATE_OFFSET + 4 * j), SET, v[j]!)
  for (let i = 0; i < 64; i++) {
    const [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number]
    // T1 = h + S1(e) + ch(e, f, g) + K[i] + w[i]
    get(h)
    rotr(e, 6); rotr(e, 11); code.push(XOR); rotr(e, 25); code.push(XOR, ADD)
    get(g); get(e); get(f); get(g); code.push(XOR, AND, XOR, ADD) // ch = g ^ (e & (f ^ g))
    code.push(CONST, ...sleb(ROUND_CONSTANTS[i]!), ADD)
    get(i); code.push(ADD, SET, T1)
    // T2 = S0(a) + maj(a, b, c)
    rotr(a, 2); rotr(a, 13); code.push(XOR); rotr(a, 22); code.push(XOR)
    get(a); get(b); code.push(AND); get(c); get(a); get(b); code.push(OR, AND, OR, ADD, SET, T2) // maj = (a & b) | (c & (a | b))
    // e' = d + T1 (into d's local), a' = T1 + T2 (into h's local); the rest shift by renaming.
    get(d); get(T1); code.push(ADD, SET, d)
    get(T1); get(T2); code.push(ADD, SET, h)
    v = [h, a, b, c, d, e, f, g]
  }
  for (let j = 0; j < 8; j++) {
    code.push(CONST, 0, CONST, 0, LOAD, 2, ...uleb(STATE_OFFSET + 4 * j))
    get(v[j]!)
    code.push(ADD, STORE, 2, ...uleb(STATE_OFFSET + 4 * j))
  }
  code.push(END)
  return code
}

/** The module's bytes (binary format 1.0): memory of one page, exported with `block`. */
export const sha256WasmBytes = (): Uint8Array<ArrayBuffer> => {
  const body = [1, ...uleb(74), 0x7f, ...blockBody()]
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]), // type 0: [] -> []
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0, 1]), // one memory, at least one page
    ...section(7, [2, ...name("block"), 0, 0, ...name("memory"), 2, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ])
}

/** The compiled block function and its memory, or null where WebAssembly is unavailable (the JavaScript block function serves). */
export const instantiateSha256Wasm = (): { readonly block: () => void; readonly memory: ArrayBuffer } | null => {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly
  if (wasm === undefined) return null
  try {
    const instance = new wasm.Instance(new wasm.Module(sha256WasmBytes()))
    const exports = instance.exports as { readonly block: () => void; readonly memory: WebAssembly.Memory }
    return { block: exports.block, memory: exports.memory.buffer }
  } catch {
    return null
  }
}
