import { Context, type Effect, type Option } from "effect"
import type { Address } from "../accounts/User.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { AddressId, UserId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class AddressRepository extends Context.Service<AddressRepository, {
  /** A user's addresses, default first, then newest first. */
  readonly list: (userId: UserId) => Op<ReadonlyArray<Address>>
  readonly find: (id: AddressId) => Op<Option.Option<Address>>
  readonly insert: (address: Address) => Op<void>
  readonly update: (address: Address) => Op<void>
  readonly delete: (id: AddressId) => Op<void>
  /** Makes `id` the only default address of `userId`, atomically. */
  readonly setDefault: (userId: UserId, id: AddressId) => Op<void>
}>()("core/ports/AddressRepository") {}
