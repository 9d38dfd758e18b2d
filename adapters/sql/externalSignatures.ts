import { Effect, Layer } from "effect"
import { PreparedExternalSignature } from "../../core/contracts/ExternalSignature.ts"
import { ExternalSignatureRepository } from "../../core/ports/ExternalSignatureRepository.ts"
import type { Selectable } from "kysely"
import { Database, decodeRow, queryOn } from "./Database.ts"
import type { ExternalSignaturesTable } from "./schema.ts"

const n = (v: unknown) => (v === null ? null : Number(v))

/**
 * Prepared signatures (migration 0021). Completion is one conditional UPDATE
 * (still open, not expired): in the signing act's transaction, so of two
 * instances completing the same one, exactly one sees a row changed.
 */
export const layerExternalSignatureRepository = Layer.effect(
  ExternalSignatureRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    const decode = decodeRow(PreparedExternalSignature, "externalSignatures.find")
    const toPrepared = (r: Selectable<ExternalSignaturesTable>) =>
      decode({
        id: r.id, contractId: r.contract_id, partyIndex: Number(r.party_index), fieldName: r.field_name, actor: r.actor,
        baseSha256: r.base_sha256, preparedSha256: r.prepared_sha256, contentsStart: Number(r.contents_start), contentsEnd: Number(r.contents_end),
        contentDigest: r.content_digest, certificate: r.certificate, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
        completedAt: n(r.completed_at),
      })
    return {
      insert: (p) =>
        q("externalSignatures.insert", (db) =>
          db.insertInto("external_signatures").values({
            id: p.id, contract_id: p.contractId, party_index: p.partyIndex, field_name: p.fieldName, actor: p.actor,
            base_sha256: p.baseSha256, prepared_sha256: p.preparedSha256, contents_start: p.contentsStart, contents_end: p.contentsEnd,
            content_digest: p.contentDigest, certificate: p.certificate, created_at: p.createdAt, expires_at: p.expiresAt, completed_at: p.completedAt,
          }).execute()).pipe(Effect.asVoid),
      find: (id) =>
        q("externalSignatures.find", (db) => db.selectFrom("external_signatures").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => r === undefined ? Effect.succeed(undefined) : toPrepared(r)),
        ),
      complete: (id, now) =>
        q("externalSignatures.complete", (db) =>
          db.updateTable("external_signatures").set({ completed_at: now })
            .where("id", "=", id).where("completed_at", "is", null).where("expires_at", ">", now).executeTakeFirst()).pipe(
          Effect.map((r) => Number(r.numUpdatedRows) === 1),
        ),
      expiredBefore: (at, limit) =>
        q("externalSignatures.expired", (db) =>
          db.selectFrom("external_signatures").selectAll().where("expires_at", "<=", at).orderBy("expires_at").orderBy("id").limit(limit).execute()).pipe(
          Effect.flatMap((rows) => Effect.forEach(rows, toPrepared)),
        ),
      remove: (id) => q("externalSignatures.remove", (db) => db.deleteFrom("external_signatures").where("id", "=", id).execute()).pipe(Effect.asVoid),
    }
  }),
)
