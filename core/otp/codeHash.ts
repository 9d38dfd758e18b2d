import { Effect } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { OtpSecret } from "../ports/OtpSecret.ts"

const encoder = new TextEncoder()

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/** HMAC of (purpose, mobile, code): binding the purpose in makes a code useless for anything else. */
export const hashCode = (purpose: string, mobile: string, code: string) =>
  Effect.gen(function*() {
    const crypto = yield* Crypto
    const { key } = yield* OtpSecret
    return toHex(crypto.hmacSha256(key, encoder.encode(`${purpose}\n${mobile}\n${code}`)))
  })
