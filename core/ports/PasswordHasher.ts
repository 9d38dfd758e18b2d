import { Context, type Effect } from "effect"

/** Slow, salted password hashing (argon2id in `adapters/argon2`). */
export class PasswordHasher extends Context.Service<PasswordHasher, {
  readonly hash: (password: string) => Effect.Effect<string>
  /** False for a wrong password or a hash this hasher cannot read. */
  readonly verify: (hash: string, password: string) => Effect.Effect<boolean>
}>()("core/ports/PasswordHasher") {}
