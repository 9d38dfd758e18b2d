import { Clock, Effect, Option } from "effect"
import { OtpRepository } from "../ports/OtpRepository.ts"
import { Crypto } from "../ports/Crypto.ts"
import { OtpPolicy } from "./Otp.ts"
import { OtpIncorrect, OtpNotRequested, OtpWrongPurpose } from "./OtpErrors.ts"
import { checkAnswerable } from "./otpRules.ts"
import { hashCode } from "./codeHash.ts"

const encoder = new TextEncoder()

/** Is `code` the live code of `mobile` for some other purpose? */
const matchesOtherPurpose = (mobile: string, purpose: string, code: string, now: number) =>
  Effect.gen(function*() {
    const crypto = yield* Crypto
    const active = yield* (yield* OtpRepository).active(mobile, now)
    for (const other of active) {
      if (other.purpose === purpose) continue
      const h = yield* hashCode(other.purpose, mobile, code)
      if (crypto.timingSafeEqual(encoder.encode(h), encoder.encode(other.codeHash))) return true
    }
    return false
  })

/**
 * A5: checks `code` against the newest code sent to `mobile` for `purpose` and
 * uses it up. Wrong codes count; after five the code is locked. A code sent
 * for another purpose is refused as such (and counts as a wrong try).
 */
export const confirmCode = Effect.fn("otp.confirmCode")(function*(mobile: string, purpose: string, code: string) {
  const repo = yield* OtpRepository
  const crypto = yield* Crypto
  const now = yield* Clock.currentTimeMillis
  const latest = yield* repo.latest(mobile, purpose)
  if (Option.isNone(latest)) {
    return yield* (yield* matchesOtherPurpose(mobile, purpose, code, now))
      ? Effect.fail(new OtpWrongPurpose())
      : Effect.fail(new OtpNotRequested())
  }
  const challenge = latest.value
  yield* Effect.fromResult(checkAnswerable(challenge, now))
  const given = yield* hashCode(purpose, mobile, code)
  if (!crypto.timingSafeEqual(encoder.encode(given), encoder.encode(challenge.codeHash))) {
    const failures = yield* repo.recordFailure(challenge.id)
    if (yield* matchesOtherPurpose(mobile, purpose, code, now)) return yield* new OtpWrongPurpose()
    return yield* new OtpIncorrect({ attemptsLeft: Math.max(0, OtpPolicy.maxFailedAttempts - failures) })
  }
  if (!(yield* repo.consume(challenge.id, now))) return yield* new OtpNotRequested()
  // The challenge id goes into the evidence of the act the code confirmed.
  return { challengeId: challenge.id }
})
