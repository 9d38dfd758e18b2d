import { Clock, Effect, Option } from "effect"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import type { NewPassword } from "../kernel/Password.ts"
import { confirmCode } from "../otp/confirmCode.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { sendCode } from "../otp/sendCode.ts"
import { MobileAlreadyRegistered } from "./AccountErrors.ts"
import { User } from "./User.ts"

const ensureFree = Effect.fn("accounts.ensureMobileFree")(function*(mobile: Mobile) {
  const existing = yield* (yield* UserRepository).findByMobile(mobile)
  if (Option.isSome(existing)) return yield* new MobileAlreadyRegistered()
})

/** A1: a register code goes only to a number without an account. */
export const sendRegistrationCode = Effect.fn("accounts.sendRegistrationCode")(function*(mobile: Mobile) {
  yield* ensureFree(mobile)
  return yield* sendCode(mobile, "register")
})

/**
 * A1: creates an account from a mobile number, the code sent to it for
 * registering, and a password. Nothing is written unless every check passes.
 */
export const registerUser = Effect.fn("accounts.registerUser")(function*(input: {
  readonly mobile: Mobile
  readonly code: string
  readonly password: NewPassword
}) {
  yield* ensureFree(input.mobile)
  yield* confirmCode(input.mobile, "register", input.code)
  const user = new User({
    id: (yield* (yield* IdGenerator).next) as string as UserId,
    mobile: input.mobile,
    passwordHash: yield* (yield* PasswordHasher).hash(input.password),
    name: null,
    email: null,
    createdAt: yield* Clock.currentTimeMillis,
  })
  // The number may have been taken between the check and here (two tabs).
  const users = yield* UserRepository
  return yield* withEvidence(
    Effect.flatMap(users.insert(user), (inserted) => (inserted ? Effect.succeed(user) : Effect.fail(new MobileAlreadyRegistered()))),
    (u) => ({ type: "user.registered", subjectId: u.id, role: "user", actor: u.id }),
  )
})
