import { Effect, Option } from "effect"
import { UserRepository } from "../ports/UserRepository.ts"
import { PersonalVerificationRepository } from "../ports/VerificationRepository.ts"
import { VerifiedNameLocked } from "./AccountErrors.ts"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { ProfileChanges } from "./User.ts"

/** A3: the user's own account. */
export const getProfile = Effect.fn("accounts.getProfile")(function*(userId: UserId) {
  const user = yield* (yield* UserRepository).findById(userId)
  if (Option.isNone(user)) return yield* new NotFound({ entity: "user", id: userId })
  return user.value
})

/**
 * A3: name and e-mail are editable; the mobile number is the login and is
 * not. Once personally verified (V1) the name is the verified one and stays:
 * 实名认证 says 已认证 for that name, contracts and certificates carry it.
 */
export const updateProfile = Effect.fn("accounts.updateProfile")(function*(userId: UserId, changes: ProfileChanges) {
  yield* getProfile(userId)
  const verification = yield* (yield* PersonalVerificationRepository).find(userId)
  if (Option.isSome(verification) && changes.name !== verification.value.name) {
    return yield* new VerifiedNameLocked({ verifiedName: verification.value.name })
  }
  yield* (yield* UserRepository).updateProfile(userId, changes)
  return yield* getProfile(userId)
})
