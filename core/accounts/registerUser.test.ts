import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { lastCodeFor, layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { NewPassword } from "../kernel/Password.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { sendCode } from "../otp/sendCode.ts"
import { registerUser, sendRegistrationCode } from "./registerUser.ts"
import { logIn } from "./logIn.ts"

const mobile = Schema.decodeSync(Mobile)("13800138000")
const password = Schema.decodeSync(NewPassword)("abc12345")

/** The tag of the error an effect fails with, or "success". */
const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const isRegistered = (m: string) => UserRepository.use((r) => Effect.map(r.findByMobile(m), Option.isSome))

describe("registerUser (A1, A5)", () => {
  it.layer(layerTestNoEvidence)((it) => {
    it.effect("registers with the code texted for registering, then logs in", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        yield* sendRegistrationCode(mobile)
        const code = yield* lastCodeFor(mobile)
        const user = yield* registerUser({ mobile, code, password })
        expect(user.mobile).toBe(mobile)
        expect(user.id).toMatch(/^\d{19}$/)
        expect(user.passwordHash.startsWith("$argon2id$")).toBe(true)
        const session = yield* logIn(mobile, "abc12345")
        expect(session.user.id).toBe(user.id)
        // A number with an account gets no register code, and cannot register again.
        expect(yield* outcome(sendRegistrationCode(mobile))).toBe("MobileAlreadyRegistered")
        expect(yield* outcome(logIn(mobile, "wrong123"))).toBe("InvalidCredentials")
      }))
  })
})

describe("register refusals create nothing", () => {
  const other = Schema.decodeSync(Mobile)("13900139000")

  it.effect("wrong code", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendRegistrationCode(other)
      const code = yield* lastCodeFor(other)
      const wrong = code === "000000" ? "111111" : "000000"
      expect(yield* outcome(registerUser({ mobile: other, code: wrong, password }))).toBe("OtpIncorrect")
      expect(yield* isRegistered(other)).toBe(false)
    }).pipe(Effect.provide(layerTestNoEvidence)))

  it.effect("expired code (older than 5 minutes)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendRegistrationCode(other)
      const code = yield* lastCodeFor(other)
      yield* TestClock.adjust("5 minutes")
      expect(yield* outcome(registerUser({ mobile: other, code, password }))).toBe("OtpExpired")
      expect(yield* isRegistered(other)).toBe(false)
    }).pipe(Effect.provide(layerTestNoEvidence)))

  it.effect("a code sent for another purpose is a wrong guess like any other (it does not say it matched something)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendCode(other, "login")
      const code = yield* lastCodeFor(other)
      expect(yield* outcome(registerUser({ mobile: other, code, password }))).toBe("OtpNotRequested")
      // With a register code pending, the log-in code is a wrong register code.
      yield* TestClock.adjust("61 seconds")
      yield* sendRegistrationCode(other)
      if (code !== (yield* lastCodeFor(other))) expect(yield* outcome(registerUser({ mobile: other, code, password }))).toBe("OtpIncorrect")
      expect(yield* isRegistered(other)).toBe(false)
    }).pipe(Effect.provide(layerTestNoEvidence)))

  it.effect("no code requested", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      expect(yield* outcome(registerUser({ mobile: other, code: "123456", password }))).toBe("OtpNotRequested")
    }).pipe(Effect.provide(layerTestNoEvidence)))

  it.effect("five wrong codes lock the code: the 6th try fails even with the right code", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendRegistrationCode(other)
      const code = yield* lastCodeFor(other)
      const wrong = code === "000000" ? "111111" : "000000"
      const left: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const exit = yield* Effect.exit(registerUser({ mobile: other, code: wrong, password }))
        if (Exit.isSuccess(exit)) throw new Error("a wrong code was accepted")
        const err = exit.cause.reasons[0]
        left.push(err?._tag === "Fail" && err.error._tag === "OtpIncorrect" ? err.error.attemptsLeft : -1)
      }
      expect(left).toEqual([4, 3, 2, 1, 0])
      expect(yield* outcome(registerUser({ mobile: other, code, password }))).toBe("OtpLocked")
      expect(yield* isRegistered(other)).toBe(false)
    }).pipe(Effect.provide(layerTestNoEvidence)))

  it.effect("a second send within 60 s is refused with the wait; ten a day at most", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendRegistrationCode(other)
      yield* TestClock.adjust("20 seconds")
      const exit = yield* Effect.exit(sendRegistrationCode(other))
      const err = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      expect(err?._tag === "Fail" && err.error._tag === "OtpSendTooSoon" ? err.error.retryAfterSeconds : null).toBe(40)
      for (let i = 1; i < 10; i++) {
        yield* TestClock.adjust("60 seconds")
        yield* sendRegistrationCode(other)
      }
      yield* TestClock.adjust("60 seconds")
      expect(yield* outcome(sendRegistrationCode(other))).toBe("OtpDailyLimitReached")
      yield* TestClock.adjust("24 hours")
      expect(yield* outcome(sendRegistrationCode(other))).toBe("success")
    }).pipe(Effect.provide(layerTestNoEvidence)))

  it.effect("a used code cannot be used twice", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      yield* sendRegistrationCode(other)
      const code = yield* lastCodeFor(other)
      yield* registerUser({ mobile: other, code, password })
      expect(yield* outcome(registerUser({ mobile: other, code, password }))).toBe("MobileAlreadyRegistered")
      expect(yield* isRegistered(other)).toBe(true)
    }).pipe(Effect.provide(layerTestNoEvidence)))
})
