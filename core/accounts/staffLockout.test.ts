import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { layerTest, TEST_EPOCH } from "../../fixtures/layers.ts"
import { clearTries, STAFF_MAX_FAILURES, takeTry } from "./staffLockout.ts"

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "allowed" })

describe("staff lockout count (X1)", () => {
  it.effect("after ten tries from one address the eleventh is refused for 15 minutes from the tenth; other addresses are not affected", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      for (let i = 0; i < STAFF_MAX_FAILURES - 1; i++) {
        expect(yield* outcome(takeTry("reviewer", "10.0.0.1"))).toBe("allowed")
        yield* TestClock.adjust("1 second")
      }
      yield* TestClock.adjust("1 minute")
      expect(yield* outcome(takeTry("reviewer", "10.0.0.1"))).toBe("allowed")
      expect(yield* outcome(takeTry("reviewer", "10.0.0.1"))).toBe("StaffLogInLocked")
      expect(yield* outcome(takeTry("reviewer", "10.0.0.2"))).toBe("allowed")
      yield* TestClock.adjust("14 minutes")
      expect(yield* outcome(takeTry("reviewer", "10.0.0.1"))).toBe("StaffLogInLocked")
      yield* TestClock.adjust("1 minute")
      expect(yield* outcome(takeTry("reviewer", "10.0.0.1"))).toBe("allowed")
    }).pipe(Effect.provide(layerTest)))

  it.effect("tries older than the window are forgotten, and a successful log-in forgets the client's tries", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      for (let i = 0; i < STAFF_MAX_FAILURES - 1; i++) yield* takeTry("auditor", "10.0.0.3")
      yield* TestClock.adjust("16 minutes")
      for (let i = 0; i < STAFF_MAX_FAILURES; i++) expect(yield* outcome(takeTry("auditor", "10.0.0.3"))).toBe("allowed")
      yield* clearTries("auditor", "10.0.0.3")
      expect(yield* outcome(takeTry("auditor", "10.0.0.3"))).toBe("allowed")
    }).pipe(Effect.provide(layerTest)))
})
