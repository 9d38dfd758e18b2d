import { Clock, Effect, Option } from "effect"
import { LimitCounters } from "../ports/LimitCounters.ts"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { AccountLocked, InvalidCredentials } from "./AccountErrors.ts"
import { startSession } from "./sessions.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"

/**
 * A2: ten failed log-ins on a number lock it for 15 minutes from the tenth;
 * while locked even the right password is refused. The lock is a counter in
 * the database, so it holds on every instance and across restarts; a known
 * and an unknown number lock alike (no enumeration). An SMS code unlocks
 * (unlockAccount.ts); a successful log-in clears the count.
 */
export const LoginPolicy = { maxFailures: 10, windowMs: 15 * 60_000 } as const

export const loginFailures = {
  key: (mobile: string) => `login-fail:${mobile}`,
  rule: { limit: LoginPolicy.maxFailures, windowMs: LoginPolicy.windowMs },
}

/** A2: mobile + password opens a new user session (the caller drops any old one). */
export const logIn = Effect.fn("accounts.logIn")(function*(mobile: string, password: string) {
  const hasher = yield* PasswordHasher
  const counters = yield* LimitCounters
  const key = loginFailures.key(mobile)
  // Counted before the password is looked at: parallel guesses cannot slip past the lock.
  const tally = yield* counters.hit(key, loginFailures.rule, yield* Clock.currentTimeMillis)
  if (tally.count > LoginPolicy.maxFailures) return yield* new AccountLocked({ until: tally.windowEndsAt })
  const refuse = tally.count >= LoginPolicy.maxFailures ? new AccountLocked({ until: tally.windowEndsAt }) : new InvalidCredentials()
  const user = yield* (yield* UserRepository).findByMobile(mobile)
  if (Option.isNone(user)) {
    // Hash anyway so an unknown number answers as slowly as a known one (no enumeration by timing).
    yield* hasher.hash(password)
    return yield* refuse
  }
  if (!(yield* hasher.verify(user.value.passwordHash, password))) return yield* refuse
  yield* counters.clear(key)
  const { token } = yield* withEvidence(startSession("user", user.value.id), () => ({
    type: "user.logged_in", subjectId: user.value.id, role: "user", actor: user.value.id,
  }))
  return { token, user: user.value }
})
