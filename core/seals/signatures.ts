/**
 * E6 签名管理: a signatory keeps one handwritten signature, uploaded as an
 * image or drawn on the page, and may delete it. The same image is drawn at
 * the person's own signature fields (their personal signing identity) and,
 * through a delegation, where an agent signs in their name.
 */
import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { recordIfChanged } from "./sealsWrite.ts"
import type { UserId } from "../kernel/Ids.ts"
import { NotFound } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { ensureCan, resourceAt, type OrgScope } from "../organizations/orgScope.ts"
import { cleanUntrustedImage } from "./image/sealImageUpload.ts"
import { Signature, type SignatureId } from "./signaturesModel.ts"

/** Signatures are kept at most this many pixels across. */
export const SIGNATURE_MAX_SIDE = 800

/** The actor's own signature as a resource: only its owner manages it. */
export const ownSignature = (scope: OrgScope) => resourceAt(scope, undefined, { ownerUserId: scope.member.userId })

/**
 * Makes a cleaned image the person's one signature (the previous one is kept as deleted), with its evidence:
 * the one write behind 签名管理 (inside an enterprise) and 个人账户 (as a person).
 */
export const storeSignature = Effect.fn("signatures.store")(function*(
  ownerUserId: UserId,
  image: { readonly png: Uint8Array; readonly width: number; readonly height: number },
  source: Signature["source"],
  enterpriseId: string | null,
) {
  const imageSha256 = yield* (yield* BlobStore).put(image.png)
  const signature = new Signature({
    id: (yield* (yield* IdGenerator).next) as string as SignatureId,
    ownerUserId, source, imageSha256, imageWidth: image.width, imageHeight: image.height,
    createdAt: yield* Clock.currentTimeMillis, deletedAt: null,
  })
  const repo = yield* SealRepository
  yield* withEvidence(repo.replaceSignature(signature), () => ({
    type: "signature.uploaded", subjectId: signature.id, role: enterpriseId === null ? "person" : "member", actor: ownerUserId,
    data: { enterpriseId, source },
  }))
  return signature
})

/** Deletes the person's current signature; false when they had none. */
export const removeSignature = Effect.fn("signatures.remove")(function*(ownerUserId: UserId, enterpriseId: string | null) {
  const repo = yield* SealRepository
  const current = yield* repo.currentSignature(ownerUserId)
  if (Option.isNone(current)) return false
  const now = yield* Clock.currentTimeMillis
  return yield* recordIfChanged(repo.deleteSignature(ownerUserId, now), () => ({
    type: "signature.deleted", subjectId: current.value.id, role: enterpriseId === null ? "person" : "member", actor: ownerUserId,
    data: { enterpriseId },
  }))
})

/** Replaces the signatory's signature with an uploaded or drawn image (checked, background made transparent, trimmed). */
export const saveSignature = Effect.fn("signatures.save")(function*(scope: OrgScope, bytes: Uint8Array, source: Signature["source"]) {
  yield* ensureCan(scope, "signature.manage", ownSignature(scope))
  const image = yield* cleanUntrustedImage(bytes, SIGNATURE_MAX_SIDE)
  return yield* storeSignature(scope.member.userId as UserId, image, source, scope.org.enterpriseId)
})

/**
 * Deletes the signatory's signature. Delegations stay as they are, but
 * nobody can sign with a signature that is gone until a new one is saved.
 */
export const deleteSignature = Effect.fn("signatures.delete")(function*(scope: OrgScope) {
  yield* ensureCan(scope, "signature.manage", ownSignature(scope))
  const deleted = yield* removeSignature(scope.member.userId as UserId, scope.org.enterpriseId)
  if (!deleted) return yield* new NotFound({ entity: "signature", id: scope.member.userId })
})

/** The signatory's signature page: their signature, delegations and the uses of their signature here (E7). */
export const signatureDetails = Effect.fn("signatures.details")(function*(scope: OrgScope, usageLimit = 100) {
  yield* ensureCan(scope, "signature.manage", ownSignature(scope))
  const repo = yield* SealRepository
  return {
    signature: yield* repo.currentSignature(scope.member.userId),
    delegations: yield* repo.delegationsOf(scope.org.enterpriseId, scope.member.userId),
    usages: yield* repo.usagesOfSignatory(scope.org.enterpriseId, scope.member.userId, usageLimit),
  }
})

/** The PNG of the actor's own current signature. */
export const ownSignatureImage = Effect.fn("signatures.image")(function*(scope: OrgScope) {
  yield* ensureCan(scope, "signature.manage", ownSignature(scope))
  const current = yield* (yield* SealRepository).currentSignature(scope.member.userId)
  const bytes = Option.isSome(current) ? yield* (yield* BlobStore).get(current.value.imageSha256) : Option.none()
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "signature", id: scope.member.userId })
  return bytes.value
})

/**
 * The person's handwritten signature image, for their personal signature
 * fields; null when they have none, or where no signature store is wired
 * (then signatures stay invisible, as before signature management).
 */
export const handwrittenImage = (userId: string) =>
  Effect.gen(function*() {
    const repo = yield* Effect.serviceOption(SealRepository)
    const blobs = yield* Effect.serviceOption(BlobStore)
    if (Option.isNone(repo) || Option.isNone(blobs)) return null
    const current = yield* repo.value.currentSignature(userId)
    if (Option.isNone(current)) return null
    return Option.getOrNull(yield* blobs.value.get(current.value.imageSha256))
  })
