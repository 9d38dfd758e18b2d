/**
 * The checks of one signed range (ByteRange + its CMS) that do not depend on
 * the field pointing at it, computed once per distinct range: digests with
 * prefix sharing, CMS, timestamp, chain, key usage; and the typed failures of
 * the verifier.
 */
import { Effect, Schema } from "effect"
import type * as pkijs from "pkijs"
import type { CryptoShape, DigestAlgorithm, IncrementalHash } from "../../ports/Crypto.ts"
import { fromHex, latin1 } from "../pdf/bytes.ts"
import type { WorkMeter } from "../pdf/limits.ts"
import { PdfEncrypted, PdfLimitExceeded, PdfMalformed } from "../pdf/PdfErrors.ts"
import { buildChain, keyUsageBits, type ChainResult } from "./chain.ts"
import { checkCms, DIGEST_MISMATCH, derLength, parseSignedData, type CmsCheck } from "./cmsCheck.ts"
import { checkTimestamp, type TimestampCheck } from "./timestampCheck.ts"

/** A trust root given to the verifier is not a DER X.509 certificate. */
export class TrustRootInvalid extends Schema.TaggedError<TrustRootInvalid>()("TrustRootInvalid", { index: Schema.Number }) {
  override get message(): string {
    return `trust root #${this.index + 1} is not an X.509 certificate`
  }
  get messageZh(): string {
    return `第 ${this.index + 1} 个信任根证书无法读取`
  }
}

export const digestDetail = (cms: CmsCheck | undefined): string => {
  if (!cms) return "no parsable CMS in /Contents"
  if (cms.digestOk) return "message digest matches"
  // Only a digest Signet computed and found different means the bytes were changed.
  return cms.unsupported && !cms.problems.includes(DIGEST_MISMATCH) ? `not checked: ${cms.unsupported.message}` : "digest mismatch: the signed bytes were changed"
}

export interface PrefixHashes {
  /** Digest of [0, b) and [c, c + d). */
  readonly digest: (alg: DigestAlgorithm, b: number, c: number, d: number) => Uint8Array
}

/**
 * Signed ranges of successive signatures are nested: each starts with the
 * whole file up to its own /Contents gap. One running hash per algorithm
 * walks the file once; each range copies it at its gap and adds only its
 * short tail, so N signatures cost about one pass over the file, not N.
 * Ranges are asked for in increasing gap order; an earlier one restarts.
 */
export const prefixHashes = (hash: CryptoShape, bytes: Uint8Array, meter: WorkMeter): PrefixHashes => {
  const running = new Map<DigestAlgorithm, { at: number; hash: IncrementalHash }>()
  return {
    digest: (alg, b, c, d) => {
      let r = running.get(alg)
      if (!r || r.at > b) {
        r = { at: 0, hash: hash.incremental(alg) }
        running.set(alg, r)
      }
      r.hash.update(bytes.subarray(r.at, b))
      meter.bytesHashed += b - r.at + d
      r.at = b
      return r.hash.copy().update(bytes.subarray(c, c + d)).digest()
    },
  }
}

export interface RangeCheck {
  /** A document timestamp (/SubFilter /ETSI.RFC3161): `ts` stamps the range itself, `cms` and `chain` are the token's. */
  readonly docTimestamp: boolean
  readonly cms: CmsCheck | undefined
  readonly ts: TimestampCheck | undefined
  readonly chain: ChainResult | undefined
  readonly kuOk: boolean
}

/**
 * Everything about one signed range that does not depend on the field
 * pointing at it: computed once per distinct ByteRange, however many fields
 * share it, each digest algorithm hashing the range once.
 */
export const checkRange = (
  crypto: globalThis.Crypto,
  hash: CryptoShape,
  prefixes: PrefixHashes,
  bytes: Uint8Array,
  [b, c, d]: readonly [number, number, number],
  trust: ReadonlyArray<pkijs.Certificate>,
  now: Date,
  docTimestamp = false,
): Effect.Effect<RangeCheck> =>
  Effect.gen(function* () {
    const gap = fromHex(latin1(bytes, b + 1, c - 1))
    const signedData = parseSignedData(gap.subarray(0, derLength(gap)))
    const digests = new Map<DigestAlgorithm, Uint8Array>()
    const contentDigest = (alg: DigestAlgorithm) => {
      let digest = digests.get(alg)
      if (!digest) {
        digest = prefixes.digest(alg, b, c, d)
        digests.set(alg, digest)
      }
      return digest
    }
    if (docTimestamp) {
      const ts = yield* checkTimestamp(crypto, hash.digest, gap.subarray(0, derLength(gap)), contentDigest, trust)
      return { docTimestamp, cms: ts.cms, ts, chain: ts.chain, kuOk: true }
    }
    const cms = signedData ? yield* checkCms(crypto, hash.digest, signedData, contentDigest) : undefined
    const ts = cms?.timestampToken ? yield* checkTimestamp(crypto, hash.digest, cms.timestampToken, cms.signatureValue, trust) : undefined
    const at = ts?.ok && ts.time ? ts.time : now
    const chain = cms?.signerCert ? yield* buildChain(crypto, cms.signerCert, cms.certificates, trust, at) : undefined
    const ku = cms?.signerCert ? keyUsageBits(cms.signerCert) : undefined
    return { docTimestamp, cms, ts, chain, kuOk: ku === undefined || (ku & 0xc0) !== 0 }
  }).pipe(
    // pkijs throws on CMS structures its schemas accept but its code does not expect: an unreadable CMS, not a crash.
    Effect.catchDefect(() => Effect.succeed({ docTimestamp, cms: undefined, ts: undefined, chain: undefined, kuOk: false })),
  )

/** Anything thrown while reading the file becomes a typed failure; a stack trace never leaves the verifier. */
export const asTypedFailure = (defect: unknown): PdfMalformed | PdfEncrypted | PdfLimitExceeded | TrustRootInvalid =>
  defect instanceof PdfMalformed || defect instanceof PdfEncrypted || defect instanceof PdfLimitExceeded || defect instanceof TrustRootInvalid
    ? defect
    : new PdfMalformed({ check: "unexpected", reason: defect instanceof Error ? defect.message : String(defect) })

