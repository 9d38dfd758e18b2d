import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { layer } from "../../adapters/crypto-node/index.ts"
import { base32 } from "../crypto/base32.ts"
import { matchTotp, otpauthUri, totpCode, totpStep } from "./totp.ts"

const crypto = Effect.runSync(Effect.provide(Effect.service(Crypto), layer))
const rfcSecret = new TextEncoder().encode("12345678901234567890")

describe("TOTP (RFC 6238, HMAC-SHA-1, 30 s, 6 digits)", () => {
  it("gives the RFC 6238 appendix B codes (their last 6 digits)", () => {
    const vectors: Array<[number, string]> = [
      [59, "94287082"], [1111111109, "07081804"], [1111111111, "14050471"], [1234567890, "89005924"], [2000000000, "69279037"], [20000000000, "65353130"],
    ]
    for (const [seconds, eight] of vectors) expect(totpCode(crypto, rfcSecret, totpStep(seconds * 1000))).toBe(eight.slice(2))
  })

  it("accepts the codes of one step either side, not two, and never a step at or before the last used one", () => {
    const now = 1_800_000_015_000
    const step = totpStep(now)
    const code = (s: number) => totpCode(crypto, rfcSecret, s)
    expect(matchTotp(crypto, rfcSecret, code(step), now, null)).toBe(step)
    expect(matchTotp(crypto, rfcSecret, code(step - 1), now, null)).toBe(step - 1)
    expect(matchTotp(crypto, rfcSecret, code(step + 1), now, null)).toBe(step + 1)
    expect(matchTotp(crypto, rfcSecret, code(step - 2), now, null)).toBeUndefined()
    expect(matchTotp(crypto, rfcSecret, code(step + 2), now, null)).toBeUndefined()
    // Replay: the used step, and anything older, is refused.
    expect(matchTotp(crypto, rfcSecret, code(step), now, step)).toBeUndefined()
    expect(matchTotp(crypto, rfcSecret, code(step - 1), now, step)).toBeUndefined()
    expect(matchTotp(crypto, rfcSecret, code(step + 1), now, step)).toBe(step + 1)
    for (const bad of ["", "12345", "1234567", "abcdef", " 12345"]) expect(matchTotp(crypto, rfcSecret, bad, now, null)).toBeUndefined()
  })

  it("writes secrets in RFC 4648 base32 inside an otpauth:// URI", () => {
    expect(base32(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI")
    expect(base32(rfcSecret)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    expect(otpauthUri(rfcSecret, "reviewer")).toBe(
      "otpauth://totp/Signet%20%E8%BF%90%E8%90%A5%E5%90%8E%E5%8F%B0:reviewer?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Signet%20%E8%BF%90%E8%90%A5%E5%90%8E%E5%8F%B0&algorithm=SHA1&digits=6&period=30",
    )
  })
})
