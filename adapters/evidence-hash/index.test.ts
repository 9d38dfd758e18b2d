import { describe, expect, it } from "vitest"
import { Effect, type Layer } from "effect"
import { Hash } from "../../core/ports/Hash.ts"
import { layer, layerPure } from "./index.ts"

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")
const abc = new TextEncoder().encode("abc")

describe.each([["OpenSSL", layer], ["pure", layerPure]] as const)("Hash port (%s)", (_, hashLayer: Layer.Layer<Hash>) => {
  it("gives the standard digests of \"abc\"", () => {
    const { sha256, sm3 } = Effect.runSync(Effect.service(Hash).pipe(Effect.provide(hashLayer)))
    expect(hex(sha256(abc))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(hex(sm3(abc))).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
  })
})
