import { Effect, Layer, Option } from "effect"
import { Address } from "../../core/accounts/User.ts"
import { AddressRepository } from "../../core/ports/AddressRepository.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { AddressesTable } from "./schema.ts"

const decode = decodeRow(Address, "addresses")
const toAddress = (r: AddressesTable) =>
  decode({
    id: r.id, userId: r.user_id, recipient: r.recipient, mobile: r.mobile, region: r.region, detail: r.detail,
    isDefault: r.is_default === 1, createdAt: r.created_at,
  })
const columns = (a: Address) => ({
  recipient: a.recipient, mobile: a.mobile, region: a.region, detail: a.detail, is_default: a.isDefault ? 1 : 0,
})

export const layerAddressRepository = Layer.effect(
  AddressRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      list: (userId) =>
        q("addresses.list", (db) =>
          db.selectFrom("addresses").selectAll().where("user_id", "=", userId)
            .orderBy("is_default", "desc").orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(
            Effect.flatMap((rows) => Effect.forEach(rows, toAddress)),
          ),
      find: (id) =>
        q("addresses.find", (db) => db.selectFrom("addresses").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toAddress(r), Option.some)),
        ),
      insert: (a) =>
        q("addresses.insert", (db) =>
          db.insertInto("addresses").values({ ...columns(a), id: a.id, user_id: a.userId, created_at: a.createdAt }).execute()).pipe(Effect.asVoid),
      update: (a) =>
        q("addresses.update", (db) => db.updateTable("addresses").set(columns(a)).where("id", "=", a.id).execute()).pipe(Effect.asVoid),
      delete: (id) => q("addresses.delete", (db) => db.deleteFrom("addresses").where("id", "=", id).execute()).pipe(Effect.asVoid),
      setDefault: (userId, id) =>
        q("addresses.setDefault", (db) =>
          db.transaction().execute(async (trx) => {
            await trx.updateTable("addresses").set({ is_default: 0 }).where("user_id", "=", userId).execute()
            await trx.updateTable("addresses").set({ is_default: 1 }).where("user_id", "=", userId).where("id", "=", id).execute()
          })),
    }
  }),
)
