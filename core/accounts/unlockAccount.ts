import { Effect, Option } from "effect"
import type { Mobile } from "../kernel/Mobile.ts"
import { LimitCounters } from "../ports/LimitCounters.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { confirmCode } from "../otp/confirmCode.ts"
import { sendCode } from "../otp/sendCode.ts"
import { MobileNotRegistered } from "./AccountErrors.ts"
import { loginFailures } from "./logIn.ts"

/** The code that unlocks an account confirms only that (its own purpose). */
const UNLOCK_PURPOSE = "unlock"

/** A2: a code to unlock the log-in of an account, texted to its own number. */
export const sendUnlockCode = Effect.fn("accounts.sendUnlockCode")(function*(mobile: Mobile) {
  if (Option.isNone(yield* (yield* UserRepository).findByMobile(mobile))) return yield* new MobileNotRegistered()
  return yield* sendCode(mobile, UNLOCK_PURPOSE)
})

/** A2: the code texted for unlocking clears the failed log-ins of the number; the password is still needed to log in. */
export const unlockAccount = Effect.fn("accounts.unlockAccount")(function*(mobile: Mobile, code: string) {
  yield* confirmCode(mobile, UNLOCK_PURPOSE, code)
  yield* (yield* LimitCounters).clear(loginFailures.key(mobile))
})
