/**
 * Using a seal or a signature at signing time (E5-E7). Rights are read live
 * for every use (membership, grants, delegations): a deactivated member, a
 * revoked grant or delegation, an expired window or a disabled seal stops the
 * next use at once. Every use is logged with its evidence event in one
 * transaction, and the caller gets what the signing engine needs.
 */
import { Clock, Effect, Option, Result } from "effect"
import { Base64 } from "effect/encoding"
import type { User } from "../accounts/User.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import type { UserId } from "../kernel/Ids.ts"
import { NotFound } from "../kernel/errors.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { OrganizationRepository } from "../ports/OrganizationRepository.ts"
import { SealIdentity, SealIdentityFailed } from "../ports/SealIdentity.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import type { Signer } from "../ports/Signer.ts"
import { SigningIdentity } from "../ports/SigningIdentity.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { liveDelegation } from "./delegation.ts"
import { headOfficeId } from "../organizations/Organization.ts"
import { can } from "../organizations/permissions.ts"
import { liveGrantees, type Seal } from "./sealsModel.ts"
import { SealDisabled, SealNotAuthorized, SignatureMissing, SignatureNotDelegated } from "./sealsErrors.ts"
import type { Signature } from "./signaturesModel.ts"
import { UsageEntry, type UsageId } from "./usageLog.ts"

/** Where a seal or signature is used. */
export interface UseContext {
  readonly contractId: string
  /**
   * The branch the contract belongs to: a delegation scoped to a branch
   * covers only contracts of that branch's subtree. The head office when omitted.
   */
  readonly branchId?: string | undefined
}

/** A seal released for one signing act: sign with `signer`, draw `image` (PNG) in the field. */
export interface ReleasedSeal {
  readonly seal: Seal
  readonly signer: Signer
  readonly image: Uint8Array
  readonly usage: UsageEntry
}

/** A signature released for one signing act: the signatory's own key and certificate, their handwritten image. */
export interface ReleasedSignature {
  readonly signature: Signature
  readonly signatory: User
  readonly signer: Signer
  readonly image: Uint8Array
  readonly usage: UsageEntry
}

const imageOf = (sha256: string, what: string, id: string) =>
  Effect.flatMap(BlobStore.use((b) => b.get(sha256)), (bytes) =>
    Option.isSome(bytes) ? Effect.succeed(bytes.value) : Effect.fail(new NotFound({ entity: what, id })))

const logUse = (entry: Omit<UsageEntry, "id" | "at">, event: { readonly type: "seal.used" | "signature.used"; readonly subjectId: string }) =>
  Effect.gen(function*() {
    const usage = new UsageEntry({ ...entry, id: (yield* (yield* IdGenerator).next) as string as UsageId, at: yield* Clock.currentTimeMillis })
    const repo = yield* SealRepository
    yield* withEvidence(repo.insertUsage(usage), () => ({
      ...event, role: "member", actor: usage.actorUserId,
      data: { enterpriseId: usage.enterpriseId, contractId: usage.contractId, usageId: usage.id, delegationId: usage.delegationId },
    }))
    return usage
  })

/**
 * 自动签署 (issue 20): the seal's use under an authorization, logged as any use is (`seal.used`); the actor is
 * the admin who granted the authorization. Run it in the signing act's transaction: the log and the act commit together.
 */
export const logAutoSignSealUse = (authorization: { readonly id: string; readonly enterpriseId: string; readonly grantedBy: string }, sealId: string, contractId: string) =>
  logUse({
    enterpriseId: authorization.enterpriseId, kind: "seal", sealId, signatureId: null, signatoryUserId: null,
    actorUserId: authorization.grantedBy as UserId, delegationId: null, contractId, autoSignId: authorization.id,
  }, { type: "seal.used", subjectId: sealId })

/**
 * Releases an enterprise seal to `actorUserId` for one contract: they must be
 * an active member authorized to the seal (a live grant) whose branch subtree
 * holds the seal's branch, and the seal must be enabled.
 */
export const useSeal = Effect.fn("seals.use")(function*(actorUserId: string, enterpriseId: string, sealId: string, context: UseContext) {
  const orgs = yield* OrganizationRepository
  const repo = yield* SealRepository
  const found = yield* repo.findSeal(enterpriseId, sealId)
  const member = yield* orgs.member(enterpriseId, actorUserId)
  if (Option.isNone(found) || Option.isNone(member)) return yield* new NotFound({ entity: "seal", id: sealId })
  const seal = found.value
  const org = yield* orgs.org(enterpriseId)
  const grantedTo = liveGrantees(yield* repo.grants(seal.id))
  if (!can(org, member.value, "seal.use", { enterpriseId, branchId: seal.branchId, grantedTo })) return yield* new SealNotAuthorized({ sealId })
  if (!seal.enabled) return yield* new SealDisabled({ sealId })
  const certificate = Base64.decode(seal.certificate)
  if (Result.isFailure(certificate)) return yield* new SealIdentityFailed({ reason: `seal ${seal.id}: stored certificate is not base64` })
  const signer = yield* (yield* SealIdentity).signer(seal.keyLabel, certificate.success)
  const image = yield* imageOf(seal.imageSha256, "seal image", seal.id)
  const usage = yield* logUse({
    enterpriseId, kind: "seal", sealId: seal.id, signatureId: null, signatoryUserId: null, actorUserId: actorUserId as UserId,
    delegationId: null, contractId: context.contractId,
  }, { type: "seal.used", subjectId: seal.id })
  return { seal, signer, image, usage } satisfies ReleasedSeal as ReleasedSeal
})

/**
 * Releases a signatory's signature for one contract of the enterprise: to the
 * signatory themselves, or to an agent holding a live delegation for this
 * contract's branch. The signatory must still be an active signatory of the
 * enterprise and have a signature on file.
 */
export const useSignature = Effect.fn("signatures.use")(function*(actorUserId: string, signatoryUserId: string, enterpriseId: string, context: UseContext) {
  const orgs = yield* OrganizationRepository
  const repo = yield* SealRepository
  const actor = yield* orgs.member(enterpriseId, actorUserId)
  const owner = yield* orgs.member(enterpriseId, signatoryUserId)
  if (Option.isNone(actor) || Option.isNone(owner)) return yield* new NotFound({ entity: "signatory", id: signatoryUserId })
  const refused = new SignatureNotDelegated({ signatoryUserId })
  if (!owner.value.active || !owner.value.roles.includes("signatory")) return yield* refused
  const org = yield* orgs.org(enterpriseId)
  const branchId = context.branchId ?? headOfficeId(enterpriseId)
  const now = yield* Clock.currentTimeMillis
  const delegation = actorUserId === signatoryUserId
    ? undefined
    : liveDelegation(yield* repo.delegationsOf(enterpriseId, signatoryUserId), org, actorUserId, branchId, now)
  const resource = { enterpriseId, branchId, ownerUserId: signatoryUserId, ownerBranchId: owner.value.branchId, grantedTo: delegation === undefined ? [] : [actorUserId] }
  if (!can(org, actor.value, "signature.use", resource)) return yield* refused
  const signature = yield* repo.currentSignature(signatoryUserId)
  if (Option.isNone(signature)) return yield* new SignatureMissing({ signatoryUserId })
  const signatory = yield* (yield* UserRepository).findById(signatoryUserId as UserId)
  if (Option.isNone(signatory)) return yield* new NotFound({ entity: "signatory", id: signatoryUserId })
  const { signer } = yield* (yield* SigningIdentity).person(signatory.value)
  const image = yield* imageOf(signature.value.imageSha256, "signature image", signature.value.id)
  const usage = yield* logUse({
    enterpriseId, kind: "signature", sealId: null, signatureId: signature.value.id, signatoryUserId: signatoryUserId as UserId,
    actorUserId: actorUserId as UserId, delegationId: delegation?.id ?? null, contractId: context.contractId,
  }, { type: "signature.used", subjectId: signature.value.id })
  return { signature: signature.value, signatory: signatory.value, signer, image, usage } satisfies ReleasedSignature as ReleasedSignature
})
