/**
 * Verifies every signature of a PDF and reports, per signature, which checks
 * passed: ByteRange shape, digest, CMS signature, chain to the trust list,
 * key usage, timestamp, and what later revisions changed.
 */
import { Clock, Effect } from "effect"
import { PDFArray, PDFDict, PDFName, PDFNumber } from "pdf-lib"
import * as pkijs from "pkijs"
import { Crypto, type DigestAlgorithm } from "../../ports/Crypto.ts"
import { fromHex, latin1 } from "../pdf/bytes.ts"
import { formFields, openPdf, textOf, type PdfDocument } from "../pdf/document.ts"
import { PdfEncrypted, PdfMalformed } from "../pdf/PdfErrors.ts"
import { WebCrypto } from "../WebCrypto.ts"
import { disallowedChanges } from "./changes.ts"
import { buildChain, keyUsageBits, subjectText } from "./chain.ts"
import { checkCms, DIGEST_MISMATCH, derLength, parseSignedData, type CmsCheck } from "./cmsCheck.ts"
import { checkTimestamp } from "./timestampCheck.ts"

export interface Check {
  readonly ok: boolean
  readonly detail: string
}

export interface SignatureReport {
  readonly field: string
  readonly signer: string | undefined
  readonly algorithm: string
  readonly subFilter: string | undefined
  readonly signingTime: string | undefined
  readonly byteRange: ReadonlyArray<number>
  readonly coversWholeFile: boolean
  readonly timestampTime: string | undefined
  /** Set when the signature uses an algorithm Signet does not verify: "cannot verify", not "changed" nor "forged". */
  readonly unsupportedAlgorithm: string | undefined
  readonly checks: {
    readonly byteRange: Check
    readonly digest: Check
    readonly signature: Check
    readonly chain: Check
    readonly keyUsage: Check
    readonly timestamp: Check | undefined
    readonly changesAfter: Check
  }
  readonly valid: boolean
}

export interface VerifyReport {
  readonly valid: boolean
  readonly signatures: ReadonlyArray<SignatureReport>
}

export interface VerifyOptions {
  /** DER of trusted root certificates. */
  readonly trust: ReadonlyArray<Uint8Array>
}

const check = (ok: boolean, detail: string): Check => ({ ok, detail })

const toPdfError = (e: unknown) =>
  e instanceof PdfMalformed || e instanceof PdfEncrypted ? e : new PdfMalformed({ check: "structure", reason: String(e) })

const numbers = (doc: PdfDocument, arr: unknown): Array<number> =>
  arr instanceof PDFArray
    ? [...Array(arr.size()).keys()].map((i) => {
        const v = doc.resolve(arr.get(i))
        return v instanceof PDFNumber ? v.asNumber() : NaN
      })
    : []

const byteRangeCheck = (bytes: Uint8Array, br: ReadonlyArray<number>): Check => {
  const [a, b, c, d] = br
  if (br.length !== 4 || a !== 0 || b === undefined || c === undefined || d === undefined || !(b < c)) {
    return check(false, `ByteRange ${JSON.stringify(br)} is not [0 a b c] with a < b`)
  }
  if (c + d > bytes.length) return check(false, "ByteRange extends past the end of the file")
  const gap = latin1(bytes, b, c)
  if (!/^<[0-9a-fA-F]*>$/.test(gap)) return check(false, "the unsigned gap is not exactly the /Contents hex string")
  const tail = latin1(bytes, Math.max(0, c + d - 8), c + d)
  if (!/%%EOF\s*$/.test(tail)) return check(false, "the signed range does not end at a revision's %%EOF")
  return check(true, `covers [0, ${b}) and [${c}, ${c + d}) of ${bytes.length} bytes`)
}

const digestDetail = (cms: CmsCheck | undefined): string => {
  if (!cms) return "no parsable CMS in /Contents"
  if (cms.digestOk) return "message digest matches"
  // Only a digest Signet computed and found different means the bytes were changed.
  return cms.unsupported && !cms.problems.includes(DIGEST_MISMATCH) ? `not checked: ${cms.unsupported.message}` : "digest mismatch: the signed bytes were changed"
}

export const verifyPdf = Effect.fn("verifyPdf")(function* (bytes: Uint8Array, options: VerifyOptions) {
  const { crypto } = yield* WebCrypto
  const hash = yield* Crypto
  const now = new Date(yield* Clock.currentTimeMillis)
  const doc = yield* Effect.try({ try: () => openPdf(bytes), catch: toPdfError })
  const trust = options.trust.map((d) => pkijs.Certificate.fromBER(new Uint8Array(d)))
  const sigFields = formFields(doc).flatMap((f) => {
    const v = doc.resolve(f.dict.get(PDFName.of("V")))
    return f.dict.get(PDFName.of("FT")) === PDFName.of("Sig") && v instanceof PDFDict ? [{ name: f.fullName, sig: v }] : []
  })
  const withRanges = sigFields
    .map((f) => ({ ...f, br: numbers(doc, doc.resolve(f.sig.get(PDFName.of("ByteRange")))) }))
    .sort((x, y) => (x.br[1] ?? 0) - (y.br[1] ?? 0))
  const reports: Array<SignatureReport> = []
  for (const f of withRanges) {
    const brCheck = byteRangeCheck(bytes, f.br)
    const [, b = 0, c = 0, d = 0] = f.br
    const subFilter = (() => {
      const s = doc.resolve(f.sig.get(PDFName.of("SubFilter")))
      return s instanceof PDFName ? s.decodeText() : undefined
    })()
    const base = {
      field: f.name,
      subFilter,
      signingTime: textOf(doc.resolve(f.sig.get(PDFName.of("M")))),
      byteRange: f.br,
      coversWholeFile: brCheck.ok && c + d === bytes.length,
    }
    if (!brCheck.ok) {
      const fail = check(false, "not checked: bad ByteRange")
      reports.push({
        ...base, signer: undefined, algorithm: "unknown", timestampTime: undefined, unsupportedAlgorithm: undefined, valid: false,
        checks: { byteRange: brCheck, digest: fail, signature: fail, chain: fail, keyUsage: fail, timestamp: undefined, changesAfter: fail },
      })
      continue
    }
    const gap = fromHex(latin1(bytes, b + 1, c - 1))
    const cmsDer = gap.subarray(0, derLength(gap))
    const signedData = parseSignedData(cmsDer)
    const contentDigest = (alg: DigestAlgorithm) => hash.digest(alg, bytes.subarray(0, b), bytes.subarray(c, c + d))
    const cms = signedData ? yield* checkCms(crypto, hash.digest, signedData, contentDigest) : undefined
    const ts = cms?.timestampToken
      ? yield* checkTimestamp(crypto, hash.digest, cms.timestampToken, cms.signatureValue, trust)
      : undefined
    const at = ts?.ok && ts.time ? ts.time : now
    const chain = cms?.signerCert ? yield* buildChain(crypto, cms.signerCert, cms.certificates, trust, at) : undefined
    const ku = cms?.signerCert ? keyUsageBits(cms.signerCert) : undefined
    const kuOk = ku === undefined || (ku & 0xc0) !== 0
    const revisionEnd = c + d
    const changes = yield* Effect.try({
      try: () => (revisionEnd === bytes.length ? [] : disallowedChanges(openPdf(bytes.subarray(0, revisionEnd)), doc)),
      catch: (e) => [`cannot read the signed revision: ${String(e)}`],
    }).pipe(Effect.catch((p) => Effect.succeed(p)))
    const checks = {
      byteRange: brCheck,
      digest: check(cms?.digestOk === true, digestDetail(cms)),
      signature: check(cms?.signatureOk === true && (cms.essOk ?? true), cms ? (cms.problems.join("; ") || `${cms.algorithm} signature verifies`) : "no CMS"),
      chain: check(chain?.trusted === true, chain ? (chain.trusted ? `trusted: ${chain.path.join(" <- ")}` : chain.problems.join("; ")) : "no signer certificate"),
      keyUsage: check(kuOk, kuOk ? "digitalSignature/nonRepudiation" : "certificate key usage does not allow signing"),
      timestamp: ts ? check(ts.ok, ts.ok ? `RFC 3161 time ${ts.time?.toISOString()} by ${ts.tsa}` : ts.problems.join("; ")) : undefined,
      changesAfter: check(changes.length === 0, changes.length === 0 ? (revisionEnd === bytes.length ? "last revision" : "only signatures/fields added") : changes.join("; ")),
    }
    reports.push({
      ...base,
      signer: cms?.signerCert ? subjectText(cms.signerCert) : undefined,
      algorithm: cms?.algorithm ?? "unknown",
      timestampTime: ts?.time?.toISOString(),
      unsupportedAlgorithm: (cms?.unsupported ?? chain?.unsupported ?? ts?.unsupported)?.algorithm,
      checks,
      valid: Object.values(checks).every((x) => x === undefined || x.ok),
    })
  }
  return { valid: reports.length > 0 && reports.every((r) => r.valid), signatures: reports } satisfies VerifyReport as VerifyReport
})
