import { Effect, Layer, Option } from "effect"
import { Seal, SealGrant } from "../../core/seals/sealsModel.ts"
import { Delegation, Signature } from "../../core/seals/signaturesModel.ts"
import { UsageEntry } from "../../core/seals/usageLog.ts"
import { SealRepository } from "../../core/ports/SealRepository.ts"
import { atomicallyOn, compiledOnce, Database, decodeRow, queryOn } from "./Database.ts"

/** Table shapes of seals, signatures and their use (migration 0009). Flags 0/1, times epoch ms. */
export interface SealsTable {
  id: string
  enterprise_id: string
  branch_id: string
  name: string
  type: string
  source: string
  image_sha256: string
  image_width: number
  image_height: number
  key_label: string
  certificate: string
  certificate_serial: string
  enabled: number
  created_by: string
  created_at: number
  updated_at: number
}
export interface SealGrantsTable {
  seal_id: string
  user_id: string
  granted_by: string
  granted_at: number
  revoked_by: string | null
  revoked_at: number | null
}
export interface SignaturesTable {
  id: string
  owner_user_id: string
  source: string
  image_sha256: string
  image_width: number
  image_height: number
  created_at: number
  deleted_at: number | null
}
export interface SignatureDelegationsTable {
  id: string
  enterprise_id: string
  signatory_user_id: string
  agent_user_id: string
  branch_id: string | null
  valid_from: number
  valid_until: number | null
  created_at: number
  revoked_at: number | null
}
export interface SealUsagesTable {
  id: string
  enterprise_id: string
  kind: string
  seal_id: string | null
  signature_id: string | null
  signatory_user_id: string | null
  actor_user_id: string
  delegation_id: string | null
  contract_id: string
  at: number
  /** 自动签署: the authorization the seal was used under (0029). */
  auto_sign_id: string | null
}

// The shared DB interface learns these tables here, so this context's schema stays in its own file.
declare module "./schema.ts" {
  interface DB {
    seals: SealsTable
    seal_grants: SealGrantsTable
    signatures: SignaturesTable
    signature_delegations: SignatureDelegationsTable
    seal_usages: SealUsagesTable
  }
}

const num = (v: number | string | null) => (v === null ? null : Number(v))

const decodeSeal = decodeRow(Seal, "seals")
const toSeal = (r: SealsTable) =>
  decodeSeal({
    id: r.id, enterpriseId: r.enterprise_id, branchId: r.branch_id, name: r.name, type: r.type, source: r.source,
    imageSha256: r.image_sha256, imageWidth: Number(r.image_width), imageHeight: Number(r.image_height), keyLabel: r.key_label,
    certificate: r.certificate, certificateSerial: r.certificate_serial, enabled: Number(r.enabled) === 1, createdBy: r.created_by,
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  })
const decodeGrant = decodeRow(SealGrant, "seal_grants")
const toGrant = (r: SealGrantsTable) =>
  decodeGrant({
    sealId: r.seal_id, userId: r.user_id, grantedBy: r.granted_by, grantedAt: Number(r.granted_at), revokedBy: r.revoked_by, revokedAt: num(r.revoked_at),
  })
const decodeSignature = decodeRow(Signature, "signatures")
const toSignature = (r: SignaturesTable) =>
  decodeSignature({
    id: r.id, ownerUserId: r.owner_user_id, source: r.source, imageSha256: r.image_sha256, imageWidth: Number(r.image_width),
    imageHeight: Number(r.image_height), createdAt: Number(r.created_at), deletedAt: num(r.deleted_at),
  })
const decodeDelegation = decodeRow(Delegation, "signature_delegations")
const toDelegation = (r: SignatureDelegationsTable) =>
  decodeDelegation({
    id: r.id, enterpriseId: r.enterprise_id, signatoryUserId: r.signatory_user_id, agentUserId: r.agent_user_id, branchId: r.branch_id,
    validFrom: Number(r.valid_from), validUntil: num(r.valid_until), createdAt: Number(r.created_at), revokedAt: num(r.revoked_at),
  })
const decodeUsage = decodeRow(UsageEntry, "seal_usages")
const toUsage = (r: SealUsagesTable) =>
  decodeUsage({
    id: r.id, enterpriseId: r.enterprise_id, kind: r.kind, sealId: r.seal_id, signatureId: r.signature_id, signatoryUserId: r.signatory_user_id,
    actorUserId: r.actor_user_id, delegationId: r.delegation_id, contractId: r.contract_id, at: Number(r.at),
    ...(r.auto_sign_id === null ? {} : { autoSignId: r.auto_sign_id }),
  })

const optional = <R, A, E>(decode: (r: R) => Effect.Effect<A, E>) => (r: R | undefined) =>
  r === undefined ? Effect.succeedNone : Effect.map(decode(r), Option.some)
const all = <R, A, E>(decode: (r: R) => Effect.Effect<A, E>) => (rows: ReadonlyArray<R>) => Effect.forEach(rows, decode)
const changed = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) > 0

export const layerSealRepository = Layer.effect(
  SealRepository,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    const atomically = atomicallyOn(db)
    // Read by every signing act of a person: built and compiled once.
    const signatureOf = compiledOnce(db, (d, userId: string) => d.selectFrom("signatures").selectAll().where("owner_user_id", "=", userId).where("deleted_at", "is", null))
    return {
      insertSeal: (s) =>
        q("seals.insert", (d) =>
          d.insertInto("seals").values({
            id: s.id, enterprise_id: s.enterpriseId, branch_id: s.branchId, name: s.name, type: s.type, source: s.source,
            image_sha256: s.imageSha256, image_width: s.imageWidth, image_height: s.imageHeight, key_label: s.keyLabel,
            certificate: s.certificate, certificate_serial: s.certificateSerial, enabled: s.enabled ? 1 : 0, created_by: s.createdBy,
            created_at: s.createdAt, updated_at: s.updatedAt,
          }).execute()).pipe(Effect.asVoid),
      findSeal: (enterpriseId, sealId) =>
        q("seals.find", (d) => d.selectFrom("seals").selectAll().where("enterprise_id", "=", enterpriseId).where("id", "=", sealId).executeTakeFirst())
          .pipe(Effect.flatMap(optional(toSeal))),
      seals: (enterpriseId) =>
        q("seals.list", (d) => d.selectFrom("seals").selectAll().where("enterprise_id", "=", enterpriseId).orderBy("created_at").orderBy("id").execute())
          .pipe(Effect.flatMap(all(toSeal))),
      setSealEnabled: (enterpriseId, sealId, enabled, at) =>
        q("seals.setEnabled", (d) =>
          d.updateTable("seals").set({ enabled: enabled ? 1 : 0, updated_at: at })
            .where("enterprise_id", "=", enterpriseId).where("id", "=", sealId).where("enabled", "=", enabled ? 0 : 1).executeTakeFirst()).pipe(Effect.map(changed)),

      grants: (sealId) =>
        q("seals.grants", (d) => d.selectFrom("seal_grants").selectAll().where("seal_id", "=", sealId).orderBy("granted_at").orderBy("user_id").execute())
          .pipe(Effect.flatMap(all(toGrant))),
      insertGrant: (g) =>
        q("seals.insertGrant", (d) =>
          d.insertInto("seal_grants").values({
            seal_id: g.sealId, user_id: g.userId, granted_by: g.grantedBy, granted_at: g.grantedAt, revoked_by: null, revoked_at: null,
          }).onConflict((oc) => oc.columns(["seal_id", "user_id"]).where("revoked_at", "is", null).doNothing()).executeTakeFirst())
          .pipe(Effect.map((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1)),
      revokeGrant: (sealId, userId, by, at) =>
        q("seals.revokeGrant", (d) =>
          d.updateTable("seal_grants").set({ revoked_by: by, revoked_at: at })
            .where("seal_id", "=", sealId).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst()).pipe(Effect.map(changed)),

      currentSignature: (userId) =>
        q("signatures.current", async (d) => (await d.executeQuery(signatureOf(userId))).rows[0])
          .pipe(Effect.flatMap(optional(toSignature))),
      replaceSignature: (s) =>
        atomically("signatures.replace", async (d) => {
          await d.updateTable("signatures").set({ deleted_at: s.createdAt }).where("owner_user_id", "=", s.ownerUserId).where("deleted_at", "is", null).execute()
          await d.insertInto("signatures").values({
            id: s.id, owner_user_id: s.ownerUserId, source: s.source, image_sha256: s.imageSha256, image_width: s.imageWidth,
            image_height: s.imageHeight, created_at: s.createdAt, deleted_at: null,
          }).execute()
        }),
      deleteSignature: (userId, at) =>
        q("signatures.delete", (d) =>
          d.updateTable("signatures").set({ deleted_at: at }).where("owner_user_id", "=", userId).where("deleted_at", "is", null).executeTakeFirst())
          .pipe(Effect.map(changed)),

      delegationsOf: (enterpriseId, signatoryUserId) =>
        q("delegations.of", (d) =>
          d.selectFrom("signature_delegations").selectAll().where("enterprise_id", "=", enterpriseId).where("signatory_user_id", "=", signatoryUserId)
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap(all(toDelegation))),
      delegationsTo: (enterpriseId, agentUserId) =>
        q("delegations.to", (d) =>
          d.selectFrom("signature_delegations").selectAll().where("enterprise_id", "=", enterpriseId).where("agent_user_id", "=", agentUserId)
            .orderBy("created_at", "desc").orderBy("id", "desc").execute()).pipe(Effect.flatMap(all(toDelegation))),
      insertDelegation: (x) =>
        q("delegations.insert", (d) =>
          d.insertInto("signature_delegations").values({
            id: x.id, enterprise_id: x.enterpriseId, signatory_user_id: x.signatoryUserId, agent_user_id: x.agentUserId, branch_id: x.branchId,
            valid_from: x.validFrom, valid_until: x.validUntil, created_at: x.createdAt, revoked_at: x.revokedAt,
          }).execute()).pipe(Effect.asVoid),
      revokeDelegation: (enterpriseId, signatoryUserId, delegationId, at) =>
        q("delegations.revoke", (d) =>
          d.updateTable("signature_delegations").set({ revoked_at: at })
            .where("enterprise_id", "=", enterpriseId).where("signatory_user_id", "=", signatoryUserId).where("id", "=", delegationId)
            .where("revoked_at", "is", null).executeTakeFirst()).pipe(Effect.map(changed)),

      insertUsage: (u) =>
        q("usages.insert", (d) =>
          d.insertInto("seal_usages").values({
            id: u.id, enterprise_id: u.enterpriseId, kind: u.kind, seal_id: u.sealId, signature_id: u.signatureId,
            signatory_user_id: u.signatoryUserId, actor_user_id: u.actorUserId, delegation_id: u.delegationId, contract_id: u.contractId, at: u.at,
            auto_sign_id: u.autoSignId ?? null,
          }).execute()).pipe(Effect.asVoid),
      usagesOfSeal: (enterpriseId, sealId, limit) =>
        q("usages.ofSeal", (d) =>
          d.selectFrom("seal_usages").selectAll().where("enterprise_id", "=", enterpriseId).where("seal_id", "=", sealId)
            .orderBy("at", "desc").orderBy("id", "desc").limit(limit).execute()).pipe(Effect.flatMap(all(toUsage))),
      usagesOfSignatory: (enterpriseId, signatoryUserId, limit) =>
        q("usages.ofSignatory", (d) =>
          d.selectFrom("seal_usages").selectAll().where("enterprise_id", "=", enterpriseId).where("signatory_user_id", "=", signatoryUserId)
            .orderBy("at", "desc").orderBy("id", "desc").limit(limit).execute()).pipe(Effect.flatMap(all(toUsage))),
    }
  }),
)
