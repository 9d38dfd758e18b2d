import { describe, expect, it } from "vitest"
import { nextFailures, STAFF_FAILURE_WINDOW_MS, STAFF_LOCK_MS, STAFF_MAX_FAILURES } from "./staffLockout.ts"

const T = 1_800_000_000_000

describe("staff lockout count (X1)", () => {
  it("the 10th failure within the window locks for 15 minutes", () => {
    let f = nextFailures(undefined, T)
    for (let i = 1; i < STAFF_MAX_FAILURES - 1; i++) f = nextFailures(f, T + i * 1000)
    expect([f.failures, f.lockedUntil]).toEqual([STAFF_MAX_FAILURES - 1, null])
    f = nextFailures(f, T + 60_000)
    expect([f.failures, f.lockedUntil]).toEqual([STAFF_MAX_FAILURES, T + 60_000 + STAFF_LOCK_MS])
  })

  it("failures older than the window are forgotten, and so is everything before an ended lock", () => {
    const old = { failures: 9, since: T, lockedUntil: null }
    expect(nextFailures(old, T + STAFF_FAILURE_WINDOW_MS + 1)).toEqual({ failures: 1, since: T + STAFF_FAILURE_WINDOW_MS + 1, lockedUntil: null })
    const locked = { failures: 10, since: T, lockedUntil: T + STAFF_LOCK_MS }
    expect(nextFailures(locked, T + STAFF_LOCK_MS + 1).failures).toBe(1)
    // A failure during the lock (not possible through log-in, which refuses first) keeps it locked.
    expect(nextFailures(locked, T + 1000).lockedUntil).toBe(T + 1000 + STAFF_LOCK_MS)
  })
})
