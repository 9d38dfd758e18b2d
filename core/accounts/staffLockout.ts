import { Clock, Effect } from "effect"
import { LimitCounters } from "../ports/LimitCounters.ts"
import { StaffLogInLocked } from "./StaffErrors.ts"

/**
 * X1 lockout, per username AND client address: 10 failed log-ins from one
 * address within 15 minutes lock that address out of that username for 15
 * minutes from the tenth. Anyone else — the reviewer at her desk — still logs
 * in, so the lock cannot be used to keep a reviewer out. What it gives up: an
 * attacker with many addresses gets 10 guesses per address; the password
 * hash's cost and the second factor carry that load. The count is the same
 * database counter as the portal's log-in lock (LimitCounters): a try is
 * counted before it is checked, so parallel guesses get distinct counts.
 */
export const STAFF_MAX_FAILURES = 10
export const STAFF_FAILURE_WINDOW_MS = 15 * 60_000

export const staffLoginTries = {
  key: (username: string, client: string) => `staff-login:${username}:${client}`,
  rule: { limit: STAFF_MAX_FAILURES, windowMs: STAFF_FAILURE_WINDOW_MS },
}

/** Counts one log-in try of `client` for `username`; fails with StaffLogInLocked past the limit (even with the right password). */
export const takeTry = Effect.fn("staff.takeTry")(function*(username: string, client: string) {
  const now = yield* Clock.currentTimeMillis
  const tally = yield* (yield* LimitCounters).hit(staffLoginTries.key(username, client), staffLoginTries.rule, now)
  if (tally.count > STAFF_MAX_FAILURES) {
    return yield* new StaffLogInLocked({ retryAfterSeconds: Math.max(1, Math.ceil((tally.windowEndsAt - now) / 1000)) })
  }
})

/** A successful log-in forgets the client's tries. */
export const clearTries = (username: string, client: string) =>
  LimitCounters.use((counters) => counters.clear(staffLoginTries.key(username, client)))
