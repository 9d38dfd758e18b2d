/**
 * TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 30-second steps, 6 digits,
 * the codes authenticator apps show. Pure: the HMAC comes from the caller's
 * Crypto service, the time from the caller.
 */
import type { CryptoShape } from "../ports/Crypto.ts"
import { base32 } from "../crypto/base32.ts"

export const TOTP_STEP_SECONDS = 30
export const TOTP_DIGITS = 6
/** Codes of one step before or after the server's are accepted (clock drift, a code typed at a step's end). */
export const TOTP_SKEW_STEPS = 1
/** 160-bit secrets, the size RFC 4226 recommends for HMAC-SHA-1. */
export const TOTP_SECRET_BYTES = 20

/** The step a time (epoch ms) falls in. */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS)

/** The code of `step` (RFC 4226 dynamic truncation to 6 digits). */
export const totpCode = (crypto: Pick<CryptoShape, "hmacSha1">, secret: Uint8Array, step: number): string => {
  const counter = new Uint8Array(8)
  const view = new DataView(counter.buffer)
  view.setUint32(0, Math.floor(step / 2 ** 32))
  view.setUint32(4, step >>> 0)
  const mac = crypto.hmacSha1(secret, counter)
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, "0")
}

/**
 * The step whose code `code` is, among the steps around `nowMs` (±1) that
 * are later than `lastUsedStep` (a code used once is never accepted again,
 * nor any older one); undefined when none matches.
 */
export const matchTotp = (
  crypto: Pick<CryptoShape, "hmacSha1" | "timingSafeEqual">,
  secret: Uint8Array,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): number | undefined => {
  if (!/^\d{6}$/.test(code)) return undefined
  const given = new TextEncoder().encode(code)
  const now = totpStep(nowMs)
  let found: number | undefined
  // Every candidate is computed and compared, so the time taken says nothing about which one matched.
  for (let step = now - TOTP_SKEW_STEPS; step <= now + TOTP_SKEW_STEPS; step++) {
    const equal = crypto.timingSafeEqual(new TextEncoder().encode(totpCode(crypto, secret, step)), given)
    if (equal && (lastUsedStep === null || step > lastUsedStep) && found === undefined) found = step
  }
  return found
}

/** The otpauth:// URI authenticator apps enrol from (Key Uri Format), issuer "Signet 运营后台". */
export const otpauthUri = (secret: Uint8Array, username: string, issuer = "Signet 运营后台"): string => {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(username)}`
  const params = `secret=${base32(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_STEP_SECONDS}`
  return `otpauth://totp/${label}?${params}`
}
