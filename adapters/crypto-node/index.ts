import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { Effect, Layer } from "effect"
import { Crypto } from "../../core/ports/Crypto.ts"

/** `Crypto` on `node:crypto`. */
export const layer = Layer.succeed(Crypto, {
  sha256: (...parts) => {
    const h = createHash("sha256")
    for (const p of parts) h.update(p)
    return new Uint8Array(h.digest())
  },
  hmacSha256: (key, ...parts) => {
    const h = createHmac("sha256", key)
    for (const p of parts) h.update(p)
    return new Uint8Array(h.digest())
  },
  timingSafeEqual: (a, b) => a.length === b.length && timingSafeEqual(a, b),
  randomBytes: (length) => Effect.sync(() => new Uint8Array(randomBytes(length))),
})
