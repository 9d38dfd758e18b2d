/**
 * Verifies every signature of a PDF and reports, per signature, which checks
 * passed: ByteRange shape, digest, CMS signature, chain to the trust list,
 * key usage, timestamp, and what later revisions changed.
 */
import { Clock, Effect } from "effect"
import { PDFArray, PDFDict, PDFName, PDFNumber } from "pdf-lib"
import * as pkijs from "pkijs"
import { Crypto } from "../../ports/Crypto.ts"
import { latin1 } from "../pdf/bytes.ts"
import { formFields, openPdf, textOf, type PdfDocument } from "../pdf/document.ts"
import { workMeter, type PdfLimits, type WorkMeter } from "../pdf/limits.ts"
import { PdfEncrypted, PdfLimitExceeded, PdfMalformed } from "../pdf/PdfErrors.ts"
import { WebCrypto } from "../WebCrypto.ts"
import { disallowedChanges } from "./changes.ts"
import { subjectText } from "./chain.ts"
import { asTypedFailure, checkRange, digestDetail, prefixHashes, TrustRootInvalid, type RangeCheck } from "./rangeCheck.ts"

export interface Check {
  readonly ok: boolean
  readonly detail: string
}

export { TrustRootInvalid } from "./rangeCheck.ts"

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
  /** Caps on reading the file (default: defaultPdfLimits, 64 MiB of decoded streams). */
  readonly limits?: Partial<PdfLimits> | undefined
  /** Counts the work done (bytes hashed, objects parsed, bytes decoded); a fresh meter by default. */
  readonly meter?: WorkMeter | undefined
}



const check = (ok: boolean, detail: string): Check => ({ ok, detail })

const toPdfError = (e: unknown) =>
  e instanceof PdfMalformed || e instanceof PdfEncrypted || e instanceof PdfLimitExceeded ? e : new PdfMalformed({ check: "structure", reason: String(e) })

const numbers = (doc: PdfDocument, arr: unknown): Array<number> =>
  arr instanceof PDFArray
    ? [...Array(arr.size()).keys()].map((i) => {
        const v = doc.resolve(arr.get(i))
        return v instanceof PDFNumber ? v.asNumber() : NaN
      })
    : []

const byteRangeCheck = (bytes: Uint8Array, br: ReadonlyArray<number>): Check => {
  const [a, b, c, d] = br
  if (br.length !== 4 || a !== 0 || b === undefined || c === undefined || d === undefined || !(b < c) || br.some((x) => !Number.isSafeInteger(x) || x < 0)) {
    return check(false, `ByteRange ${JSON.stringify(br)} is not [0 a b c] with a < b`)
  }
  if (c + d > bytes.length) return check(false, "ByteRange extends past the end of the file")
  const gap = latin1(bytes, b, c)
  if (!/^<[0-9a-fA-F]*>$/.test(gap)) return check(false, "the unsigned gap is not exactly the /Contents hex string")
  if (gap.length % 2 !== 0) return check(false, "the /Contents hex string has an odd number of digits")
  const tail = latin1(bytes, Math.max(0, c + d - 8), c + d)
  if (!/%%EOF\s*$/.test(tail)) return check(false, "the signed range does not end at a revision's %%EOF")
  return check(true, `covers [0, ${b}) and [${c}, ${c + d}) of ${bytes.length} bytes`)
}

export const verifyPdf = Effect.fn("verifyPdf")(function* (bytes: Uint8Array, options: VerifyOptions) {
  const { crypto } = yield* WebCrypto
  const hash = yield* Crypto
  const now = new Date(yield* Clock.currentTimeMillis)
  const meter = options.meter ?? workMeter(options.limits)
  const doc = yield* Effect.try({ try: () => openPdf(bytes, meter), catch: toPdfError })
  const trust = yield* Effect.forEach(options.trust, (d, i) =>
    Effect.try({ try: () => pkijs.Certificate.fromBER(new Uint8Array(d)), catch: () => new TrustRootInvalid({ index: i }) }),
  )
  // Keyed by ByteRange: fields sharing one are checked once (32,000 copies of a field cost one check).
  const byteRangeChecks = new Map<string, Check>()
  const ranges = new Map<string, RangeCheck>()
  const prefixes = prefixHashes(hash, bytes, meter)
  const revisions = new Map<number, ReadonlyArray<string>>()
  const sigFields = formFields(doc).flatMap((f) => {
    const v = doc.resolve(f.dict.get(PDFName.of("V")))
    return f.dict.get(PDFName.of("FT")) === PDFName.of("Sig") && v instanceof PDFDict ? [{ name: f.fullName, sig: v }] : []
  })
  const withRanges = sigFields
    .map((f) => ({ ...f, br: numbers(doc, doc.resolve(f.sig.get(PDFName.of("ByteRange")))) }))
    .sort((x, y) => (x.br[1] ?? 0) - (y.br[1] ?? 0))
  const reports: Array<SignatureReport> = []
  for (const f of withRanges) {
    const key = f.br.join(" ")
    const brCheck = byteRangeChecks.get(key) ?? byteRangeCheck(bytes, f.br)
    byteRangeChecks.set(key, brCheck)
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
    const range = ranges.get(key) ?? (yield* checkRange(crypto, hash, prefixes, bytes, [b, c, d], trust, now))
    ranges.set(key, range)
    const { cms, ts, chain, kuOk } = range
    const revisionEnd = c + d
    const changes = revisions.get(revisionEnd) ?? (yield* Effect.try({
      try: () => (revisionEnd === bytes.length ? [] : disallowedChanges(openPdf(bytes.subarray(0, revisionEnd), meter), doc)),
      catch: (e) => [`cannot read the signed revision: ${e instanceof Error ? e.message : String(e)}`],
    }).pipe(Effect.catch((p) => Effect.succeed(p))))
    revisions.set(revisionEnd, changes)
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
}, Effect.catchDefect((defect) => Effect.fail(asTypedFailure(defect))))
