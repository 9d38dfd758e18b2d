import { Effect, Layer, Option } from "effect"
import { Enterprise } from "../../../core/organizations/Enterprise.ts"
import { EnterpriseRepository } from "../../../core/ports/EnterpriseRepository.ts"
import { Database, decodeRow, queryOn } from "../Database.ts"
import type { EnterprisesTable } from "../schema.ts"

const decode = decodeRow(Enterprise, "enterprises")
const toEnterprise = (r: EnterprisesTable) =>
  decode({
    id: r.id, name: r.name, creditCode: r.credit_code, legalRepresentative: r.legal_representative, address: r.address,
    contactPhone: r.contact_phone, email: r.email, adminUserId: r.admin_user_id, createdAt: Number(r.created_at),
  })
const one = (r: EnterprisesTable | undefined) => r === undefined ? Effect.succeedNone : Effect.map(toEnterprise(r), Option.some)

export const layerEnterpriseRepository = Layer.effect(
  EnterpriseRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      insert: (e) =>
        q("enterprises.insert", (db) =>
          db.insertInto("enterprises").values({
            id: e.id, name: e.name, credit_code: e.creditCode, legal_representative: e.legalRepresentative, address: e.address,
            contact_phone: e.contactPhone, email: e.email, admin_user_id: e.adminUserId, created_at: e.createdAt,
          }).onConflict((oc) => oc.doNothing()).executeTakeFirst()).pipe(Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1)),
      findById: (id) => q("enterprises.findById", (db) => db.selectFrom("enterprises").selectAll().where("id", "=", id).executeTakeFirst()).pipe(Effect.flatMap(one)),
      findByCreditCode: (code) =>
        q("enterprises.findByCreditCode", (db) => db.selectFrom("enterprises").selectAll().where("credit_code", "=", code).executeTakeFirst()).pipe(Effect.flatMap(one)),
      listAdministeredBy: (userId) =>
        q("enterprises.listAdministeredBy", (db) =>
          db.selectFrom("enterprises").selectAll().where("admin_user_id", "=", userId).orderBy("created_at", "asc").execute()).pipe(
            Effect.flatMap((rows) => Effect.forEach(rows, toEnterprise)),
          ),
    }
  }),
)
