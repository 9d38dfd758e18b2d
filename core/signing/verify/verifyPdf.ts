/**
 * Verifies every signature of a PDF and reports, per signature, which checks
 * passed: ByteRange shape, digest, CMS signature, chain to the trust list,
 * key usage, timestamp, certification order, and what later revisions
 * changed (history.ts); per revision, what it changed and by which rule.
 * Any input gets a report or a typed error, within the caps of `limits`.
 */
import { Clock, Effect } from "effect"
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString } from "pdf-lib"
import * as pkijs from "pkijs"
import { Crypto } from "../../ports/Crypto.ts"
import { equalBytes, fromHex, latin1, toHex } from "../pdf/bytes.ts"
import { formFields, textOf, type PdfDocument } from "../pdf/document.ts"
import { workMeter, type PdfLimits, type WorkMeter } from "../pdf/limits.ts"
import { PdfEncrypted, PdfLimitExceeded, PdfMalformed } from "../pdf/PdfErrors.ts"
import { WebCrypto } from "../../ports/WebCrypto.ts"
import { docMdpOfSignature } from "./changeRules.ts"
import { analyseHistory, type RemovedSignature, type RevisionReport } from "./history.ts"
import { subjectText } from "./chain.ts"
import { readDss } from "../ltv/dss.ts"
import type { RevocationData, RevocationFetcherShape } from "../../ports/RevocationFetcher.ts"
import { longTermChecks, type CertificateRevocationReport, type Reason } from "./longTerm.ts"
import { noRevocationData, parseRevocationData } from "./revocation.ts"
import { asTypedFailure, checkRange, digestDetail, prefixHashes, TrustRootInvalid, type RangeCheck } from "./rangeCheck.ts"

export { TrustRootInvalid } from "./rangeCheck.ts"

export interface Check {
  readonly ok: boolean
  readonly detail: string
}

export interface SignatureReport {
  readonly field: string
  /** A document timestamp (/SubFilter /ETSI.RFC3161) stamps the file; it has no signer of its own. */
  readonly kind: "signature" | "documentTimestamp"
  /** Other fields pointing at the same signature (same ByteRange or value): one signature, reported once. */
  readonly alsoIn: ReadonlyArray<string>
  /** "covers revision 3 of 5". */
  readonly coverage: { readonly revision: number; readonly of: number } | undefined
  /** DocMDP permission when this is a certification signature. */
  readonly certification: 1 | 2 | 3 | undefined
  /** Every check but `changesAfter` passed: the signature itself is valid. */
  readonly signatureValid: boolean
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
    readonly certification: Check | undefined
    /** With revocation checking: no certificate of the chains was revoked before the signing time. */
    readonly revocation: Check | undefined
    readonly changesAfter: Check
  }
  readonly valid: boolean
  /** With revocation checking: each certificate's status at the signing time and which source answered. */
  readonly revocation: ReadonlyArray<CertificateRevocationReport> | undefined
  /** Why the signature's validity cannot be confirmed at the verification time (empty: confirmed or not checked). */
  readonly unconfirmed: ReadonlyArray<Reason>
}

/**
 * The document's verdict: every signature valid and nothing changed after the
 * last one; valid with only signatures (or what the certification allows)
 * added later; valid signatures on a document modified after signing; an
 * invalid signature; no signature at all; intact signatures whose validity
 * cannot be confirmed at the verification time (revocation unknown, or a
 * timestamp expired with no later document timestamp protecting it).
 */
export type Verdict = "unchanged" | "signaturesAdded" | "modified" | "invalid" | "unsigned" | "unconfirmed"

export interface VerifyReport {
  /** Verdict "unchanged" or "signaturesAdded". */
  readonly valid: boolean
  readonly verdict: Verdict
  readonly signatures: ReadonlyArray<SignatureReport>
  readonly revisions: ReadonlyArray<RevisionReport>
  readonly removedSignatures: ReadonlyArray<RemovedSignature>
  /** Bytes after the last %%EOF covered by no signature. */
  readonly uncoveredBytes: number
}

export interface VerifyOptions {
  /** DER of trusted root certificates. */
  readonly trust: ReadonlyArray<Uint8Array>
  /** Caps on reading the file (default: defaultPdfLimits, 64 MiB of decoded streams). */
  readonly limits?: Partial<PdfLimits> | undefined
  /** Counts the work done (bytes hashed, objects parsed, bytes decoded); a fresh meter by default. */
  readonly meter?: WorkMeter | undefined
  /**
   * Check revocation and long-term validity at the verification time (the Clock): answers from the file's
   * DSS, then `given` (files the user passes), then `online` (only when the user allows network access).
   */
  readonly revocation?: { readonly given?: RevocationData | undefined; readonly online?: RevocationFetcherShape | undefined } | undefined
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

/**
 * [0 b c d] with 0 < b < c: the gap [b, c) is exactly this signature's
 * /Contents hex string, inside the revision the signature covers (after the
 * revision before it), and the signed range ends at that revision's %%EOF.
 */
const byteRangeCheck = (bytes: Uint8Array, br: ReadonlyArray<number>, contents: Uint8Array | undefined, revisionStart: number | undefined): Check => {
  const [a, b, c, d] = br
  if (br.length !== 4 || a !== 0 || b === undefined || c === undefined || d === undefined || !br.every(Number.isSafeInteger) || !(0 < b && b < c && d >= 0)) {
    return check(false, `ByteRange ${JSON.stringify(br)} is not [0 b c d] with 0 < b < c (overlapping or out of order)`)
  }
  if (c + d > bytes.length) return check(false, "ByteRange extends past the end of the file")
  const gap = latin1(bytes, b, c)
  if (!/^<[0-9a-fA-F]*>$/.test(gap)) return check(false, "the unsigned gap is not exactly the /Contents hex string")
  if (gap.length % 2 !== 0) return check(false, "the /Contents hex string has an odd number of digits")
  if (revisionStart === undefined) return check(false, "the signed range does not end at a revision's %%EOF")
  if (b < revisionStart) return check(false, "the unsigned gap lies in an earlier revision than the one the signature covers")
  if (contents !== undefined && !equalBytes(fromHex(gap.slice(1, -1)), contents)) {
    return check(false, "the unsigned gap is not this signature's /Contents")
  }
  return check(true, `covers [0, ${b}) and [${c}, ${c + d}) of ${bytes.length} bytes`)
}

/** What later revisions added to a signed one, when all of it is allowed. */
const addedAfter = (revisions: ReadonlyArray<RevisionReport>, n: number): string => {
  const rules = new Set(revisions.filter((r) => r.number > n).flatMap((r) => r.changes.map((c) => c.rule)))
  const validationOnly = [...rules].every((rule) => rule === "dss" || rule === "docTimestamp")
  return validationOnly ? "only validation data added (DSS, document timestamps)" : "only signatures (or what the certification allows) added"
}

const byteRangeKey = (br: ReadonlyArray<number>) => br.join(" ")

export const verifyPdf = Effect.fn("verifyPdf")(function* (bytes: Uint8Array, options: VerifyOptions) {
  const { crypto } = yield* WebCrypto
  const hash = yield* Crypto
  const now = new Date(yield* Clock.currentTimeMillis)
  const meter = options.meter ?? workMeter(options.limits)
  const history = yield* Effect.try({ try: () => analyseHistory(bytes, meter), catch: toPdfError })
  const doc = history.final
  const of = history.revisions.length
  const trust = yield* Effect.forEach(options.trust, (d, i) =>
    Effect.try({ try: () => pkijs.Certificate.fromBER(new Uint8Array(d)), catch: () => new TrustRootInvalid({ index: i }) }),
  )
  const sigFields = formFields(doc).flatMap((f) => {
    const v = doc.resolve(f.dict.get(PDFName.of("V")))
    return f.dict.get(PDFName.of("FT")) === PDFName.of("Sig") && v instanceof PDFDict ? [{ name: f.fullName, sig: v }] : []
  })
  // Fields naming one signature dictionary share its /Contents: decoded (and keyed) once, not once per field
  // (32,000 fields on one value decoded it 32,000 times: ~1 GB of hex work).
  const contents = new Map<PDFDict, { readonly bytes: Uint8Array; readonly key: string } | undefined>()
  const contentsOf = (sig: PDFDict) => {
    if (!contents.has(sig)) {
      const v = doc.resolve(sig.get(PDFName.of("Contents")))
      const bytes = v instanceof PDFHexString || v instanceof PDFString ? v.asBytes() : undefined
      contents.set(sig, bytes === undefined ? undefined : { bytes, key: toHex(bytes) })
    }
    return contents.get(sig)
  }
  const sorted = sigFields
    .map((f) => {
      const value = contentsOf(f.sig)
      return { ...f, br: numbers(doc, doc.resolve(f.sig.get(PDFName.of("ByteRange")))), contents: value?.bytes, valueKey: value?.key }
    })
    .sort((x, y) => (x.br[1] ?? 0) - (y.br[1] ?? 0))
  // Fields sharing one ByteRange or one signature value are one signature (looked up by key: 32,000 copies stay linear).
  const withRanges: Array<(typeof sorted)[number] & { alsoIn: Array<string> }> = []
  const byRange = new Map<string, (typeof withRanges)[number]>()
  const byValue = new Map<string, (typeof withRanges)[number]>()
  for (const f of sorted) {
    const same = byRange.get(byteRangeKey(f.br)) ?? (f.valueKey === undefined ? undefined : byValue.get(f.valueKey))
    if (same) {
      same.alsoIn.push(f.name)
      continue
    }
    const entry = { ...f, alsoIn: [] }
    withRanges.push(entry)
    byRange.set(byteRangeKey(f.br), entry)
    if (f.valueKey !== undefined) byValue.set(f.valueKey, entry)
  }
  const prefixes = prefixHashes(hash, bytes, meter)
  const ranges = new Map<string, RangeCheck>()
  const reports: Array<SignatureReport> = []
  const ranged: Array<{ index: number; range: RangeCheck; revision: number }> = []
  for (const [index, f] of withRanges.entries()) {
    const [, b = 0, c = 0, d = 0] = f.br
    const revision = history.revisionOf(c + d)
    const previous = revision && history.revisions[revision.number - 2]
    const brCheck = byteRangeCheck(bytes, f.br, f.contents, revision ? previous?.end ?? 0 : undefined)
    const certification = docMdpOfSignature(doc, f.sig)
    const certificationCheck = certification === undefined
      ? undefined
      : index === 0
      ? check(true, `certification signature, DocMDP P=${certification}`)
      : check(false, "a certification signature must be the first signature of the document")
    const subFilter = (() => {
      const s = doc.resolve(f.sig.get(PDFName.of("SubFilter")))
      return s instanceof PDFName ? s.decodeText() : undefined
    })()
    const docTimestamp = subFilter === "ETSI.RFC3161"
    const base = {
      field: f.name,
      kind: docTimestamp ? "documentTimestamp" as const : "signature" as const,
      revocation: undefined,
      unconfirmed: [],
      alsoIn: f.alsoIn,
      coverage: revision ? { revision: revision.number, of } : undefined,
      certification,
      subFilter,
      signingTime: textOf(doc.resolve(f.sig.get(PDFName.of("M")))),
      byteRange: f.br,
      coversWholeFile: brCheck.ok && c + d === bytes.length,
    }
    if (!brCheck.ok) {
      const fail = check(false, "not checked: bad ByteRange")
      reports.push({
        ...base, signer: undefined, algorithm: "unknown", timestampTime: undefined, unsupportedAlgorithm: undefined, valid: false, signatureValid: false,
        checks: { byteRange: brCheck, digest: fail, signature: fail, chain: fail, keyUsage: fail, timestamp: undefined, certification: certificationCheck, revocation: undefined, changesAfter: fail },
      })
      continue
    }
    const key = byteRangeKey(f.br)
    const range = ranges.get(key) ?? (yield* checkRange(crypto, hash, prefixes, bytes, [b, c, d], trust, now, docTimestamp))
    ranges.set(key, range)
    const { cms, ts, chain, kuOk } = range
    const changes = history.forbiddenAfter(revision?.number ?? 0).map((x) => x.en)
    const last = revision?.number === of
    const checks = {
      byteRange: brCheck,
      digest: docTimestamp
        ? check(ts?.imprintOk === true, ts?.imprintOk ? "the timestamp's imprint matches the signed bytes" : "imprint mismatch: the signed bytes were changed")
        : check(cms?.digestOk === true, digestDetail(cms)),
      signature: check(cms?.signatureOk === true && (cms.essOk ?? true), cms ? (cms.problems.join("; ") || `${cms.algorithm} signature verifies`) : "no CMS"),
      chain: check(chain?.trusted === true, chain ? (chain.trusted ? `trusted: ${chain.path.join(" <- ")}` : chain.problems.join("; ")) : "no signer certificate"),
      keyUsage: check(kuOk, kuOk ? (docTimestamp ? "timeStamping" : "digitalSignature/nonRepudiation") : "certificate key usage does not allow signing"),
      timestamp: ts ? check(ts.ok, ts.ok ? `RFC 3161 time ${ts.time?.toISOString()} by ${ts.tsa}` : ts.problems.join("; ")) : undefined,
      certification: certificationCheck,
      revocation: undefined,
      changesAfter: check(changes.length === 0, changes.length === 0 ? (last ? "last revision" : addedAfter(history.reports, revision?.number ?? 0)) : changes.join("; ")),
    }
    const { changesAfter: _, ...signatureChecks } = checks
    ranged.push({ index: reports.length, range, revision: revision?.number ?? 0 })
    reports.push({
      ...base,
      signer: cms?.signerCert ? subjectText(cms.signerCert) : undefined,
      algorithm: cms?.algorithm ?? "unknown",
      timestampTime: ts?.time?.toISOString(),
      unsupportedAlgorithm: (cms?.unsupported ?? chain?.unsupported ?? ts?.unsupported)?.algorithm,
      checks,
      signatureValid: Object.values(signatureChecks).every((x) => x === undefined || x.ok),
      valid: Object.values(checks).every((x) => x === undefined || x.ok),
    })
  }
  if (options.revocation) {
    const dss = yield* Effect.try({ try: () => readDss(doc), catch: toPdfError })
    const sources = {
      dss: parseRevocationData(dss),
      given: options.revocation.given ? parseRevocationData(options.revocation.given) : noRevocationData,
      online: options.revocation.online,
    }
    const results = yield* longTermChecks(crypto, ranged.map((x) => ({ range: x.range, revision: x.revision, signatureValid: reports[x.index]?.signatureValid === true })), now, sources)
    for (const [i, x] of ranged.entries()) {
      const r = reports[x.index] as SignatureReport
      const lt = results[i]
      if (!lt || !r.signatureValid) continue
      const revoked = lt.revocation.filter((c) => c.status === "revokedBefore")
      const after = lt.revocation.filter((c) => c.status === "revokedAfter")
      const revocationCheck = check(
        revoked.length === 0,
        revoked.length > 0
          ? revoked.map((c) => `${c.subject}: ${c.detail} (${c.kind} from ${c.source})`).join("; ")
          : after.length > 0
          ? after.map((c) => `${c.subject}: ${c.detail}`).join("; ")
          : lt.unconfirmed.length > 0 ? "no certificate known to be revoked; some statuses cannot be confirmed" : "no certificate revoked at the signing time",
      )
      const checks = { ...r.checks, revocation: revocationCheck }
      reports[x.index] = { ...r, checks, revocation: lt.revocation, unconfirmed: lt.unconfirmed, signatureValid: revocationCheck.ok, valid: r.valid && revocationCheck.ok }
    }
  }
  // A signature removed from the document is a modification even when none is left.
  const verdict: Verdict = !reports.every((r) => r.signatureValid)
    ? "invalid"
    : history.removed.length > 0 || !reports.every((r) => r.checks.changesAfter.ok)
    ? "modified"
    : reports.length === 0
    ? "unsigned"
    : reports.some((r) => r.unconfirmed.length > 0)
    ? "unconfirmed"
    : reports.every((r) => r.coverage?.revision === of)
    ? "unchanged"
    : "signaturesAdded"
  return {
    valid: verdict === "unchanged" || verdict === "signaturesAdded",
    verdict,
    signatures: reports,
    revisions: history.reports,
    removedSignatures: history.removed,
    uncoveredBytes: history.trailing ? history.trailing.to - history.trailing.from : 0,
  } satisfies VerifyReport as VerifyReport
}, Effect.catchDefect((defect) => Effect.fail(asTypedFailure(defect))))
