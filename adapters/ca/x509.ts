/**
 * X.509 certificates and CRLs built with pkijs and signed through a
 * `sign(tbs)` callback, so CA keys stay in their key store.
 */
import { createHash, randomBytes } from "node:crypto"
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { SignatureAlgorithm } from "../../core/ports/Signer.ts"
import { signatureAlgorithmId } from "../../core/signing/cms/algorithms.ts"
import { OID } from "../../core/signing/cms/oids.ts"

export const NAME_OID = {
  CN: "2.5.4.3",
  serialNumber: "2.5.4.5",
  C: "2.5.4.6",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  organizationIdentifier: "2.5.4.97",
} as const

export type NameParts = ReadonlyArray<readonly [keyof typeof NAME_OID, string]>

const printable = new Set(["C", "serialNumber"])

/** One RDN per attribute (a single multi-valued RDN would read "C=CN+CN=..."). */
export const buildName = (parts: NameParts): pkijs.RelativeDistinguishedNames => {
  const seq = new asn1js.Sequence({
    value: parts.map(
      ([k, v]) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type: NAME_OID[k],
              value: printable.has(k) ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
            }).toSchema(),
          ],
        }),
    ),
  })
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER(false))
}

/** Signature algorithm in certificates (PKCS#1 v1.5 for RSA keys). */
const certSigAlg = (alg: SignatureAlgorithm) =>
  alg === "ECDSA-P256-SHA256"
    ? signatureAlgorithmId(alg)
    : alg === "RSA-PSS-SHA256"
      ? signatureAlgorithmId(alg)
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })

export const KEY_USAGE = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 } as const

const keyUsageExt = (bits: number) => {
  let unused = 0
  while (unused < 7 && ((bits >> unused) & 1) === 0) unused++
  return new pkijs.Extension({
    extnID: OID.keyUsage,
    critical: true,
    extnValue: new asn1js.BitString({ valueHex: new Uint8Array([bits]), unusedBits: unused }).toBER(false),
  })
}

const ski = (spki: pkijs.PublicKeyInfo) =>
  new Uint8Array(createHash("sha1").update(new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView)).digest())

export interface CertificateRequest {
  readonly subject: NameParts
  readonly spki: Uint8Array
  readonly days: number
  readonly ca?: { readonly pathLength?: number } | undefined
  readonly keyUsage: number
  readonly extKeyUsage?: { readonly oids: ReadonlyArray<string>; readonly critical: boolean } | undefined
  readonly crlUrl?: string | undefined
  /** The issuer's OCSP responder, in an Authority Information Access extension (id-ad-ocsp). */
  readonly ocspUrl?: string | undefined
  /** id-pkix-ocsp-nocheck: a delegated OCSP responder's certificate, never itself checked (RFC 6960 §4.2.2.2.1). */
  readonly ocspNoCheck?: boolean | undefined
  readonly notBefore?: Date | undefined
  /** Exact end of validity (instead of `days`): short-lived certificates in tests. */
  readonly notAfter?: Date | undefined
}

export interface Issuer {
  /** Undefined for a self-signed root. */
  readonly certificate: pkijs.Certificate | undefined
  readonly algorithm: SignatureAlgorithm
  readonly sign: (tbs: Uint8Array) => Effect.Effect<Uint8Array, unknown>
}

const randomSerial = () => {
  const b = randomBytes(16)
  b[0] = (b[0] ?? 0) & 0x7f | 0x10
  return new asn1js.Integer({ valueHex: new Uint8Array(b) })
}

export const issueCertificate = (req: CertificateRequest, issuer: Issuer): Effect.Effect<Uint8Array, unknown> =>
  Effect.gen(function* () {
    const spki = pkijs.PublicKeyInfo.fromBER(new Uint8Array(req.spki))
    const cert = new pkijs.Certificate()
    cert.version = 2
    cert.serialNumber = randomSerial()
    const subject = buildName(req.subject)
    cert.subject = subject
    cert.issuer = issuer.certificate ? issuer.certificate.subject : subject
    const notBefore = req.notBefore ?? new Date(Date.now() - 60_000)
    cert.notBefore.value = notBefore
    cert.notAfter.value = req.notAfter ?? new Date(notBefore.getTime() + req.days * 86_400_000)
    cert.subjectPublicKeyInfo = spki
    const extensions = [
      new pkijs.Extension({
        extnID: OID.basicConstraints,
        critical: true,
        extnValue: new pkijs.BasicConstraints(
          req.ca ? { cA: true, ...(req.ca.pathLength !== undefined ? { pathLenConstraint: req.ca.pathLength } : {}) } : {},
        ).toSchema().toBER(false),
      }),
      keyUsageExt(req.keyUsage),
      new pkijs.Extension({ extnID: "2.5.29.14", extnValue: new asn1js.OctetString({ valueHex: ski(spki) }).toBER(false) }),
    ]
    const issuerSpki = issuer.certificate ? issuer.certificate.subjectPublicKeyInfo : spki
    extensions.push(
      new pkijs.Extension({
        extnID: "2.5.29.35",
        extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: ski(issuerSpki) }) })
          .toSchema().toBER(false),
      }),
    )
    if (req.extKeyUsage) {
      extensions.push(
        new pkijs.Extension({
          extnID: OID.extKeyUsage,
          critical: req.extKeyUsage.critical,
          extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [...req.extKeyUsage.oids] }).toSchema().toBER(false),
        }),
      )
    }
    if (req.crlUrl) {
      const dp = new pkijs.DistributionPoint({
        distributionPoint: [new pkijs.GeneralName({ type: 6, value: req.crlUrl })],
      })
      extensions.push(
        new pkijs.Extension({ extnID: "2.5.29.31", extnValue: new pkijs.CRLDistributionPoints({ distributionPoints: [dp] }).toSchema().toBER(false) }),
      )
    }
    if (req.ocspUrl) {
      extensions.push(
        new pkijs.Extension({
          extnID: OID.authorityInfoAccess,
          extnValue: new pkijs.InfoAccess({
            accessDescriptions: [new pkijs.AccessDescription({ accessMethod: OID.adOcsp, accessLocation: new pkijs.GeneralName({ type: 6, value: req.ocspUrl }) })],
          }).toSchema().toBER(false),
        }),
      )
    }
    if (req.ocspNoCheck) extensions.push(new pkijs.Extension({ extnID: OID.ocspNoCheck, extnValue: new asn1js.Null().toBER(false) }))
    cert.extensions = extensions
    const sigAlg = certSigAlg(issuer.algorithm)
    cert.signature = sigAlg
    cert.signatureAlgorithm = sigAlg
    const tbs = new Uint8Array(cert.encodeTBS().toBER(false))
    const signature = yield* issuer.sign(tbs)
    cert.signatureValue = new asn1js.BitString({ valueHex: new Uint8Array(signature) })
    return new Uint8Array(cert.toSchema(true).toBER(false))
  })

export interface RevokedEntry {
  readonly serialHex: string
  readonly date: Date
}

/** A CRL of the issuer, valid for `days`. */
export const buildCrl = (
  issuer: Issuer & { readonly certificate: pkijs.Certificate },
  revoked: ReadonlyArray<RevokedEntry>,
  crlNumber: number,
  days = 7,
): Effect.Effect<Uint8Array, unknown> =>
  Effect.gen(function* () {
    const crl = new pkijs.CertificateRevocationList()
    crl.version = 1
    crl.issuer = issuer.certificate.subject
    crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date() })
    crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(Date.now() + days * 86_400_000) })
    if (revoked.length > 0) {
      crl.revokedCertificates = revoked.map(
        (r) =>
          new pkijs.RevokedCertificate({
            userCertificate: new asn1js.Integer({ valueHex: new Uint8Array(Buffer.from(r.serialHex, "hex")) }),
            revocationDate: new pkijs.Time({ type: 0, value: r.date }),
          }),
      )
    }
    crl.crlExtensions = new pkijs.Extensions({
      extensions: [new pkijs.Extension({ extnID: "2.5.29.20", extnValue: new asn1js.Integer({ value: crlNumber }).toBER(false) })],
    })
    const sigAlg = certSigAlg(issuer.algorithm)
    crl.signature = sigAlg
    crl.signatureAlgorithm = sigAlg
    const tbs = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false))
    crl.signatureValue = new asn1js.BitString({ valueHex: new Uint8Array(yield* issuer.sign(tbs)) })
    return new Uint8Array(crl.toSchema(true).toBER(false))
  })
