import { Result } from "effect"
import { OtpPolicy, type OtpChallenge } from "./Otp.ts"
import { OtpDailyLimitReached, OtpExpired, OtpLocked, OtpNotRequested, OtpSendTooSoon } from "./OtpErrors.ts"

/**
 * May another code go to a number that was sent codes at `sentAt`? At most one
 * per 60 s and ten per rolling 24 hours.
 */
export const checkSend = (
  sentAt: ReadonlyArray<number>,
  now: number,
): Result.Result<void, OtpSendTooSoon | OtpDailyLimitReached> => {
  const inDay = sentAt.filter((t) => t > now - OtpPolicy.dayMs)
  const last = inDay.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)
  const wait = last + OtpPolicy.resendIntervalMs - now
  if (wait > 0) return Result.fail(new OtpSendTooSoon({ retryAfterSeconds: Math.ceil(wait / 1000) }))
  if (inDay.length >= OtpPolicy.dailyLimit) return Result.fail(new OtpDailyLimitReached())
  return Result.void
}

/** Can this challenge still be answered at `now`? (Whether the code matches is checked after.) */
export const checkAnswerable = (
  challenge: OtpChallenge,
  now: number,
): Result.Result<void, OtpNotRequested | OtpExpired | OtpLocked> => {
  if (challenge.consumedAt !== null) return Result.fail(new OtpNotRequested())
  if (challenge.failedAttempts >= OtpPolicy.maxFailedAttempts) return Result.fail(new OtpLocked())
  if (now >= challenge.expiresAt) return Result.fail(new OtpExpired())
  return Result.void
}

/**
 * A uniformly random 6-digit code from 4 random bytes, or null when the bytes
 * fall in the biased tail (the caller draws again; probability < 0.1%).
 */
export const codeFromBytes = (bytes: Uint8Array): string | null => {
  if (bytes.length < 4) throw new RangeError("need 4 bytes")
  const n = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000
  return n >= limit ? null : (n % 1_000_000).toString().padStart(6, "0")
}
