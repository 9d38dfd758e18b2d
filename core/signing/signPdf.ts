/**
 * Signing act: prepare the incremental update, hash every byte but the gap,
 * have the key store sign the CAdES signed attributes, optionally timestamp
 * the signature value (B-T), and write the CMS into the gap.
 */
import { Clock, Effect } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { SigningFailed, type Signer } from "../ports/Signer.ts"
import type { TsaShape } from "../ports/Tsa.ts"
import { cmsDer, signedAttributesDer } from "./cms/cades.ts"
import { fillContents } from "./pdf/sigDictionary.ts"
import { prepareSignature, signedParts, type CrossPageSeal, type SignatureStamp, type VisibleSignature } from "./pdf/prepareSignature.ts"

export interface SignPdfOptions {
  readonly fieldName?: string | undefined
  readonly reason?: string | undefined
  readonly location?: string | undefined
  readonly contactInfo?: string | undefined
  readonly signerName?: string | undefined
  readonly visible?: VisibleSignature | undefined
  readonly crossPageSeal?: CrossPageSeal | undefined
  /** Images shown with the signature outside its box (the signing date), covered by it. */
  readonly stamps?: ReadonlyArray<SignatureStamp> | undefined
  readonly certify?: boolean | undefined
  /** Bytes reserved for the CMS; by default sized from the chain plus room for a timestamp token. */
  readonly contentsSize?: number | undefined
}

export interface SignedPdf {
  /** The output file as [original, update]: write both, in order (no copy of the original). */
  readonly parts: readonly [Uint8Array, Uint8Array]
  readonly fieldName: string
  readonly byteRange: readonly [number, number, number, number]
  readonly cmsSize: number
}

/** Room for the chain, the signed attributes and, with a TSA, a token that carries its own chain. */
export const defaultContentsSize = (signer: Signer, withTimestamp: boolean): number =>
  Math.max(8192, signer.certificate.length + signer.chain.reduce((n, c) => n + c.length, 0) + 4096 + (withTimestamp ? 12288 : 0))

export const signPdf = Effect.fn("signPdf")(function* (
  pdf: Uint8Array,
  options: SignPdfOptions,
  signer: Signer,
  tsa?: TsaShape,
) {
  const crypto = yield* Crypto
  const now = yield* Clock.currentTimeMillis
  const idSeed = yield* crypto.randomBytes(16)
  const prepared = yield* prepareSignature(pdf, {
    ...options,
    signingTime: new Date(now),
    contentsSize: options.contentsSize ?? defaultContentsSize(signer, tsa !== undefined),
    idSeed,
  })
  const digest = crypto.sha256(...signedParts(prepared))
  const attrs = yield* Effect.try({
    try: () => signedAttributesDer(digest, signer.certificate, crypto.sha256(signer.certificate)),
    catch: (e) => new SigningFailed({ reason: `signer certificate: ${String(e)}` }),
  })
  const signature = yield* signer.sign(attrs.toBeSigned)
  const timestampToken = tsa ? yield* tsa.timestamp(crypto.sha256(signature)) : undefined
  const cms = cmsDer({
    algorithm: signer.algorithm,
    certificate: signer.certificate,
    chain: signer.chain,
    signedAttributes: attrs,
    signature,
    timestampToken,
  })
  const tooSmall = fillContents(prepared.update, prepared.placeholders, cms)
  if (tooSmall) return yield* tooSmall
  return {
    parts: [prepared.original, prepared.update],
    fieldName: prepared.fieldName,
    byteRange: prepared.byteRange,
    cmsSize: cms.length,
  } satisfies SignedPdf as SignedPdf
})
