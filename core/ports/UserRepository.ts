import { Context, type Effect, type Option } from "effect"
import type { ProfileChanges, Staff, User } from "../accounts/User.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class UserRepository extends Context.Service<UserRepository, {
  /** False when the mobile number is taken (unique), nothing written. */
  readonly insert: (user: User) => Op<boolean>
  readonly findById: (id: UserId) => Op<Option.Option<User>>
  readonly findByMobile: (mobile: string) => Op<Option.Option<User>>
  readonly updateProfile: (id: UserId, changes: ProfileChanges) => Op<void>
  readonly updatePasswordHash: (id: UserId, passwordHash: string) => Op<void>
}>()("core/ports/UserRepository") {}

export class StaffRepository extends Context.Service<StaffRepository, {
  /** False when the username is taken, nothing written. */
  readonly insert: (staff: Staff) => Op<boolean>
  readonly findById: (id: StaffId) => Op<Option.Option<Staff>>
  readonly findByUsername: (username: string) => Op<Option.Option<Staff>>
}>()("core/ports/StaffRepository") {}
