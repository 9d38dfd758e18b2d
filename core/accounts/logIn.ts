import { Effect, Option } from "effect"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { InvalidCredentials } from "./AccountErrors.ts"
import { startSession } from "./sessions.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"

/** A2: mobile + password opens a new user session (the caller drops any old one). */
export const logIn = Effect.fn("accounts.logIn")(function*(mobile: string, password: string) {
  const hasher = yield* PasswordHasher
  const user = yield* (yield* UserRepository).findByMobile(mobile)
  if (Option.isNone(user)) {
    // Hash anyway so an unknown number answers as slowly as a known one (no enumeration by timing).
    yield* hasher.hash(password)
    return yield* new InvalidCredentials()
  }
  if (!(yield* hasher.verify(user.value.passwordHash, password))) return yield* new InvalidCredentials()
  const { token } = yield* withEvidence(startSession("user", user.value.id), () => ({
    type: "user.logged_in", subjectId: user.value.id, role: "user", actor: user.value.id,
  }))
  return { token, user: user.value }
})
