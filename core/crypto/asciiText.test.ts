import { Base64, Hex } from "effect/encoding"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { base64, hexOfWords } from "./asciiText.ts"

describe("asciiText", () => {
  it("base64 equals effect's Base64.encode for every length, short and long", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => base64(bytes) === Base64.encode(bytes)), { numRuns: 2_000 })
    fc.assert(fc.property(fc.uint8Array({ minLength: 3_000, maxLength: 4_000 }), (bytes) => base64(bytes) === Base64.encode(bytes)), { numRuns: 20 })
    expect(base64(new TextEncoder().encode("foobar"))).toBe("Zm9vYmFy")
    expect(base64(new TextEncoder().encode("fo"))).toBe("Zm8=")
  })

  it("hexOfWords writes big-endian words as lower-case hex", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 16 }), (list) => {
      const words = Int32Array.from(list)
      const bytes = new Uint8Array(4 * words.length)
      const view = new DataView(bytes.buffer)
      words.forEach((w, i) => view.setInt32(4 * i, w))
      return hexOfWords(words, words.length) === Hex.encode(bytes)
    }), { numRuns: 1_000 })
    expect(hexOfWords(Int32Array.from([0x0badf00d, -1]), 1)).toBe("0badf00d")
  })
})
