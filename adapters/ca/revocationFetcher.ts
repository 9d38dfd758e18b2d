/**
 * `RevocationFetcher` over the network: the OCSP responder a certificate's
 * AIA names (POST, RFC 6960), else the CRL of its distribution point
 * (http(s) or, for a CA directory, file://). Any CA that publishes these works.
 */
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import * as asn1js from "asn1js"
import { Effect, Layer } from "effect"
import * as pkijs from "pkijs"
import { RevocationFetcher, RevocationUnavailable, type RevocationData, type RevocationFetcherShape } from "../../core/ports/RevocationFetcher.ts"
import { OID } from "../../core/signing/cms/oids.ts"
import { ocspRequest } from "./ocsp.ts"

const extensionValue = (cert: pkijs.Certificate, oid: string) => {
  const ext = cert.extensions?.find((e) => e.extnID === oid)
  return ext ? asn1js.fromBER(new Uint8Array(ext.extnValue.valueBlock.valueHexView)).result : undefined
}

/** URLs of the OCSP responders (AIA id-ad-ocsp) and CRL distribution points a certificate names. */
export const revocationUrls = (der: Uint8Array): { readonly ocsp: ReadonlyArray<string>; readonly crl: ReadonlyArray<string> } => {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der))
  const aia = extensionValue(cert, OID.authorityInfoAccess)
  const ocsp = aia
    ? new pkijs.InfoAccess({ schema: aia }).accessDescriptions.flatMap((d) => (d.accessMethod === OID.adOcsp && d.accessLocation.type === 6 ? [String(d.accessLocation.value)] : []))
    : []
  const dps = extensionValue(cert, OID.crlDistributionPoints)
  const crl = dps
    ? new pkijs.CRLDistributionPoints({ schema: dps }).distributionPoints.flatMap((p) =>
      Array.isArray(p.distributionPoint) ? p.distributionPoint.flatMap((n) => (n.type === 6 ? [String(n.value)] : [])) : []
    )
    : []
  return { ocsp, crl }
}

const okOcsp = (der: Uint8Array): boolean => {
  try {
    return new pkijs.OCSPResponse({ schema: asn1js.fromBER(new Uint8Array(der)).result }).responseStatus.valueBlock.valueDec === 0
  } catch {
    return false
  }
}

export interface FetcherOptions {
  readonly timeoutMs?: number
}

const getter = (timeout: number) => (url: string, init?: RequestInit) =>
    Effect.tryPromise({
      try: async () => {
        if (url.startsWith("file://")) return new Uint8Array(await readFile(fileURLToPath(url)))
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) })
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        return new Uint8Array(await res.arrayBuffer())
      },
      catch: (e) => new RevocationUnavailable({ reason: `${url}: ${e instanceof Error ? e.message : String(e)}` }),
    })

/** One OCSP exchange with the responder at `url` (any RFC 6960 responder): the DER OCSPResponse. */
export const fetchOcsp = (url: string, certificate: Uint8Array, issuer: Uint8Array, timeoutMs = 5000) =>
  getter(timeoutMs)(url, { method: "POST", headers: { "content-type": "application/ocsp-request" }, body: Buffer.from(ocspRequest(certificate, issuer)) })

export const makeRevocationFetcher = (options: FetcherOptions = {}): RevocationFetcherShape => {
  const timeout = options.timeoutMs ?? 5000
  const get = getter(timeout)
  return {
    fetch: (certificate, issuer) =>
      Effect.gen(function*() {
        const urls = yield* Effect.try({ try: () => revocationUrls(certificate), catch: () => new RevocationUnavailable({ reason: "unreadable certificate" }) })
        const problems: Array<string> = []
        for (const url of urls.ocsp) {
          const got = yield* Effect.result(fetchOcsp(url, certificate, issuer, timeout))
          if (got._tag === "Success" && okOcsp(got.success)) return { ocsps: [got.success], crls: [] } satisfies RevocationData
          problems.push(got._tag === "Failure" ? got.failure.reason : `${url}: OCSP error status`)
        }
        for (const url of urls.crl) {
          const got = yield* Effect.result(get(url))
          if (got._tag === "Success") return { ocsps: [], crls: [got.success] } satisfies RevocationData
          problems.push(got.failure.reason)
        }
        return yield* new RevocationUnavailable({ reason: problems.length > 0 ? problems.join("; ") : "the certificate names no OCSP responder or CRL" })
      }),
  }
}

export const layer = Layer.succeed(RevocationFetcher, makeRevocationFetcher())
