import { Effect, Option } from "effect"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { SessionRepository } from "../ports/SessionRepository.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { NewPassword } from "../kernel/Password.ts"
import { PasswordIncorrect, PasswordUnchanged } from "./AccountErrors.ts"
import { tokenHash } from "./sessions.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"

/**
 * A3: the current password is required; on success every other session of
 * the user ends (a stolen session dies with the old password).
 */
export const changePassword = Effect.fn("accounts.changePassword")(function*(input: {
  readonly userId: UserId
  readonly currentSessionToken: string
  readonly oldPassword: string
  readonly newPassword: NewPassword
}) {
  const users = yield* UserRepository
  const hasher = yield* PasswordHasher
  const user = yield* users.findById(input.userId)
  if (Option.isNone(user)) return yield* new NotFound({ entity: "user", id: input.userId })
  if (!(yield* hasher.verify(user.value.passwordHash, input.oldPassword))) return yield* new PasswordIncorrect()
  if (input.oldPassword === input.newPassword) return yield* new PasswordUnchanged()
  const hash = yield* hasher.hash(input.newPassword)
  const keep = yield* tokenHash(input.currentSessionToken)
  const sessions = yield* SessionRepository
  return yield* withEvidence(
    Effect.andThen(users.updatePasswordHash(input.userId, hash), sessions.deleteForSubject("user", input.userId, keep)),
    (ended) => ({ type: "user.password_changed", subjectId: input.userId, role: "user", actor: input.userId, data: { otherSessionsEnded: ended } }),
  )
})
