/**
 * A5 under attack (issue 16 finding 1, issue 22 finding 7): a guess checked
 * against a code sent for something else must not tell whether it matched;
 * wrong guesses count per number across purposes in the database, so the lock
 * holds for parallel requests and across app instances.
 */
import { describe, expect } from "vitest"
import { Effect, Exit, Layer, ManagedRuntime, Schema } from "effect"
import { TestClock } from "effect/testing"
import { itOnSqliteAndPostgres, itOnSharedSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { lastCodeFor, layerAccountsOn, migrated, TEST_EPOCH } from "../../fixtures/layers.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { OtpPolicy } from "./Otp.ts"
import { confirmCode } from "./confirmCode.ts"
import { sendCode } from "./sendCode.ts"

/** The tag of the error an effect fails with, or "success". */
const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const failureOf = <A, E, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.exit(eff), (exit) => Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? Effect.succeed(exit.cause.reasons[0].error) : Effect.die("did not fail"))

let serial = 0
const freshMobile = () => Schema.decodeSync(Mobile)(`1360${String(Date.now() % 1e5).padStart(5, "0")}${String(++serial % 100).padStart(2, "0")}`)
const wrongFor = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0")

describe("a guess never tells whether it matched a code for something else (issue 16 finding 1)", () => {
  itOnSqliteAndPostgres("otp oracle", (database) =>
    Effect.runPromise(Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      const mobile = freshMobile()
      yield* sendCode(mobile, "register")
      const registerCode = yield* lastCodeFor(mobile)
      // No code for this purpose: the register code and any other guess get the same answer.
      const withOther = yield* failureOf(confirmCode(mobile, "verify-personal", registerCode))
      const withWrong = yield* failureOf(confirmCode(mobile, "verify-personal", wrongFor(registerCode)))
      expect(withOther).toEqual(withWrong)
      expect(withOther).toMatchObject({ _tag: "OtpNotRequested" })
      // With a code pending for this purpose, the other purpose's code is just a wrong guess, and it counts.
      yield* TestClock.adjust("61 seconds")
      yield* sendCode(mobile, "verify-personal")
      const personalCode = yield* lastCodeFor(mobile)
      if (personalCode === registerCode) return
      const first = yield* failureOf(confirmCode(mobile, "verify-personal", registerCode))
      const second = yield* failureOf(confirmCode(mobile, "verify-personal", wrongFor(personalCode)))
      expect([first, second]).toMatchObject([{ _tag: "OtpIncorrect", attemptsLeft: 4 }, { _tag: "OtpIncorrect", attemptsLeft: 3 }])
      // The right code still confirms (the number is not locked yet).
      expect(yield* outcome(confirmCode(mobile, "verify-personal", personalCode))).toBe("success")
    }).pipe(Effect.provide(Layer.merge(layerAccountsOn(migrated(database)), TestClock.layer())))))

  itOnSqliteAndPostgres("otp lock per number", (database) =>
    Effect.runPromise(Effect.gen(function*() {
      yield* TestClock.setTime(TEST_EPOCH)
      const mobile = freshMobile()
      yield* sendCode(mobile, "register")
      const code = yield* lastCodeFor(mobile)
      // 200 guesses through a purpose with no code (the reported attack): ten are looked at, then the number is locked.
      const answers: Record<string, number> = {}
      for (let i = 0; i < 200; i++) {
        const tag = yield* outcome(confirmCode(mobile, "verify-personal", wrongFor(code, i)))
        answers[tag] = (answers[tag] ?? 0) + 1
      }
      expect(answers).toEqual({ OtpNotRequested: OtpPolicy.maxFailuresPerMobile, OtpMobileLocked: 200 - OtpPolicy.maxFailuresPerMobile })
      // The lock really locks: the right code for the purpose it was sent for is refused until the hour is over.
      yield* TestClock.adjust("1 minute")
      const locked = yield* failureOf(confirmCode(mobile, "register", code))
      expect(locked).toMatchObject({ _tag: "OtpMobileLocked", until: TEST_EPOCH + OtpPolicy.mobileWindowMs })
      yield* TestClock.setTime(TEST_EPOCH + OtpPolicy.mobileWindowMs)
      yield* sendCode(mobile, "register")
      expect(yield* outcome(confirmCode(mobile, "register", yield* lastCodeFor(mobile)))).toBe("success")
    }).pipe(Effect.provide(Layer.merge(layerAccountsOn(migrated(database)), TestClock.layer())))))
})

describe("the limits hold for parallel requests on two instances (issue 22 finding 7)", () => {
  /** Two app instances on one database, each with its own connection and id worker. */
  const twoInstances = async (open: () => Layer.Layer<import("../../adapters/sql/index.ts").Database, unknown>) => {
    const a = ManagedRuntime.make(layerAccountsOn(migrated(open()), 1))
    await a.runPromise(Effect.void)
    const b = ManagedRuntime.make(layerAccountsOn(migrated(open()), 2))
    await b.runPromise(Effect.void)
    return { instances: [a, b] as const, dispose: () => Promise.all([a.dispose(), b.dispose()]) }
  }

  itOnSharedSqliteAndPostgres("otp parallel guesses", async (open) => {
    const { instances, dispose } = await twoInstances(open)
    try {
      const mobile = freshMobile()
      await instances[0].runPromise(sendCode(mobile, "register"))
      const code = await instances[0].runPromise(lastCodeFor(mobile))
      const guesses = [...Array.from({ length: 20 }, (_, i) => wrongFor(code, i)), code]
      const tags = await Promise.all(guesses.map((g, i) => instances[i % 2]!.runPromise(outcome(confirmCode(mobile, "register", g)))))
      const checked = tags.filter((t) => t === "OtpIncorrect" || t === "success").length
      expect(checked).toBeGreaterThanOrEqual(1)
      expect(checked).toBeLessThanOrEqual(OtpPolicy.maxFailedAttempts)
      expect(tags.filter((t) => t === "success").length).toBeLessThanOrEqual(1)
    } finally {
      await dispose()
    }
  })

  itOnSharedSqliteAndPostgres("otp parallel sends", async (open) => {
    const { instances, dispose } = await twoInstances(open)
    try {
      const mobile = freshMobile()
      const tags = await Promise.all(Array.from({ length: 9 }, (_, i) => instances[i % 2]!.runPromise(outcome(sendCode(mobile, "register")))))
      expect(tags.filter((t) => t === "success")).toEqual(["success"])
      expect(tags.filter((t) => t === "OtpSendTooSoon").length).toBe(8)
      const texts = await instances[1].runPromise(SmsOutbox.use((o) => o.recent(20, mobile)))
      expect(texts.length).toBe(1)
    } finally {
      await dispose()
    }
  })
})
