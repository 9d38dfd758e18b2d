/**
 * The software CA's OCSP responder (RFC 6960): answers for certificates of
 * the issuing CA and of the root, each signed by a delegated responder
 * certificate that CA issued (id-kp-OCSPSigning, id-pkix-ocsp-nocheck), made
 * on first use and kept in the CA's vault like its other keys. "good" means
 * not revoked (the CA does not keep a register of what it issued).
 */
import { createHash, randomBytes } from "node:crypto"
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { signatureAlgorithmId } from "../../core/signing/cms/algorithms.ts"
import { OID } from "../../core/signing/cms/oids.ts"
import { pemBlocks, toPem } from "../keys-software/index.ts"
import { revokedBy, type CaName, type SoftwareCa } from "./softwareCa.ts"
import { issueCertificate, KEY_USAGE } from "./x509.ts"
import { RevocationUnavailable, type RevocationFetcherShape } from "../../core/ports/RevocationFetcher.ts"

const responderFile = (which: CaName) => `ocsp-${which}.json`

export interface OcspResponder {
  readonly certificate: Uint8Array
  readonly sign: (tbs: Uint8Array) => Effect.Effect<Uint8Array, unknown>
}

/**
 * The delegated responder of one CA, created on first use. Its key gets a
 * fresh label; the vault entry naming label and certificate is created once,
 * so when instances race the first one's pair wins (the loser's key stays unused).
 */
export const ocspResponder = (ca: SoftwareCa, which: CaName): Effect.Effect<OcspResponder, unknown> =>
  Effect.gen(function*() {
    let entry = yield* ca.vault.get(responderFile(which))
    if (entry === undefined) {
      const label = `ocsp-${which}-${randomBytes(6).toString("hex")}`
      const spki = yield* ca.store.generate(label, "EC-P256")
      const algorithm = which === "issuing" ? "ECDSA-P256-SHA256" as const : "RSA-PKCS1-SHA256" as const
      const der = yield* issueCertificate(
        {
          subject: [["C", "CN"], ["O", "Signet Dev"], ["CN", `Signet Dev OCSP Responder (${which === "issuing" ? "Issuing CA" : "Root CA"})`]],
          spki,
          days: 365,
          keyUsage: KEY_USAGE.digitalSignature,
          extKeyUsage: { oids: [OID.ocspSigning], critical: false },
          ocspNoCheck: true,
        },
        { certificate: which === "issuing" ? ca.issuing : ca.root, algorithm, sign: (tbs) => ca.store.sign(which, algorithm, tbs) },
      )
      yield* ca.vault.create([[responderFile(which), new TextEncoder().encode(JSON.stringify({ label, certificate: toPem(der, "CERTIFICATE") }))]])
      entry = yield* ca.vault.get(responderFile(which))
    }
    const { label, certificate: pem } = JSON.parse(new TextDecoder().decode(entry)) as { label: string; certificate: string }
    const [certificate] = pemBlocks(pem, "CERTIFICATE")
    if (!certificate) return yield* Effect.fail(new Error(`${ca.where}/${responderFile(which)}: no certificate`))
    return { certificate, sign: (tbs: Uint8Array) => ca.store.sign(label, "ECDSA-P256-SHA256", tbs) }
  })

const hashWith = (oid: string, data: Uint8Array): Uint8Array | undefined => {
  const name = oid === OID.sha1 ? "sha1" : oid === OID.sha256 ? "sha256" : oid === OID.sha384 ? "sha384" : oid === OID.sha512 ? "sha512" : undefined
  return name ? new Uint8Array(createHash(name).update(data).digest()) : undefined
}

const same = (a: Uint8Array | undefined, b: asn1js.OctetString) => a !== undefined && Buffer.from(a).equals(Buffer.from(b.valueBlock.valueHexView))

/** Which of the CA's certificates a CertID names as issuer. */
const issuerOfCertId = (ca: SoftwareCa, id: pkijs.CertID): CaName | undefined =>
  (["issuing", "root"] as const).find((which) => {
    const c = which === "issuing" ? ca.issuing : ca.root
    const alg = id.hashAlgorithm.algorithmId
    return same(hashWith(alg, new Uint8Array(c.subject.toSchema().toBER(false))), id.issuerNameHash) &&
      same(hashWith(alg, new Uint8Array(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)), id.issuerKeyHash)
  })

const status = (tag: 0 | 1 | 2, revokedAt?: Date): asn1js.BaseBlock =>
  tag === 1
    ? new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.GeneralizedTime({ valueDate: revokedAt as Date })] })
    : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag } })

const errorResponse = (code: number) => new Uint8Array(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: code }) }).toSchema().toBER(false))

/** How long an answer stays current (nextUpdate): a verifier may use it for a time up to then. */
export const OCSP_VALIDITY_MS = 24 * 3600_000

/** Answers one DER OCSPRequest with a DER OCSPResponse (malformedRequest on garbage). */
export const respondOcsp = (ca: SoftwareCa, request: Uint8Array, now = new Date()): Effect.Effect<Uint8Array, unknown> =>
  Effect.gen(function*() {
    const parsed = asn1js.fromBER(new Uint8Array(request))
    if (parsed.offset === -1) return errorResponse(1)
    const req = (() => {
      try {
        return new pkijs.OCSPRequest({ schema: parsed.result })
      } catch {
        return undefined
      }
    })()
    const list = req?.tbsRequest.requestList ?? []
    if (!req || list.length === 0) return errorResponse(1)
    // One responder signs the whole answer: the CA named by the first request's CertID.
    const which = issuerOfCertId(ca, (list[0] as pkijs.Request).reqCert) ?? "issuing"
    const revoked = yield* revokedBy(ca, which)
    const responses = list.map((r) => {
      const id = r.reqCert
      const serial = Buffer.from(id.serialNumber.valueBlock.valueHexView).toString("hex").replace(/^(00)+/, "")
      const known = issuerOfCertId(ca, id) === which
      const hit = revoked.find((x) => x.serialHex.replace(/^(00)+/, "") === serial)
      return new pkijs.SingleResponse({
        certID: id,
        certStatus: !known ? status(2) : hit ? status(1, hit.date) : status(0),
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + OCSP_VALIDITY_MS),
      })
    })
    const responder = yield* ocspResponder(ca, which)
    const responderCert = pkijs.Certificate.fromBER(new Uint8Array(responder.certificate))
    const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === "1.3.6.1.5.5.7.48.1.2")
    const data = new pkijs.ResponseData({
      responderID: responderCert.subject,
      producedAt: now,
      responses,
      ...(nonce ? { responseExtensions: [nonce] } : {}),
    })
    const tbs = new Uint8Array(data.toSchema(true).toBER(false))
    data.tbsView = tbs
    const signature = yield* responder.sign(tbs)
    const basic = new pkijs.BasicOCSPResponse({
      tbsResponseData: data,
      signatureAlgorithm: signatureAlgorithmId("ECDSA-P256-SHA256"),
      signature: new asn1js.BitString({ valueHex: new Uint8Array(signature) }),
      certs: [responderCert],
    })
    return new Uint8Array(
      new pkijs.OCSPResponse({
        responseStatus: new asn1js.Enumerated({ value: 0 }),
        responseBytes: new pkijs.ResponseBytes({ responseType: OID.ocspBasic, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
      }).toSchema().toBER(false),
    )
  })

/** A DER OCSPRequest for one certificate (SHA-1 CertID, as most responders expect, and a nonce). */
export const ocspRequest = (certificate: Uint8Array, issuer: Uint8Array): Uint8Array => {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certificate))
  const iss = pkijs.Certificate.fromBER(new Uint8Array(issuer))
  const sha1 = (d: Uint8Array) => new asn1js.OctetString({ valueHex: new Uint8Array(createHash("sha1").update(d).digest()) })
  const certId = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: sha1(new Uint8Array(iss.subject.toSchema().toBER(false))),
    issuerKeyHash: sha1(new Uint8Array(iss.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)),
    serialNumber: cert.serialNumber,
  })
  const req = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({
      requestList: [new pkijs.Request({ reqCert: certId })],
      requestExtensions: [
        new pkijs.Extension({ extnID: "1.3.6.1.5.5.7.48.1.2", extnValue: new asn1js.OctetString({ valueHex: new Uint8Array(randomBytes(16)) }).toBER(false) }),
      ],
    }),
  })
  return new Uint8Array(req.toSchema(true).toBER(false))
}

/**
 * `RevocationFetcher` answered by this CA's own responder in-process (no
 * HTTP): the dev profile's B-LT/B-LTA signing, whatever URLs its older
 * certificates carry. The answers are the same OCSP responses the HTTP server gives.
 */
export const localRevocationFetcher = (open: Effect.Effect<SoftwareCa, unknown>): RevocationFetcherShape => ({
  fetch: (certificate, issuer) =>
    Effect.gen(function*() {
      const ca = yield* open
      return { ocsps: [yield* respondOcsp(ca, ocspRequest(certificate, issuer))], crls: [] }
    }).pipe(Effect.mapError((e) => new RevocationUnavailable({ reason: `dev CA OCSP: ${String(e)}` }))),
})
