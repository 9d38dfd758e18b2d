import { Clock, Effect, Option } from "effect"
import { StaffSecurity, type LoginFailures } from "../ports/StaffSecurity.ts"
import { StaffLogInLocked } from "./StaffErrors.ts"

/**
 * X1 lockout, per username AND client address: 10 failed log-ins from one
 * address within 15 minutes lock that address out of that username for 15
 * minutes. Anyone else — the reviewer at her desk — still logs in, so the
 * lock cannot be used to keep a reviewer out. What it gives up: an attacker
 * with many addresses gets 10 guesses per address; the password hash's cost
 * and the second factor carry that load.
 */
export const STAFF_MAX_FAILURES = 10
export const STAFF_FAILURE_WINDOW_MS = 15 * 60_000
export const STAFF_LOCK_MS = 15 * 60_000

/** Fails with StaffLogInLocked while `client` is locked out of `username` (even with the right password). */
export const ensureNotLocked = Effect.fn("staff.ensureNotLocked")(function*(username: string, client: string) {
  const now = yield* Clock.currentTimeMillis
  const found = yield* (yield* StaffSecurity).failuresOf(username, client)
  if (Option.isSome(found) && found.value.lockedUntil !== null && found.value.lockedUntil > now) {
    return yield* new StaffLogInLocked({ retryAfterSeconds: Math.max(1, Math.ceil((found.value.lockedUntil - now) / 1000)) })
  }
})

/** The count after one more failure: failures older than the window, or from before an ended lock, are forgotten. */
export const nextFailures = (prior: LoginFailures | undefined, now: number): LoginFailures => {
  const fresh = prior !== undefined && prior.since > now - STAFF_FAILURE_WINDOW_MS && (prior.lockedUntil === null || prior.lockedUntil > now)
  const failures = fresh ? prior.failures + 1 : 1
  return { failures, since: fresh ? prior.since : now, lockedUntil: failures >= STAFF_MAX_FAILURES ? now + STAFF_LOCK_MS : null }
}

export const recordFailure = Effect.fn("staff.recordFailure")(function*(username: string, client: string) {
  const security = yield* StaffSecurity
  const prior = yield* security.failuresOf(username, client)
  yield* security.saveFailures(username, client, nextFailures(Option.getOrUndefined(prior), yield* Clock.currentTimeMillis))
})
