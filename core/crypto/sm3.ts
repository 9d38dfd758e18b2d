/**
 * SM3 (GB/T 32905-2016), the Chinese national hash standard, in plain
 * TypeScript: 256-bit digests, Merkle–Damgård over 512-bit blocks with the
 * same padding as SHA-256. Pure so that the offline verifier can check a
 * document's SM3 digest anywhere (Node, Deno, a browser); the Node adapter of
 * the Hash port uses OpenSSL's SM3 for speed and is tested against this one.
 */

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e]

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n))
const p0 = (x: number) => x ^ rotl(x, 9) ^ rotl(x, 17)
const p1 = (x: number) => x ^ rotl(x, 15) ^ rotl(x, 23)

/** T_j <<< (j mod 32), precomputed for the 64 rounds. */
const TJ = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32) | 0)

const compress = (v: Int32Array, w: Int32Array, block: Uint8Array, at: number) => {
  for (let i = 0; i < 16; i++) {
    const o = at + i * 4
    w[i] = (block[o]! << 24) | (block[o + 1]! << 16) | (block[o + 2]! << 8) | block[o + 3]!
  }
  for (let j = 16; j < 68; j++) {
    w[j] = p1(w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!
  }
  let a = v[0]!, b = v[1]!, c = v[2]!, d = v[3]!, e = v[4]!, f = v[5]!, g = v[6]!, h = v[7]!
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12)
    const ss1 = rotl((a12 + e + TJ[j]!) | 0, 7)
    const ss2 = ss1 ^ a12
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c)
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g)
    const tt1 = (ff + d + ss2 + (w[j]! ^ w[j + 4]!)) | 0
    const tt2 = (gg + h + ss1 + w[j]!) | 0
    d = c
    c = rotl(b, 9)
    b = a
    a = tt1
    h = g
    g = rotl(f, 19)
    f = e
    e = p0(tt2)
  }
  v[0]! ^= a; v[1]! ^= b; v[2]! ^= c; v[3]! ^= d; v[4]! ^= e; v[5]! ^= f; v[6]! ^= g; v[7]! ^= h
}

/** SM3 digest (32 bytes) of `data`. */
export const sm3 = (data: Uint8Array): Uint8Array => {
  const v = Int32Array.from(IV)
  const w = new Int32Array(68)
  const full = data.length - (data.length % 64)
  for (let at = 0; at < full; at += 64) compress(v, w, data, at)
  // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian integer.
  const rest = data.length - full
  const tail = new Uint8Array(rest < 56 ? 64 : 128)
  tail.set(data.subarray(full))
  tail[rest] = 0x80
  const bits = data.length * 8
  const view = new DataView(tail.buffer)
  view.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32))
  view.setUint32(tail.length - 4, bits >>> 0)
  for (let at = 0; at < tail.length; at += 64) compress(v, w, tail, at)
  const out = new Uint8Array(32)
  const outView = new DataView(out.buffer)
  for (let i = 0; i < 8; i++) outView.setInt32(i * 4, v[i]!)
  return out
}
