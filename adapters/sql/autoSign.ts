import { Effect, Layer } from "effect"
import { AutoSignAuthorization } from "../../core/seals/AutoSignAuthorization.ts"
import { AutoSignRepository } from "../../core/ports/AutoSignRepository.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"

/**
 * Auto-signing authorizations (migration 0021). A use is one conditional
 * UPDATE (unrevoked, in the window, under the maximum), in the signing act's
 * transaction: of two calls racing for the last use, one changes the row.
 */
export const layerAutoSignRepository = Layer.effect(
  AutoSignRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const decode = decodeRow(AutoSignAuthorization, "autoSign.list")
    return {
      insert: (a) =>
        q("autoSign.insert", (db) =>
          db.insertInto("auto_sign_authorizations").values({
            id: a.id, enterprise_id: a.enterpriseId, seal_id: a.sealId, scope_kind: a.scopeKind, scope_values: JSON.stringify(a.scopeValues),
            valid_from: a.validFrom, valid_until: a.validUntil, max_count: a.maxCount, used_count: a.usedCount, granted_by: a.grantedBy,
            created_at: a.createdAt, revoked_at: a.revokedAt, revoked_by: a.revokedBy,
          }).execute()).pipe(Effect.asVoid),
      listOf: (enterpriseId) =>
        q("autoSign.list", (db) =>
          db.selectFrom("auto_sign_authorizations").selectAll().where("enterprise_id", "=", enterpriseId)
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(
          Effect.flatMap((rows) =>
            Effect.forEach(rows, (r) =>
              decode({
                id: r.id, enterpriseId: r.enterprise_id, sealId: r.seal_id, scopeKind: r.scope_kind, scopeValues: JSON.parse(r.scope_values),
                validFrom: Number(r.valid_from), validUntil: Number(r.valid_until), maxCount: Number(r.max_count), usedCount: Number(r.used_count),
                grantedBy: r.granted_by, createdAt: Number(r.created_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at), revokedBy: r.revoked_by,
              }))),
        ),
      revoke: (enterpriseId, id, by, at) =>
        q("autoSign.revoke", (db) =>
          db.updateTable("auto_sign_authorizations").set({ revoked_at: at, revoked_by: by })
            .where("id", "=", id).where("enterprise_id", "=", enterpriseId).where("revoked_at", "is", null).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numUpdatedRows) === 1),
        ),
      take: (id, now) =>
        q("autoSign.take", (db) =>
          db.updateTable("auto_sign_authorizations").set((eb) => ({ used_count: eb("used_count", "+", 1) }))
            .where("id", "=", id).where("revoked_at", "is", null).where("valid_from", "<=", now).where("valid_until", ">", now)
            .where((eb) => eb("used_count", "<", eb.ref("max_count"))).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numUpdatedRows) === 1),
        ),
      recordTemplate: (contractId, templateId) =>
        q("autoSign.recordTemplate", (db) => db.insertInto("contract_template_uses").values({ contract_id: contractId, template_id: templateId }).execute()).pipe(Effect.asVoid),
      templateOf: (contractId) =>
        q("autoSign.templateOf", (db) => db.selectFrom("contract_template_uses").select("template_id").where("contract_id", "=", contractId).executeTakeFirst()).pipe(
          Effect.map((r) => r?.template_id),
        ),
    }
  }),
)
