import { createHash, createHmac } from "node:crypto"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { hmacSha256, hmacSha256Utf8Hex, sha256 } from "./sha256.ts"
import { S, W, block, blockEngine, jsBlock } from "./sha256Block.ts"
import { nodeHashInto } from "./sha256Node.ts"

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")
const ascii = (s: string) => new TextEncoder().encode(s)
const native = (...parts: ReadonlyArray<Uint8Array>) => {
  const h = createHash("sha256")
  for (const p of parts) h.update(p)
  return h.digest("hex")
}

describe("pure SHA-256", () => {
  it("gives the FIPS 180-4 example digests", () => {
    expect(hex(sha256(ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(hex(sha256())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(hex(sha256(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))))
      .toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  })

  it("agrees with node:crypto on every length around the block boundaries, split anywhere", () => {
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) & 0xff)
      const cut = Math.floor(n / 3)
      expect(hex(sha256(data.subarray(0, cut), data.subarray(cut))), `length ${n}`).toBe(native(data))
    }
  })

  it("the Merkle node path (one byte, two 32-byte hashes) equals the general one", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (p, l, r) => {
      const prefix = new Uint8Array([p])
      return hex(sha256(prefix, l, r)) === native(prefix, l, r)
    }), { numRuns: 500 })
  })

  it("nodeHashInto writes the node hash into the given buffer, even when that buffer is one of the children", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (p, l, r) => {
      const expected = native(new Uint8Array([p]), l, r)
      const out = new Uint8Array(32)
      const intoLeft = Uint8Array.from(l)
      const intoRight = Uint8Array.from(r)
      return nodeHashInto(p, l, r, out) === out && hex(out) === expected &&
        hex(nodeHashInto(p, intoLeft, r, intoLeft)) === expected && hex(nodeHashInto(p, l, intoRight, intoRight)) === expected
    }), { numRuns: 500 })
  })

  it("agrees with node:crypto on random inputs in random parts, calls interleaved with large ones", () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 5 }), (parts) => {
      sha256(new Uint8Array(5000))
      return hex(sha256(...parts)) === native(...parts)
    }), { numRuns: 300 })
  })

  it("HMAC-SHA-256 gives the RFC 4231 test case 2 and agrees with node:crypto for keys of any length", () => {
    expect(hex(hmacSha256(ascii("Jefe"), ascii("what do ya want "), ascii("for nothing?"))))
      .toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    fc.assert(fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 300 }), (key, data) =>
      hex(hmacSha256(key, data)) === createHmac("sha256", key).update(data).digest("hex")), { numRuns: 300 })
  })

  it("the WebAssembly block function (assembled in sha256Wasm.ts) runs here and equals the JavaScript one on any state and block", () => {
    expect(blockEngine).toBe("wasm")
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 24, maxLength: 24 }), (words) => {
      const run = (f: () => void) => {
        S.set(words.slice(0, 8))
        W.set(words.slice(8))
        f()
        return Array.from(S)
      }
      return JSON.stringify(run(block)) === JSON.stringify(run(jsBlock))
    }), { numRuns: 1_000 })
  })

  it("HMAC-SHA-256 of a text, in hex, equals the HMAC of its UTF-8 bytes (any text, lone surrogates included)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) })), (key, text) =>
      hmacSha256Utf8Hex(key, text) === createHmac("sha256", key).update(Buffer.from(text, "utf8")).digest("hex")), { numRuns: 500 })
  })
})
