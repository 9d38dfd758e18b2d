import { Clock, Effect, Option } from "effect"
import { AddressRepository } from "../ports/AddressRepository.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { NotFound } from "../kernel/errors.ts"
import type { AddressId, UserId } from "../kernel/Ids.ts"
import { AddressBookFull } from "./AccountErrors.ts"
import { Address, type AddressInput } from "./User.ts"

export const ADDRESS_LIMIT = 20

/** A4: the user's addresses, the default one first. */
export const listAddresses = Effect.fn("addresses.list")(function*(userId: UserId) {
  return yield* (yield* AddressRepository).list(userId)
})

/** Another user's address is "not found", never "forbidden": ids reveal nothing. */
const ownAddress = Effect.fn("addresses.own")(function*(userId: UserId, id: AddressId) {
  const found = yield* (yield* AddressRepository).find(id)
  if (Option.isNone(found) || found.value.userId !== userId) return yield* new NotFound({ entity: "address", id })
  return found.value
})

/** A4: the first address is the default one; a new default replaces the old. */
export const addAddress = Effect.fn("addresses.add")(function*(userId: UserId, input: AddressInput) {
  const repo = yield* AddressRepository
  const existing = yield* repo.list(userId)
  if (existing.length >= ADDRESS_LIMIT) return yield* new AddressBookFull({ limit: ADDRESS_LIMIT })
  const address = new Address({
    ...input,
    id: (yield* (yield* IdGenerator).next) as string as AddressId,
    userId,
    isDefault: false,
    createdAt: yield* Clock.currentTimeMillis,
  })
  yield* repo.insert(address)
  if (input.isDefault || existing.length === 0) yield* repo.setDefault(userId, address.id)
  return address
})

/** A4: edits an own address; unticking "default" on the default address keeps it default (there must be one). */
export const updateAddress = Effect.fn("addresses.update")(function*(userId: UserId, id: AddressId, input: AddressInput) {
  const repo = yield* AddressRepository
  const current = yield* ownAddress(userId, id)
  yield* repo.update(new Address({ ...current, ...input, isDefault: current.isDefault }))
  if (input.isDefault && !current.isDefault) yield* repo.setDefault(userId, id)
})

/** A4: deleting the default address makes the newest remaining one the default. */
export const deleteAddress = Effect.fn("addresses.delete")(function*(userId: UserId, id: AddressId) {
  const repo = yield* AddressRepository
  const current = yield* ownAddress(userId, id)
  yield* repo.delete(id)
  if (current.isDefault) {
    const rest = yield* repo.list(userId)
    const newest = [...rest].sort((a, b) => b.createdAt - a.createdAt)[0]
    if (newest !== undefined) yield* repo.setDefault(userId, newest.id)
  }
})

export const setDefaultAddress = Effect.fn("addresses.setDefault")(function*(userId: UserId, id: AddressId) {
  yield* ownAddress(userId, id)
  yield* (yield* AddressRepository).setDefault(userId, id)
})
