import { Clock, Effect, Option } from "effect"
import { LimitCounters } from "../ports/LimitCounters.ts"
import { OtpRepository } from "../ports/OtpRepository.ts"
import { Crypto } from "../ports/Crypto.ts"
import { type OtpChallenge, otpCounters, OtpPolicy } from "./Otp.ts"
import { OtpIncorrect, OtpLocked, OtpMobileLocked, OtpNotRequested } from "./OtpErrors.ts"
import { checkAnswerable } from "./otpRules.ts"
import { hashCode } from "./codeHash.ts"

const encoder = new TextEncoder()

/**
 * A5: checks `code` against the newest code sent to `mobile` for `purpose` and
 * uses it up. The guess is compared with that code only: a code sent for
 * anything else is a wrong guess like any other, and the answer never says
 * whether it matched something else.
 *
 * Every try is counted before it is looked at, in the database: against the
 * number (ten in an hour, whatever the purpose, then an hour's lock; a right
 * code gives its try back) and against the code (five). Parallel tries on several instances
 * therefore get distinct counts, and those over a limit are refused unchecked.
 */
export const confirmCode = Effect.fn("otp.confirmCode")(function*(mobile: string, purpose: string, code: string) {
  const { challengeId } = yield* checkCode(mobile, purpose, code)
  yield* consumeCode(challengeId)
  // The challenge id goes into the evidence of the act the code confirmed.
  return { challengeId }
})

/**
 * Uses up a code checkCode found right, in the caller's transaction: put it in the transaction of the act the code
 * confirms, so a failed act leaves the code usable and a code confirms one act only (a second act racing with
 * the same code finds it used and rolls back).
 */
export const consumeCode = Effect.fn("otp.consumeCode")(function*(challengeId: OtpChallenge["id"]) {
  const now = yield* Clock.currentTimeMillis
  if (!(yield* (yield* OtpRepository).consume(challengeId, now))) return yield* new OtpNotRequested()
})

/** confirmCode without using the code up: the caller consumes it with consumeCode, in its act's transaction. */
export const checkCode = Effect.fn("otp.checkCode")(function*(mobile: string, purpose: string, code: string) {
  const repo = yield* OtpRepository
  const counters = yield* LimitCounters
  const crypto = yield* Crypto
  const now = yield* Clock.currentTimeMillis
  const key = otpCounters.failures(mobile)
  const tally = yield* counters.hit(key, otpCounters.failureRule, now)
  if (tally.count > OtpPolicy.maxFailuresPerMobile) return yield* new OtpMobileLocked({ until: tally.windowEndsAt })
  const latest = yield* repo.latest(mobile, purpose)
  if (Option.isNone(latest)) return yield* new OtpNotRequested()
  const challenge = latest.value
  yield* Effect.fromResult(checkAnswerable(challenge, now))
  const tries = yield* repo.recordAttempt(challenge.id, OtpPolicy.maxFailedAttempts)
  if (tries === null) return yield* new OtpLocked()
  const given = yield* hashCode(purpose, mobile, code)
  if (!crypto.timingSafeEqual(encoder.encode(given), encoder.encode(challenge.codeHash))) {
    if (tally.count >= OtpPolicy.maxFailuresPerMobile) return yield* new OtpMobileLocked({ until: tally.windowEndsAt })
    return yield* new OtpIncorrect({ attemptsLeft: Math.max(0, Math.min(OtpPolicy.maxFailedAttempts - tries, OtpPolicy.maxFailuresPerMobile - tally.count)) })
  }
  yield* counters.release(key)
  return { challengeId: challenge.id }
})
