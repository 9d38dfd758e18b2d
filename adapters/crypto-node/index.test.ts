import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Effect } from "effect"
import { sha256 as pureSha256 } from "../../core/crypto/sha256.ts"
import { Crypto } from "../../core/ports/Crypto.ts"
import { layer } from "./index.ts"

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")
const crypto = Effect.runSync(Effect.provide(Effect.service(Crypto), layer))

describe("Crypto on node:crypto", () => {
  it("hashes a text's UTF-8 bytes (to hex and to bytes) exactly as SHA-256 of TextEncoder's bytes (lone surrogates included)", () => {
    expect(crypto.sha256TextHex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) })), (text) => {
      const bytes = new TextEncoder().encode(text)
      const leaf = hex(pureSha256(new Uint8Array([0]), bytes))
      return crypto.sha256TextHex(text) === hex(pureSha256(bytes)) && crypto.sha256TextHex(`\u0000${text}`) === leaf && hex(crypto.sha256Text(`\u0000${text}`)) === leaf
    }), { numRuns: 500 })
  })
})
