import { Clock, Effect, Option } from "effect"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { StaffRepository } from "../ports/UserRepository.ts"
import type { StaffId } from "../kernel/Ids.ts"
import type { NewPassword } from "../kernel/Password.ts"
import { InvalidCredentials, StaffUsernameTaken } from "./AccountErrors.ts"
import { startSession } from "./sessions.ts"
import { Staff } from "./User.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { clearTries, takeTry } from "./staffLockout.ts"
import { checkStaffCode } from "./staffTotp.ts"

/** X1: staff accounts are made from the command line (`signet admin create`), never by sign-up. */
export const createStaff = Effect.fn("staff.create")(function*(input: {
  readonly username: string
  readonly name: string
  readonly password: NewPassword
}) {
  const staff = new Staff({
    id: (yield* (yield* IdGenerator).next) as string as StaffId,
    username: input.username,
    name: input.name,
    passwordHash: yield* (yield* PasswordHasher).hash(input.password),
    createdAt: yield* Clock.currentTimeMillis,
  })
  const repository = yield* StaffRepository
  return yield* withEvidence(
    Effect.flatMap(repository.insert(staff), (inserted) => (inserted ? Effect.succeed(staff) : Effect.fail(new StaffUsernameTaken()))),
    (s) => ({ type: "staff.created", subjectId: s.id, role: "system" }),
  )
})

/**
 * X1: staff log in to the admin app with their own sessions (kind "staff"):
 * password, then the authenticator's code once one is enrolled. A failure of
 * either is one failure, told apart from nothing; `client` is the socket
 * address the lockout counts per (staffLockout.ts).
 */
export const staffLogIn = Effect.fn("staff.logIn")(function*(username: string, password: string, code: string, client: string) {
  yield* takeTry(username, client)
  const hasher = yield* PasswordHasher
  const staff = yield* (yield* StaffRepository).findByUsername(username)
  if (Option.isNone(staff)) {
    yield* hasher.hash(password)
    return yield* new InvalidCredentials()
  }
  if (!(yield* hasher.verify(staff.value.passwordHash, password)) || !(yield* checkStaffCode(staff.value.id, code))) {
    return yield* new InvalidCredentials()
  }
  yield* clearTries(username, client)
  const { token } = yield* withEvidence(startSession("staff", staff.value.id), () => ({
    type: "staff.logged_in", subjectId: staff.value.id, role: "staff", actor: staff.value.id,
  }))
  return { token, staff: staff.value }
})
