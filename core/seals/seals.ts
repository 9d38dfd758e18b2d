/**
 * E5 印章管理: seals are added by upload or by generation, belong to a
 * branch, are enabled or disabled, and are authorized to named members.
 * Every act is checked with `can()` against the acting member as loaded for
 * this request, and leaves an evidence event in the same transaction.
 */
import { Clock, Effect, Option } from "effect"
import { Base64 } from "effect/encoding"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { recordIfChanged } from "./sealsWrite.ts"
import type { EventType } from "../evidence/Event.ts"
import { NotFound } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { SealIdentity } from "../ports/SealIdentity.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { ensureCan, resourceAt, scopeCan, visibleBranches, type OrgScope } from "../organizations/orgScope.ts"
import { can } from "../organizations/permissions.ts"
import { generateSeal } from "./image/sealImage.ts"
import { cleanUntrustedImage } from "./image/sealImageUpload.ts"
import { SEAL_TYPES, Seal, SealGrant, type SealId, type SealType, liveGrantees } from "./sealsModel.ts"
import { SealGrantTargetInvalid, SealTypeNotGenerated } from "./sealsErrors.ts"
import type { UserId } from "../kernel/Ids.ts"

/** Uploaded seal images are kept at most this many pixels across (a 42 mm seal at 300 dpi is 496). */
export const SEAL_MAX_SIDE = 600

export type SealImageSource = { readonly kind: "generate" } | { readonly kind: "upload"; readonly bytes: Uint8Array }

export interface NewSeal {
  readonly name: string
  readonly type: SealType
  readonly branchId: string
  readonly image: SealImageSource
}

const sealEvent = (type: EventType, scope: OrgScope, seal: Seal, data: Record<string, string | number | boolean | null> = {}) => ({
  type,
  subjectId: seal.id,
  role: "member",
  actor: scope.member.userId,
  data: { enterpriseId: seal.enterpriseId, branchId: seal.branchId, ...data },
})

/**
 * A seal of the actor's enterprise they may see: one of another enterprise,
 * or of a branch outside the actor's subtree, is "not found" (E4: siblings see nothing).
 */
export const visibleSeal = Effect.fn("seals.visible")(function*(scope: OrgScope, sealId: string) {
  const seal = yield* (yield* SealRepository).findSeal(scope.org.enterpriseId, sealId)
  if (Option.isNone(seal) || !scopeCan(scope, "seal.view", resourceAt(scope, seal.value.branchId))) {
    return yield* new NotFound({ entity: "seal", id: sealId })
  }
  return seal.value
})

/**
 * Adds a seal: draws it (a generated round seal with the enterprise's name)
 * or cleans an uploaded image, then has a key made and an enterprise
 * certificate issued for it, so every later use signs as this seal.
 */
export const createSeal = Effect.fn("seals.create")(function*(scope: OrgScope, input: NewSeal) {
  if (!scope.org.branches.some((b) => b.id === input.branchId)) return yield* new NotFound({ entity: "branch", id: input.branchId })
  yield* ensureCan(scope, "seal.create", resourceAt(scope, input.branchId))
  const kind = SEAL_TYPES[input.type]
  let image: { readonly png: Uint8Array; readonly width: number; readonly height: number }
  if (input.image.kind === "generate") {
    if (!kind.generated) return yield* new SealTypeNotGenerated({ type: input.type })
    const { png } = yield* generateSeal({ enterpriseName: scope.enterprise.name, use: kind.bottomText })
    // A generated 42 mm seal at 300 dpi.
    image = { png, width: 496, height: 496 }
  } else {
    image = yield* cleanUntrustedImage(input.image.bytes, SEAL_MAX_SIDE)
  }
  const id = (yield* (yield* IdGenerator).next) as string as SealId
  // The key and certificate exist before the row: a failed insert leaves an unused key, never a seal without one.
  const identity = yield* (yield* SealIdentity).issue({
    sealId: id, sealName: input.name, enterpriseName: scope.enterprise.name, creditCode: scope.enterprise.creditCode,
  })
  const imageSha256 = yield* (yield* BlobStore).put(image.png)
  const now = yield* Clock.currentTimeMillis
  const seal = new Seal({
    id, enterpriseId: scope.org.enterpriseId, branchId: input.branchId, name: input.name, type: input.type,
    source: input.image.kind === "generate" ? "generated" : "uploaded", imageSha256, imageWidth: image.width, imageHeight: image.height,
    keyLabel: identity.keyLabel, certificate: Base64.encode(identity.certificate), certificateSerial: identity.serialHex,
    enabled: true, createdBy: scope.member.userId as UserId, createdAt: now, updatedAt: now,
  })
  const repo = yield* SealRepository
  yield* withEvidence(repo.insertSeal(seal), () => sealEvent("seal.created", scope, seal, { type: seal.type, source: seal.source, certificateSerial: seal.certificateSerial }))
  return seal
})

/** 启用 / 停用: a disabled seal cannot be used by anyone until enabled again. */
export const setSealEnabled = Effect.fn("seals.setEnabled")(function*(scope: OrgScope, sealId: string, enabled: boolean) {
  const seal = yield* visibleSeal(scope, sealId)
  yield* ensureCan(scope, "seal.disable", resourceAt(scope, seal.branchId))
  const repo = yield* SealRepository
  const now = yield* Clock.currentTimeMillis
  const changed = yield* recordIfChanged(repo.setSealEnabled(scope.org.enterpriseId, seal.id, enabled, now), () =>
    sealEvent(enabled ? "seal.enabled" : "seal.disabled", scope, seal))
  return { seal: new Seal({ ...seal, enabled, updatedAt: changed ? now : seal.updatedAt }), changed }
})

/**
 * 授权: lets a member use the seal. Only a member who could use it once
 * authorized (active, a role that uses seals, the seal's branch in their
 * subtree) can be named, never the actor themselves (issue 16: nobody gives
 * themselves a grant); authorizing twice changes nothing.
 */
export const authorizeSeal = Effect.fn("seals.authorize")(function*(scope: OrgScope, sealId: string, userId: string) {
  const seal = yield* visibleSeal(scope, sealId)
  const resource = resourceAt(scope, seal.branchId)
  yield* ensureCan(scope, "seal.authorize", { ...resource, subjectUserId: userId })
  const target = yield* (yield* OrganizationRepository).member(scope.org.enterpriseId, userId)
  if (Option.isNone(target) || !can(scope.org, target.value, "seal.use", { ...resource, grantedTo: [userId] })) {
    return yield* new SealGrantTargetInvalid({ userId })
  }
  const now = yield* Clock.currentTimeMillis
  const grant = new SealGrant({ sealId: seal.id, userId: userId as UserId, grantedBy: scope.member.userId as UserId, grantedAt: now, revokedBy: null, revokedAt: null })
  const repo = yield* SealRepository
  return yield* recordIfChanged(repo.insertGrant(grant), () => sealEvent("seal.authorized", scope, seal))
})

/** 取消授权: from now on the member cannot use the seal (uses already made stay in the log). */
export const revokeSealGrant = Effect.fn("seals.revokeGrant")(function*(scope: OrgScope, sealId: string, userId: string) {
  const seal = yield* visibleSeal(scope, sealId)
  yield* ensureCan(scope, "seal.authorize", resourceAt(scope, seal.branchId))
  const repo = yield* SealRepository
  const now = yield* Clock.currentTimeMillis
  const revoked = yield* recordIfChanged(repo.revokeGrant(seal.id, userId, scope.member.userId, now), () =>
    sealEvent("seal.authorization_revoked", scope, seal))
  if (!revoked) return yield* new NotFound({ entity: "seal grant", id: `${seal.id}/${userId}` })
})

/** 印章管理 list: the seals of the actor's subtree with who may use each. */
export const listSeals = Effect.fn("seals.list")(function*(scope: OrgScope) {
  const repo = yield* SealRepository
  const branches = visibleBranches(scope)
  const seals = (yield* repo.seals(scope.org.enterpriseId)).filter((s) => branches.has(s.branchId))
  return yield* Effect.forEach(seals, (seal) => Effect.map(repo.grants(seal.id), (grants) => ({ seal, grantees: liveGrantees(grants) })))
})

/** A seal's page: the seal, its grants (revoked ones too) and its usage log (E7). */
export const sealDetails = Effect.fn("seals.details")(function*(scope: OrgScope, sealId: string, usageLimit = 100) {
  const seal = yield* visibleSeal(scope, sealId)
  const repo = yield* SealRepository
  return {
    seal,
    grants: yield* repo.grants(seal.id),
    usages: yield* repo.usagesOfSeal(scope.org.enterpriseId, seal.id, usageLimit),
  }
})

/** The seal's PNG, for members who may see the seal. */
export const sealImage = Effect.fn("seals.image")(function*(scope: OrgScope, sealId: string) {
  const seal = yield* visibleSeal(scope, sealId)
  const bytes = yield* (yield* BlobStore).get(seal.imageSha256)
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "seal image", id: sealId })
  return bytes.value
})
