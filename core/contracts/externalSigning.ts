/**
 * Deferred signing (签署方持有密钥): the platform prepares the party's
 * revision and the CMS signed attributes; the key that signs them stays with
 * the signer (a USB-Key through `signet agent`, an embedder's HSM through the
 * API); the platform then embeds the CMS with a B-T timestamp, checks the
 * result with its own verifier and records the act. One prepared signature is
 * completed at most once, within ten minutes, on the document it was prepared on.
 */
import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { Crypto } from "../ports/Crypto.ts"
import { Tsa } from "../ports/Tsa.ts"
import { TrustList } from "../ports/TrustList.ts"
import { cmsDer, signedAttributesDer } from "../signing/cms/cades.ts"
import { sequence, tlv, TAG } from "../signing/cms/der.ts"
import { concat, fromHex, toHex } from "../signing/pdf/bytes.ts"
import { prepareSignature, signedParts } from "../signing/pdf/prepareSignature.ts"
import { verifyPdf } from "../signing/verify/verifyPdf.ts"
import { signingDateImage, signingDateText, writtenName } from "./appearances.ts"
import { chainFor, checkCertificateForParty } from "./certificateOwner.ts"
import { Contract, isEnterpriseParty, type Party, type SignField } from "./Contract.ts"
import { openContract } from "./access.ts"
import { ExternalSignatureInvalid, PREPARED_SIGNATURE_TTL_MS, PreparedExternalSignature, PreparedSignatureExpired, PreparedSignatureNotFound, PreparedSignatureStale, PreparedSignatureUsed } from "./ExternalSignature.ts"
import { ExternalSignatureRepository } from "../ports/ExternalSignatureRepository.ts"
import { actingParty, recordSigned, signedNotices, signingEvidence, stillActing } from "./signContract.ts"
import { applyEvent, contractEvent, updateContract } from "./store.ts"

/** Who asks: a person in the portal (the party itself, or acting for its enterprise), or a partner system's API key. */
export type ExternalSigner =
  | { readonly kind: "user"; readonly user: User }
  | { readonly kind: "api"; readonly apiKeyId: string }

const actorOf = (s: ExternalSigner) => (s.kind === "user" ? `user:${s.user.id}` : `api:${s.apiKeyId}`)

/** What the key must sign, and what to show the signer before it does. */
export interface ExternalSigningRequest {
  readonly preparedId: string
  readonly expiresAt: number
  readonly contract: { readonly id: string; readonly name: string; readonly documentSha256: string }
  readonly party: { readonly index: number; readonly name: string }
  readonly fieldName: string
  readonly algorithm: "ECDSA-P256-SHA256" | "RSA-PKCS1-SHA256"
  /** DER of the CMS signed attributes (a SET): sign these bytes with SHA-256. */
  readonly toBeSigned: Uint8Array
  /** Digests of `toBeSigned`, for keys that sign a digest (CKM_ECDSA, CKM_RSA_PKCS over a DigestInfo). */
  readonly digests: { readonly "SHA-256": string }
}

const box = (f: SignField) => ({ page: f.page, rect: { x: f.x, y: f.y, width: f.width, height: f.height } })


/**
 * Prepares the party's signature at `field` (its signature box, or its seal
 * box for an enterprise) for the certificate the signer brings: refused at
 * once when the certificate cannot sign for the party. The revision is kept,
 * not written to the contract: the contract changes only on completion.
 */
export const prepareExternalSignature = Effect.fn("contracts.prepareExternalSignature")(function*(
  contract: Contract,
  party: Party,
  field: SignField | undefined,
  certificate: Uint8Array,
  chain: ReadonlyArray<Uint8Array>,
  signer: ExternalSigner,
) {
  const now = yield* Clock.currentTimeMillis
  chain = yield* chainFor(certificate, chain)
  const { facts } = yield* checkCertificateForParty(certificate, chain, party, signer.kind === "user" ? signer.user : undefined, now)
  const crypto = yield* Crypto
  const blobs = yield* BlobStore
  const original = yield* blobs.get(contract.documentSha256)
  if (Option.isNone(original)) return yield* new NotFound({ entity: "contract document", id: contract.id })
  const dateField = contract.fields.find((f) => f.partyIndex === party.index && f.kind === "date")
  const image = field === undefined ? null : yield* writtenName(party.name)
  const dateImage = dateField === undefined ? null : yield* signingDateImage(now)
  const fieldName = `Signet-${contract.id}-party${party.index}-key`
  const prepared = yield* prepareSignature(original.value, {
    fieldName,
    reason: `${party.name}使用数字证书签署《${contract.name}》`,
    location: "Signet",
    signerName: facts.subject,
    signingTime: new Date(now),
    visible: field !== undefined && image !== null ? { ...box(field), image } : undefined,
    stamps: dateField !== undefined && dateImage !== null ? [{ ...box(dateField), image: dateImage, text: `签署日期：${signingDateText(now)}` }] : undefined,
    // The chain plus a timestamp token that carries its own chain.
    contentsSize: Math.max(8192, certificate.length + chain.reduce((n, c) => n + c.length, 0) + 4096 + 12288),
    idSeed: yield* crypto.randomBytes(16),
  })
  const contentDigest = crypto.sha256(...signedParts(prepared))
  const attrs = signedAttributesDer(contentDigest, certificate, crypto.sha256(certificate))
  const preparedSha256 = yield* blobs.put(concat([prepared.original, prepared.update]))
  const record = new PreparedExternalSignature({
    id: toHex(yield* crypto.randomBytes(16)),
    contractId: contract.id,
    partyIndex: party.index,
    fieldName,
    actor: actorOf(signer),
    baseSha256: contract.documentSha256,
    preparedSha256,
    contentsStart: prepared.byteRange[1],
    contentsEnd: prepared.byteRange[2],
    contentDigest: toHex(contentDigest),
    certificate: toHex(certificate),
    createdAt: now,
    expiresAt: now + PREPARED_SIGNATURE_TTL_MS,
    completedAt: null,
  })
  yield* ExternalSignatureRepository.use((r) => r.insert(record))
  return {
    preparedId: record.id,
    expiresAt: record.expiresAt,
    contract: { id: contract.id, name: contract.name, documentSha256: contract.documentSha256 },
    party: { index: party.index, name: party.name },
    fieldName,
    algorithm: facts.algorithm,
    toBeSigned: attrs.toBeSigned,
    digests: { "SHA-256": toHex(crypto.sha256(attrs.toBeSigned)) },
  } satisfies ExternalSigningRequest as ExternalSigningRequest
})

/** An ECDSA value given as raw r||s (WebCrypto, some HSM APIs) becomes the DER Ecdsa-Sig-Value CMS carries. */
const ecdsaDer = (value: Uint8Array): Uint8Array => {
  if (value.length !== 64) return value
  const int = (b: Uint8Array) => {
    let i = 0
    while (i < b.length - 1 && b[i] === 0) i++
    const v = b.subarray(i)
    return tlv(TAG.integer, (v[0] ?? 0) & 0x80 ? concat([new Uint8Array([0]), v]) : v)
  }
  return sequence(int(value.subarray(0, 32)), int(value.subarray(32)))
}

/** The prepared signature, if this signer made it (anyone else's id is "not found"). */
export const findPrepared = Effect.fn("contracts.findPrepared")(function*(preparedId: string, signer: ExternalSigner) {
  const p = yield* ExternalSignatureRepository.use((r) => r.find(preparedId))
  if (p === undefined || p.actor !== actorOf(signer)) return yield* new PreparedSignatureNotFound()
  return p
})

/**
 * Completes a prepared signature with the value the signer's key made over
 * the signed attributes and the certificate chain (the signer's certificate
 * first): the CMS is embedded with a B-T timestamp, the file is checked with
 * the verifier, and the act with its evidence (certificate serial and issuer,
 * the key held by the signer, the document hash) commits in one transaction
 * with the prepared signature marked used.
 */
export const completeExternalSignature = Effect.fn("contracts.completeExternalSignature")(function*(
  preparedId: string,
  signer: ExternalSigner,
  signatureValue: Uint8Array,
  certificateChain: ReadonlyArray<Uint8Array>,
  /** Recorded with the act: how the signer's will was confirmed (the token PIN, an auto-signing authorization). */
  confirmation: Record<string, string | number | boolean | null> = {},
) {
  const p = yield* findPrepared(preparedId, signer)
  const now = yield* Clock.currentTimeMillis
  if (p.completedAt !== null) return yield* new PreparedSignatureUsed()
  if (now >= p.expiresAt) return yield* new PreparedSignatureExpired()
  const [certificate, ...given] = certificateChain
  if (certificate === undefined || toHex(certificate) !== p.certificate) {
    return yield* new ExternalSignatureInvalid({ reason: "证书与准备签署时所用的证书不一致" })
  }
  const chain = yield* chainFor(certificate, given)
  const contract = yield* currentContract(p.contractId)
  const party = contract.parties[p.partyIndex]
  if (party === undefined) return yield* new PreparedSignatureNotFound()
  if (contract.documentSha256 !== p.baseSha256) return yield* new PreparedSignatureStale()
  // Ownership and revocation again: the certificate may have been revoked in the ten minutes.
  const { facts, revocation } = yield* checkCertificateForParty(certificate, chain, party, signer.kind === "user" ? signer.user : undefined, now)
  const crypto = yield* Crypto
  const blobs = yield* BlobStore
  const stored = yield* blobs.get(p.preparedSha256)
  if (Option.isNone(stored)) return yield* new NotFound({ entity: "prepared signature document", id: p.id })
  const signature = facts.algorithm === "ECDSA-P256-SHA256" ? ecdsaDer(signatureValue) : signatureValue
  const timestampToken = yield* (yield* Tsa).timestamp(crypto.sha256(signature))
  const cms = cmsDer({
    algorithm: facts.algorithm,
    certificate,
    chain,
    signedAttributes: signedAttributesDer(fromHex(p.contentDigest), certificate, crypto.sha256(certificate)),
    signature,
    timestampToken,
  })
  const reserved = (p.contentsEnd - p.contentsStart - 2) / 2
  if (cms.length > reserved) return yield* new ExternalSignatureInvalid({ reason: `签名数据过大（${cms.length} 字节，预留 ${reserved} 字节）` })
  const bytes = new Uint8Array(stored.value)
  bytes.set(new TextEncoder().encode(toHex(cms)), p.contentsStart + 1)
  // The verifier's word on the finished file: digest, signature value and chain to the trust list.
  const report = yield* verifyPdf(bytes, { trust: (yield* TrustList).roots }).pipe(
    Effect.mapError((e) => new ExternalSignatureInvalid({ reason: `文件无法校验（${e._tag}）` })),
  )
  const mine = report.signatures.find((s) => s.field === p.fieldName)
  if (mine === undefined || !mine.signatureValid) {
    const failed = mine === undefined ? ["未找到签名"] : Object.entries(mine.checks).filter(([k, c]) => k !== "changesAfter" && c !== undefined && !c.ok).map(([k, c]) => `${k}: ${c!.detail}`)
    return yield* new ExternalSignatureInvalid({ reason: failed.join("；") })
  }
  const sha = yield* blobs.put(bytes)
  const actorUserId = signer.kind === "user" ? signer.user.id : null
  const signed = yield* updateContract(p.contractId, (current) =>
    Effect.gen(function*() {
      // Another party's signature landed after preparing: what was signed is not the file any more.
      if (current.documentSha256 !== p.baseSha256) return yield* new PreparedSignatureStale()
      yield* stillActing(current, p.partyIndex)
      const after = yield* applyEvent(current, { _tag: "Sign", party: String(p.partyIndex), at: now })
      return new Contract({ ...after, documentSha256: sha, documentVersion: current.documentVersion + 1 })
    }), signingEvidence(contractEvent("contract.signed", signer.kind === "user" ? "party" : "api", actorUserId, {
      party: p.partyIndex,
      keyHeld: "signer",
      preparedId: p.id,
      certificateSerial: facts.serialHex,
      certificateIssuer: facts.issuer,
      certificateSubject: facts.subject,
      revocation: revocation.status,
      revocationSource: revocation.source,
      signedDigest: p.contentDigest,
      ...(signer.kind === "api" ? { apiKeyId: signer.apiKeyId } : {}),
      ...confirmation,
    })), (saved) =>
      Effect.gen(function*() {
        // A second completion (a replay, another instance) finds it used and its whole act rolls back.
        if (!(yield* ExternalSignatureRepository.use((r) => r.complete(p.id, now)))) return yield* new PreparedSignatureUsed()
        yield* recordSigned(saved, [sha], actorUserId, `${party.name} 使用数字证书（序列号 ${facts.serialHex}）签署`)
      }), { notices: signedNotices })
  return { contract: signed, signer: mine.signer, certificateSerial: facts.serialHex }
})

const currentContract = (id: NumericId) =>
  Effect.flatMap(ContractRepository.use((r) => r.find(id)), (c) => Option.isSome(c) ? Effect.succeed(c.value) : Effect.fail(new NotFound({ entity: "contract", id })))

/** The party's box for a signature made with its own key: an enterprise's seal box, a person's signature box. */
const fieldFor = (contract: Contract, party: Party) =>
  contract.fields.find((f) => f.partyIndex === party.index && f.kind === (isEnterpriseParty(party) ? "seal" : "signature")) ??
    contract.fields.find((f) => f.partyIndex === party.index && f.kind === "signature")

/** Portal: the user prepares their own party's signature, or an enterprise party's they may sign for (its turn, as for the SMS way). */
export const prepareForUser = Effect.fn("contracts.prepareForUser")(function*(
  user: User, id: NumericId, certificate: Uint8Array, chain: ReadonlyArray<Uint8Array>, partyIndex?: number,
) {
  const access = yield* openContract(id, user)
  const party = yield* actingParty(access, partyIndex)
  return yield* prepareExternalSignature(access.contract, party, fieldFor(access.contract, party), certificate, chain, { kind: "user", user })
})

/**
 * The enterprise's party on a contract it is a party of, when it may sign now.
 * Any other contract (not a party, a draft, none at all) is "not found", so ids reveal nothing.
 */
export const enterpriseSigningParty = Effect.fn("contracts.enterpriseSigningParty")(function*(enterpriseId: string, id: NumericId) {
  const { contract, party } = yield* enterprisePartyOf(enterpriseId, id)
  return { contract, party: yield* stillActing(contract, party.index) }
})

/** The enterprise's party on the contract (its first still waiting), whatever its state; "not found" if it is not a party. */
export const enterprisePartyOf = Effect.fn("contracts.enterprisePartyOf")(function*(enterpriseId: string, id: NumericId) {
  const found = Option.getOrUndefined(yield* ContractRepository.use((r) => r.find(id)))
  const ours = found?.parties.filter((p) => p.enterpriseId === enterpriseId) ?? []
  if (found === undefined || ours.length === 0 || found.status === "draft") return yield* new NotFound({ entity: "contract", id })
  return { contract: found, party: ours.find((p) => p.status === "waiting") ?? ours[0]! }
})

/**
 * Partner API: the key's enterprise prepares its own party's signature on a
 * contract it is a party of (any other contract is "not found").
 */
export const prepareForEnterprise = Effect.fn("contracts.prepareForEnterprise")(function*(
  enterpriseId: string, apiKeyId: string, id: NumericId, certificate: Uint8Array, chain: ReadonlyArray<Uint8Array>,
) {
  const { contract, party } = yield* enterpriseSigningParty(enterpriseId, id)
  return yield* prepareExternalSignature(contract, party, fieldFor(contract, party), certificate, chain, { kind: "api", apiKeyId })
})

/** Completes a prepared signature addressed by contract and prepared id: one prepared for another contract is "not found". */
export const completeOnContract = Effect.fn("contracts.completeOnContract")(function*(
  id: NumericId, preparedId: string, signer: ExternalSigner, signatureValue: Uint8Array, certificateChain: ReadonlyArray<Uint8Array>,
  confirmation: Record<string, string | number | boolean | null>,
) {
  const p = yield* findPrepared(preparedId, signer)
  if (p.contractId !== id) return yield* new PreparedSignatureNotFound()
  return yield* completeExternalSignature(preparedId, signer, signatureValue, certificateChain, confirmation)
})
