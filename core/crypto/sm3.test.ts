import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { sm3 } from "./sm3.ts"

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")
const ascii = (s: string) => new TextEncoder().encode(s)

describe("SM3 (GB/T 32905-2016)", () => {
  it("gives the standard's two example digests", () => {
    // Appendix A.1 and A.2 of the standard.
    expect(hex(sm3(ascii("abc")))).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    expect(hex(sm3(ascii("abcd".repeat(16))))).toBe("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
  })

  it("agrees with OpenSSL's SM3 on every length around the block and padding boundaries", () => {
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff)
      expect(hex(sm3(data)), `length ${n}`).toBe(createHash("sm3").update(data).digest("hex"))
    }
  })

  it("agrees with OpenSSL's SM3 on random inputs", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => hex(sm3(data)) === createHash("sm3").update(data).digest("hex")), { numRuns: 300 })
  })
})
