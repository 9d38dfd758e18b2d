import { Effect } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { toHex } from "../signing/pdf/bytes.ts"
import { OtpSecret } from "../ports/OtpSecret.ts"

const encoder = new TextEncoder()

// One hex encoder (effect's, bench/handwritten.bench.ts): sessions import it from here.
export { toHex }

/** HMAC of (purpose, mobile, code): binding the purpose in makes a code useless for anything else. */
export const hashCode = (purpose: string, mobile: string, code: string) =>
  Effect.gen(function*() {
    const crypto = yield* Crypto
    const { key } = yield* OtpSecret
    return toHex(crypto.hmacSha256(key, encoder.encode(`${purpose}\n${mobile}\n${code}`)))
  })
