import { Schema } from "effect"
import { OtpId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { Millis } from "../kernel/Millis.ts"

/**
 * What a code confirms. A code is bound to one purpose, so a code sent to
 * register never confirms a log-in or a contract signature. Purposes that act
 * on one object name it: `sign:1248849947504173056`.
 */
export const OtpPurpose = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[a-z][a-z-]{1,30}(:[0-9A-Za-z-]{1,40})?$/, { message: "purpose.invalid" })),
)
export type OtpPurpose = typeof OtpPurpose.Type

export const OtpCode = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{6}$/, { message: "code.format" })))

/** One code sent to one number for one purpose. Only an HMAC of the code is kept. */
export class OtpChallenge extends Schema.Class<OtpChallenge>("OtpChallenge")({
  id: OtpId,
  mobile: Mobile,
  purpose: OtpPurpose,
  codeHash: Schema.String,
  createdAt: Millis,
  expiresAt: Millis,
  /** Tries made on this code, counted before each is compared (so the one that was right is counted too). */
  failedAttempts: Schema.Number,
  consumedAt: Schema.NullOr(Millis),
}) {}

/**
 * A5: how long a code lives, how often and how many may be sent, how many
 * wrong tries: five per code, and ten per number in an hour whatever the
 * purpose (then every try is refused, even with the right code, for an hour
 * from the tenth).
 */
export const OtpPolicy = {
  ttlMs: 5 * 60_000,
  resendIntervalMs: 60_000,
  dailyLimit: 10,
  dayMs: 24 * 60 * 60_000,
  maxFailedAttempts: 5,
  maxFailuresPerMobile: 10,
  mobileWindowMs: 60 * 60_000,
} as const

/** The shared counters (core/ports/LimitCounters) the code rules keep per number, and their rules. */
export const otpCounters = {
  failures: (mobile: string) => `otp-fail:${mobile}`,
  failureRule: { limit: OtpPolicy.maxFailuresPerMobile, windowMs: OtpPolicy.mobileWindowMs },
  send: (mobile: string) => `otp-send:${mobile}`,
  sendRule: { limit: 1, windowMs: OtpPolicy.resendIntervalMs },
}
