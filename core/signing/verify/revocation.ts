/**
 * Revocation status of one certificate at a time of interest (the signing
 * time: the timestamp's genTime when there is one), from OCSP responses
 * (RFC 6960) or CRLs (RFC 5280), each checked against the certificate's
 * issuer: a CRL signed by the issuer, an OCSP response signed by the issuer
 * or by a responder the issuer delegated (id-kp-OCSPSigning).
 *
 * Business rules:
 * - revoked at or before the time of interest: the signature is invalid;
 * - revoked after it: the signature stays valid (the report says so);
 * - an answer says "not revoked at T" only when T lies in its validity
 *   window [thisUpdate, nextUpdate] or it was issued after T;
 * - no answer for T: "cannot be confirmed", never silently valid.
 * Sources: the file's DSS and files given by the user, then (only when
 * allowed and neither answers) the CA's services online. Among answers, a
 * revocation outweighs a "good".
 */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { RevocationData, RevocationFetcherShape } from "../../ports/RevocationFetcher.ts"
import { OID } from "../cms/oids.ts"
import { equalBytes } from "../pdf/bytes.ts"
import { certificateDer, extendedKeyUsage, subjectText } from "./chain.ts"
import { verifySignature } from "./publicKeyVerify.ts"

export type RevocationSourceName = "dss" | "given" | "online"

export type CertificateStatus =
  /** Not revoked at the time of interest. */
  | "good"
  | "revokedBefore"
  /** Revoked after the time of interest: the signature stays valid. */
  | "revokedAfter"
  /** No usable answer: cannot be confirmed. */
  | "unknown"
  /** A trust anchor, or a responder certificate marked ocsp-nocheck: nothing to ask. */
  | "notApplicable"

export interface CertificateRevocation {
  readonly subject: string
  readonly status: CertificateStatus
  readonly source: RevocationSourceName | undefined
  readonly kind: "OCSP" | "CRL" | undefined
  readonly detail: string
}

export interface ParsedRevocationData {
  readonly crls: ReadonlyArray<pkijs.CertificateRevocationList>
  readonly ocsps: ReadonlyArray<pkijs.BasicOCSPResponse>
}

export interface RevocationSources {
  readonly dss: ParsedRevocationData
  readonly given: ParsedRevocationData
  /** Asks the CA's services (OCSP, then CRL) when the user allows network access. */
  readonly online: RevocationFetcherShape | undefined
}

const tryParse = <A>(f: () => A): A | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

/** An OCSPResponse (or a bare BasicOCSPResponse, as kept in a DSS by some writers). */
export const parseOcsp = (der: Uint8Array): pkijs.BasicOCSPResponse | undefined =>
  tryParse(() => {
    const parsed = asn1js.fromBER(new Uint8Array(der))
    if (parsed.offset === -1) return undefined
    const asBasic = tryParse(() => new pkijs.BasicOCSPResponse({ schema: parsed.result }))
    if (asBasic) return asBasic
    const resp = new pkijs.OCSPResponse({ schema: parsed.result })
    if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes || resp.responseBytes.responseType !== OID.ocspBasic) return undefined
    return pkijs.BasicOCSPResponse.fromBER(new Uint8Array(resp.responseBytes.response.valueBlock.valueHexView))
  })

export const parseCrl = (der: Uint8Array): pkijs.CertificateRevocationList | undefined =>
  tryParse(() => pkijs.CertificateRevocationList.fromBER(new Uint8Array(der)))

export const parseRevocationData = (data: RevocationData): ParsedRevocationData => ({
  crls: data.crls.flatMap((d) => parseCrl(d) ?? []),
  ocsps: data.ocsps.flatMap((d) => parseOcsp(d) ?? []),
})

export const noRevocationData: ParsedRevocationData = { crls: [], ocsps: [] }

const subtleDigest = (crypto: Crypto, oid: string, data: Uint8Array): Effect.Effect<Uint8Array | undefined> => {
  const name = oid === OID.sha1 ? "SHA-1" : oid === OID.sha256 ? "SHA-256" : oid === OID.sha384 ? "SHA-384" : oid === OID.sha512 ? "SHA-512" : undefined
  if (name === undefined) return Effect.succeed(undefined)
  return Effect.tryPromise({ try: () => crypto.subtle.digest(name, new Uint8Array(data)), catch: () => undefined }).pipe(
    Effect.map((d) => new Uint8Array(d)),
    Effect.catch(() => Effect.succeed(undefined)),
  )
}

const issuedBy = (crypto: Crypto, cert: pkijs.Certificate, issuer: pkijs.Certificate): Effect.Effect<boolean> =>
  cert.issuer.isEqual(issuer.subject)
    ? verifySignature(crypto, issuer.subjectPublicKeyInfo, cert.signatureAlgorithm, new Uint8Array(cert.tbsView), new Uint8Array(cert.signatureValue.valueBlock.valueHexView)).pipe(
      Effect.catch(() => Effect.succeed(false)),
    )
    : Effect.succeed(false)

/** A responder certificate marked id-pkix-ocsp-nocheck: trusted for its lifetime, never itself checked. */
export const hasOcspNoCheck = (c: pkijs.Certificate): boolean => c.extensions?.some((e) => e.extnID === OID.ocspNoCheck) ?? false

interface Answer {
  readonly status: "good" | "revoked"
  readonly revokedAt?: Date | undefined
  readonly issuedAt: Date
  readonly until: Date | undefined
}

/** Does this answer speak for time `at`? A "good" issued before `at` only counts inside its validity window. */
const judge = (a: Answer, at: Date): { status: CertificateStatus; detail: string } | undefined => {
  if (a.status === "revoked" && a.revokedAt) {
    return a.revokedAt <= at
      ? { status: "revokedBefore", detail: `revoked on ${a.revokedAt.toISOString()}, before the signing time ${at.toISOString()}` }
      : { status: "revokedAfter", detail: `revoked on ${a.revokedAt.toISOString()}, after the signing time ${at.toISOString()}: the signature stays valid` }
  }
  const covers = a.issuedAt >= at || (a.issuedAt <= at && a.until !== undefined && at <= a.until)
  return covers ? { status: "good", detail: `not revoked (answer of ${a.issuedAt.toISOString()})` } : undefined
}

const ocspAnswer = (
  crypto: Crypto,
  basic: pkijs.BasicOCSPResponse,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Effect.Effect<Answer | undefined> =>
  Effect.gen(function*() {
    const issuerName = new Uint8Array(issuer.subject.toSchema().toBER(false))
    const issuerKey = new Uint8Array(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    let single: pkijs.SingleResponse | undefined
    for (const r of basic.tbsResponseData.responses) {
      if (!r.certID.serialNumber.isEqual(cert.serialNumber)) continue
      const alg = r.certID.hashAlgorithm.algorithmId
      const [nameHash, keyHash] = [yield* subtleDigest(crypto, alg, issuerName), yield* subtleDigest(crypto, alg, issuerKey)]
      if (
        nameHash && keyHash && equalBytes(nameHash, new Uint8Array(r.certID.issuerNameHash.valueBlock.valueHexView)) &&
        equalBytes(keyHash, new Uint8Array(r.certID.issuerKeyHash.valueBlock.valueHexView))
      ) {
        single = r
        break
      }
    }
    if (!single) return undefined
    // Signed by the issuer itself, or by a certificate the issuer made for OCSP signing.
    const candidates = [issuer]
    for (const c of basic.certs ?? []) {
      if ((yield* issuedBy(crypto, c, issuer)) && extendedKeyUsage(c)?.oids.includes(OID.ocspSigning)) candidates.push(c)
    }
    const tbs = new Uint8Array(basic.tbsResponseData.tbsView)
    const sig = new Uint8Array(basic.signature.valueBlock.valueHexView)
    let signed = false
    for (const c of candidates) {
      const at = basic.tbsResponseData.producedAt
      if (c !== issuer && !(c.notBefore.value <= at && at <= c.notAfter.value)) continue
      if (yield* verifySignature(crypto, c.subjectPublicKeyInfo, basic.signatureAlgorithm, tbs, sig).pipe(Effect.catch(() => Effect.succeed(false)))) {
        signed = true
        break
      }
    }
    if (!signed) return undefined
    const status = single.certStatus as asn1js.BaseBlock
    const tag = status.idBlock.tagNumber
    if (tag === 0) return { status: "good", issuedAt: single.thisUpdate, until: single.nextUpdate }
    if (tag !== 1) return undefined // unknown: the responder does not know the certificate
    const inner = status instanceof asn1js.Constructed ? status.valueBlock.value[0] : undefined
    const revokedAt = inner instanceof asn1js.GeneralizedTime ? inner.toDate() : undefined
    return revokedAt ? { status: "revoked", revokedAt, issuedAt: single.thisUpdate, until: single.nextUpdate } : undefined
  })

const crlAnswer = (crypto: Crypto, crl: pkijs.CertificateRevocationList, cert: pkijs.Certificate, issuer: pkijs.Certificate): Effect.Effect<Answer | undefined> =>
  Effect.gen(function*() {
    if (!crl.issuer.isEqual(issuer.subject) || !cert.issuer.isEqual(issuer.subject)) return undefined
    const ok = yield* verifySignature(crypto, issuer.subjectPublicKeyInfo, crl.signatureAlgorithm, new Uint8Array(crl.tbsView), new Uint8Array(crl.signatureValue.valueBlock.valueHexView)).pipe(
      Effect.catch(() => Effect.succeed(false)),
    )
    if (!ok) return undefined
    const entry = crl.revokedCertificates?.find((r) => r.userCertificate.isEqual(cert.serialNumber))
    const base = { issuedAt: crl.thisUpdate.value, until: crl.nextUpdate?.value }
    return entry ? { ...base, status: "revoked", revokedAt: entry.revocationDate.value } : { ...base, status: "good" }
  })

const severity: Record<CertificateStatus, number> = { revokedBefore: 3, revokedAfter: 2, good: 1, unknown: 0, notApplicable: 0 }

/**
 * Every answer in `data` that speaks for `at`; a signed statement that the
 * certificate was revoked outweighs any "good" (an earlier answer, made before
 * the revocation, does not contradict it).
 */
const fromData = (crypto: Crypto, data: ParsedRevocationData, cert: pkijs.Certificate, issuer: pkijs.Certificate, at: Date) =>
  Effect.gen(function*() {
    const found: Array<{ status: CertificateStatus; detail: string; kind: "OCSP" | "CRL" }> = []
    for (const o of data.ocsps) {
      const a = yield* ocspAnswer(crypto, o, cert, issuer)
      const j = a && judge(a, at)
      if (j) found.push({ ...j, kind: "OCSP" })
    }
    for (const c of data.crls) {
      const a = yield* crlAnswer(crypto, c, cert, issuer)
      const j = a && judge(a, at)
      if (j) found.push({ ...j, kind: "CRL" })
    }
    return found
  })

const worst = <A extends { readonly status: CertificateStatus }>(xs: ReadonlyArray<A>): A | undefined =>
  xs.reduce<A | undefined>((w, x) => (w === undefined || severity[x.status] > severity[w.status] ? x : w), undefined)

export const certificateStatus = (
  crypto: Crypto,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate | undefined,
  at: Date,
  sources: RevocationSources,
): Effect.Effect<CertificateRevocation> =>
  Effect.gen(function*() {
    const subject = subjectText(cert)
    if (!issuer || equalBytes(certificateDer(cert), certificateDer(issuer))) {
      return { subject, status: "notApplicable", source: undefined, kind: undefined, detail: "trust anchor" }
    }
    if (hasOcspNoCheck(cert)) return { subject, status: "notApplicable", source: undefined, kind: undefined, detail: "OCSP responder (ocsp-nocheck)" }
    const local = [
      ...(yield* fromData(crypto, sources.dss, cert, issuer, at)).map((f) => ({ ...f, source: "dss" as const })),
      ...(yield* fromData(crypto, sources.given, cert, issuer, at)).map((f) => ({ ...f, source: "given" as const })),
    ]
    const known = worst(local)
    if (known) return { subject, ...known }
    if (sources.online) {
      const fetched = yield* sources.online.fetch(certificateDer(cert), certificateDer(issuer)).pipe(Effect.result)
      if (fetched._tag === "Success") {
        const found = worst(yield* fromData(crypto, parseRevocationData(fetched.success), cert, issuer, at))
        if (found) return { subject, source: "online" as const, ...found }
      } else {
        return { subject, status: "unknown", source: undefined, kind: undefined, detail: `no revocation data in the file or given; online: ${fetched.failure.reason}` }
      }
    }
    return { subject, status: "unknown", source: undefined, kind: undefined, detail: `no OCSP response or CRL for ${at.toISOString()} in the file or given${sources.online ? " or online" : ""}` }
  })

/** Status of every certificate of a chain (leaf first) at `at`; each one's issuer is the next in the chain. */
export const chainStatus = (
  crypto: Crypto,
  chain: ReadonlyArray<pkijs.Certificate>,
  at: Date,
  sources: RevocationSources,
): Effect.Effect<ReadonlyArray<CertificateRevocation>> =>
  Effect.forEach(chain, (c, i) => certificateStatus(crypto, c, chain[i + 1] ?? (i === chain.length - 1 ? c : undefined), at, sources))
