import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { lastCodeFor, layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { NewPassword } from "../kernel/Password.ts"
import { registerUser, sendRegistrationCode } from "./registerUser.ts"
import { logIn, LoginPolicy } from "./logIn.ts"
import { sendUnlockCode, unlockAccount } from "./unlockAccount.ts"

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const mobile = Schema.decodeSync(Mobile)("13800138111")
const password = Schema.decodeSync(NewPassword)("abc12345")

describe("log-in lock (A2, issue 16 finding 7)", () => {
  it.effect("ten failures lock the number for 15 minutes from the tenth; parallel guesses past the tenth are not checked; an unlock code lifts it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendRegistrationCode(mobile)
      yield* registerUser({ mobile, code: yield* lastCodeFor(mobile), password })
      // Twenty wrong and the right password at once: ten are looked at, the rest refused as locked.
      const tags = yield* Effect.all([...Array.from({ length: 20 }, (_, i) => outcome(logIn(mobile, `wrong${i}1`))), outcome(logIn(mobile, "abc12345"))], { concurrency: "unbounded" })
      expect(tags.filter((t) => t === "InvalidCredentials" || t === "success").length).toBeLessThanOrEqual(LoginPolicy.maxFailures)
      expect(tags.filter((t) => t === "AccountLocked").length).toBeGreaterThanOrEqual(11)
      yield* TestClock.adjust("14 minutes")
      expect(yield* outcome(logIn(mobile, "abc12345"))).toBe("AccountLocked")
      yield* TestClock.adjust("1 minute")
      expect(yield* outcome(logIn(mobile, "abc12345"))).toBe("success")
      // Locked again, then unlocked by the code texted for unlocking.
      for (let i = 0; i < LoginPolicy.maxFailures; i++) yield* outcome(logIn(mobile, "wrong123"))
      expect(yield* outcome(logIn(mobile, "abc12345"))).toBe("AccountLocked")
      yield* sendUnlockCode(mobile)
      yield* unlockAccount(mobile, yield* lastCodeFor(mobile))
      expect(yield* outcome(logIn(mobile, "abc12345"))).toBe("success")
    }).pipe(Effect.provide(layerTestNoEvidence)))
})
