import { Effect } from "effect"
import { Hex } from "effect/encoding"
import { ApiSecret } from "../ports/ApiSecret.ts"
import { Crypto } from "../ports/Crypto.ts"

const utf8 = (s: string) => new TextEncoder().encode(s)
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16))

/** The secret of an API key (`sk_…`) or webhook endpoint (`whsec_…`), from its id and salt. */
export const deriveSecret = (kind: "api" | "webhook", id: string, saltHex: string) =>
  Effect.gen(function*() {
    const crypto = yield* Crypto
    const { key } = yield* ApiSecret
    const mac = crypto.hmacSha256(key, utf8(`signet/${kind}/v1`), new Uint8Array([0]), utf8(id), new Uint8Array([0]), hexBytes(saltHex))
    return `${kind === "api" ? "sk_" : "whsec_"}${Hex.encode(mac)}`
  })

export const sha256Hex = (text: string | Uint8Array) =>
  Crypto.use((c) => Effect.succeed(Hex.encode(c.sha256(typeof text === "string" ? utf8(text) : text))))

export const hmacHex = (secret: string, text: string | Uint8Array) =>
  Crypto.use((c) => Effect.succeed(Hex.encode(c.hmacSha256(utf8(secret), typeof text === "string" ? utf8(text) : text))))
