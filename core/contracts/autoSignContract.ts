/**
 * 自动签署 through the partner API (issue 20): the enterprise signs its party
 * of a contract with an authorized seal, without a person, only within a live
 * authorization (unrevoked, in its window, in scope, under its count). The
 * use is counted in the signing act's transaction: over the count, the act
 * rolls back whole and nothing is written. The seal's use is logged
 * (`seal.used`) in that transaction too, and the signature carries the
 * deployment's PAdES level like every platform signature (B-T: the Tsa port's timestamp).
 */
import { Clock, Effect, Option, Result } from "effect"
import { Base64 } from "effect/encoding"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { AutoSignRefused, type AutoSignAuthorization, type AutoSignRefusal } from "../seals/AutoSignAuthorization.ts"
import { AutoSignRepository } from "../ports/AutoSignRepository.ts"
import { SealDisabled } from "../seals/sealsErrors.ts"
import { logAutoSignSealUse } from "../seals/usage.ts"
import { PadesProfile } from "../ports/PadesProfile.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { SealIdentity, SealIdentityFailed } from "../ports/SealIdentity.ts"
import { SealRepository } from "../ports/SealRepository.ts"
import { signPdf } from "../signing/signPdf.ts"
import { concat } from "../signing/pdf/bytes.ts"
import { signingDateImage, signingDateText } from "./appearances.ts"
import { Contract, type Party, type SignField } from "./Contract.ts"
import { recordSigned, signedNotices, signingEvidence, stillActing } from "./signContract.ts"
import { enterpriseSigningParty } from "./externalSigning.ts"
import { applyEvent, contractEvent, updateContract } from "./store.ts"

/** Whether the authorization covers this contract now, or why not. */
export const autoSignVerdict = (a: AutoSignAuthorization, contract: Contract, party: Party, templateId: string | undefined, now: number): AutoSignRefusal | "ok" => {
  if (a.revokedAt !== null) return "revoked"
  if (now < a.validFrom) return "notYetValid"
  if (now >= a.validUntil) return "expired"
  const inScope = a.scopeKind === "templates"
    ? templateId !== undefined && a.scopeValues.includes(templateId)
    : contract.parties.filter((p) => p.index !== party.index).every((p) => a.scopeValues.includes(p.name) || a.scopeValues.includes(p.mobile))
  if (!inScope) return "outOfScope"
  if (a.usedCount >= a.maxCount) return "overCount"
  return "ok"
}

const box = (f: SignField) => ({ page: f.page, rect: { x: f.x, y: f.y, width: f.width, height: f.height } })

export const autoSignContract = Effect.fn("contracts.autoSign")(function*(enterpriseId: string, apiKeyId: string, id: NumericId) {
  const { contract, party } = yield* enterpriseSigningParty(enterpriseId, id)
  const now = yield* Clock.currentTimeMillis
  const repo = yield* AutoSignRepository
  const templateId = yield* repo.templateOf(id)
  // Newest first: when none covers the contract, the newest one's reason is the one the caller needs.
  const verdicts = (yield* repo.listOf(enterpriseId)).map((a) => ({ a, verdict: autoSignVerdict(a, contract, party, templateId, now) }))
  const usable = verdicts.find((v) => v.verdict === "ok")
  if (usable === undefined) return yield* new AutoSignRefused({ reason: verdicts[0]?.verdict === undefined || verdicts[0].verdict === "ok" ? "none" : verdicts[0].verdict })
  const authorization = usable.a
  const seal = Option.getOrUndefined(yield* SealRepository.use((r) => r.findSeal(enterpriseId, authorization.sealId)))
  if (seal === undefined) return yield* new NotFound({ entity: "seal", id: authorization.sealId })
  if (!seal.enabled) return yield* new SealDisabled({ sealId: seal.id })
  const certificate = Base64.decode(seal.certificate)
  if (Result.isFailure(certificate)) return yield* new SealIdentityFailed({ reason: `seal ${seal.id}: stored certificate is not base64` })
  const signer = yield* (yield* SealIdentity).signer(seal.keyLabel, certificate.success)
  const blobs = yield* BlobStore
  const image = Option.getOrUndefined(yield* blobs.get(seal.imageSha256))
  const field = contract.fields.find((f) => f.partyIndex === party.index && f.kind === "seal") ?? contract.fields.find((f) => f.partyIndex === party.index && f.kind === "signature")
  const dateField = contract.fields.find((f) => f.partyIndex === party.index && f.kind === "date")
  // Like every platform signature: the deployment's level (a B-T timestamp from the Tsa port, DSS and document timestamp above).
  const pades = yield* PadesProfile
  let sha = ""
  const signed = yield* updateContract(id, (current) =>
    Effect.gen(function*() {
      yield* stillActing(current, party.index)
      const at = yield* Clock.currentTimeMillis
      const original = yield* blobs.get(current.documentSha256)
      if (Option.isNone(original)) return yield* new NotFound({ entity: "contract document", id })
      const dateImage = dateField === undefined ? null : yield* signingDateImage(at)
      const result = yield* signPdf(original.value, {
        fieldName: `Signet-${id}-party${party.index}-auto`,
        reason: `${party.name}自动签署（${seal.name}）：《${current.name}》`,
        location: "Signet",
        signerName: party.name,
        visible: field !== undefined && image !== undefined ? { ...box(field), image } : undefined,
        stamps: dateField !== undefined && dateImage !== null ? [{ ...box(dateField), image: dateImage, text: `签署日期：${signingDateText(at)}` }] : undefined,
      }, signer, pades.tsa)
      sha = yield* blobs.put(yield* pades.extend(concat([...result.parts])))
      const after = yield* applyEvent(current, { _tag: "Sign", party: String(party.index), at })
      return new Contract({ ...after, documentSha256: sha, documentVersion: current.documentVersion + 1 })
    }), signingEvidence(contractEvent("contract.signed", "api", null, {
      party: party.index, enterpriseId, sealId: seal.id, autoSignAuthorization: authorization.id, apiKeyId,
    })), (saved) =>
      Effect.gen(function*() {
        // Counted with the act: two calls racing for the last use cannot both sign.
        if (!(yield* AutoSignRepository.use((r) => r.take(authorization.id, now)))) return yield* new AutoSignRefused({ reason: "overCount" })
        yield* logAutoSignSealUse(authorization, seal.id, id)
        yield* recordSigned(saved, [sha], null, `${party.name}经接口自动签署，加盖「${seal.name}」（自动签署授权 ${authorization.id}）`)
      }), { loaded: contract, notices: signedNotices })
  return signed
})
