/**
 * Checks a CMS SignedData with signed attributes: message digest against the
 * content digest (in the SignerInfo's digest algorithm), ESS
 * signing-certificate-v2, and the signature over the DER of the signed
 * attributes. An algorithm Signet does not verify is reported as such
 * (`unsupported`), not as a changed document or a bad signature.
 */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { DigestAlgorithm } from "../../ports/Crypto.ts"
import { digestAlgorithm, UnsupportedAlgorithm } from "../cms/algorithms.ts"
import { readElement } from "../cms/der.ts"
import { OID } from "../cms/oids.ts"
import { equalBytes } from "../pdf/bytes.ts"
import { certificateDer } from "./chain.ts"
import { signatureScheme, verifySignature } from "./publicKeyVerify.ts"

export interface CmsCheck {
  readonly signedData: pkijs.SignedData
  readonly signerCert: pkijs.Certificate | undefined
  readonly certificates: ReadonlyArray<pkijs.Certificate>
  readonly algorithm: string
  readonly digestOk: boolean
  readonly essOk: boolean | undefined
  readonly signatureOk: boolean
  readonly signatureValue: Uint8Array
  readonly timestampToken: Uint8Array | undefined
  /** The first algorithm met that Signet does not verify (digest or signature). */
  readonly unsupported: UnsupportedAlgorithm | undefined
  readonly problems: ReadonlyArray<string>
}

export const DIGEST_MISMATCH = "message-digest does not match the signed bytes"

/** A digest function over the content the CMS signs (the ByteRange, or a TSTInfo). */
export type ContentDigest = (algorithm: DigestAlgorithm) => Uint8Array

/** SignedData inside a ContentInfo, or undefined for anything else (other content types, other DER, garbage). */
export const parseSignedData = (der: Uint8Array): pkijs.SignedData | undefined => {
  try {
    const parsed = asn1js.fromBER(new Uint8Array(der))
    if (parsed.offset === -1) return undefined
    const info = new pkijs.ContentInfo({ schema: parsed.result })
    if (info.contentType !== OID.signedData) return undefined
    return new pkijs.SignedData({ schema: info.content })
  } catch {
    return undefined // pkijs throws when the DER does not match the ASN.1 schema
  }
}

/**
 * Length of the first element in `bytes` (the /Contents gap is zero-padded):
 * from its DER header alone, or by parsing it when it is BER with an
 * indefinite length; 0 if unreadable.
 */
export const derLength = (bytes: Uint8Array): number => {
  try {
    return readElement(bytes, 0).end
  } catch {
    const parsed = asn1js.fromBER(new Uint8Array(bytes))
    return parsed.offset === -1 ? 0 : parsed.offset
  }
}

const attr = (attrs: pkijs.SignedAndUnsignedAttributes | undefined, oid: string) =>
  attrs?.attributes.find((a) => a.type === oid)?.values[0]

const isCert = (c: unknown): c is pkijs.Certificate => c instanceof pkijs.Certificate

/** ESSCertIDv2's certHash (hashAlgorithm DEFAULT SHA-256) compared with the signer certificate's hash. */
const essMatches = (ess: unknown, cert: pkijs.Certificate, digest: (a: DigestAlgorithm, data: Uint8Array) => Uint8Array): boolean | UnsupportedAlgorithm => {
  const certs = ess instanceof asn1js.Sequence ? ess.valueBlock.value[0] : undefined
  const id = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined
  if (!(id instanceof asn1js.Sequence)) return false
  const [first] = id.valueBlock.value
  let algorithm: DigestAlgorithm | UnsupportedAlgorithm = "SHA-256"
  if (first instanceof asn1js.Sequence) {
    const oid = first.valueBlock.value[0]
    algorithm = oid instanceof asn1js.ObjectIdentifier ? digestAlgorithm(oid.valueBlock.toString()) : "SHA-256"
  }
  if (algorithm instanceof UnsupportedAlgorithm) return algorithm
  const hashNode = id.valueBlock.value.find((v) => v instanceof asn1js.OctetString)
  return hashNode instanceof asn1js.OctetString &&
    equalBytes(new Uint8Array(hashNode.valueBlock.valueHexView), digest(algorithm, certificateDer(cert)))
}

export const checkCms = (
  crypto: Crypto,
  digest: (algorithm: DigestAlgorithm, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array,
  signedData: pkijs.SignedData,
  contentDigest: ContentDigest,
): Effect.Effect<CmsCheck> =>
  Effect.gen(function* () {
    const problems: Array<string> = []
    let unsupported: UnsupportedAlgorithm | undefined
    const note = (u: UnsupportedAlgorithm) => {
      unsupported ??= u
      problems.push(u.message)
    }
    const certificates = (signedData.certificates ?? []).filter(isCert)
    const si = signedData.signerInfos[0]
    if (!si || signedData.signerInfos.length !== 1) problems.push(`expected 1 signer info, found ${signedData.signerInfos.length}`)
    const sid = si?.sid
    const signerCert =
      sid instanceof pkijs.IssuerAndSerialNumber
        ? certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
        : undefined
    if (!signerCert) problems.push("signer certificate not found in the CMS")
    const signatureValue = new Uint8Array(si?.signature.valueBlock.valueHexView ?? new Uint8Array())
    const digestAlg = si ? digestAlgorithm(si.digestAlgorithm.algorithmId) : undefined
    let digestOk = false
    if (digestAlg instanceof UnsupportedAlgorithm) note(digestAlg)
    else if (digestAlg) {
      const md = attr(si?.signedAttrs, OID.messageDigest)
      digestOk = md instanceof asn1js.OctetString && equalBytes(new Uint8Array(md.valueBlock.valueHexView), contentDigest(digestAlg))
      if (!digestOk) problems.push(DIGEST_MISMATCH)
    }
    const ct = attr(si?.signedAttrs, OID.contentType)
    if (!(ct instanceof asn1js.ObjectIdentifier)) problems.push("content-type attribute missing")
    let essOk: boolean | undefined
    const ess = attr(si?.signedAttrs, OID.signingCertificateV2)
    if (ess && signerCert) {
      const matches = essMatches(ess, signerCert, (a, d) => digest(a, d))
      if (matches instanceof UnsupportedAlgorithm) note(matches)
      else {
        essOk = matches
        if (!essOk) problems.push("signing-certificate-v2 hash does not match the signer certificate")
      }
    }
    let signatureOk = false
    let algorithm = "unknown"
    if (signerCert && si) {
      const scheme = signatureScheme(si.signatureAlgorithm, signerCert.subjectPublicKeyInfo, si.digestAlgorithm.algorithmId)
      algorithm = scheme instanceof UnsupportedAlgorithm ? scheme.algorithm : scheme.name
    }
    if (signerCert && si?.signedAttrs) {
      const tbs = new Uint8Array(si.signedAttrs.encodedValue.slice(0))
      tbs[0] = 0x31
      const verified = yield* verifySignature(crypto, signerCert.subjectPublicKeyInfo, si.signatureAlgorithm, tbs, signatureValue, si.digestAlgorithm.algorithmId).pipe(
        Effect.catch((u) => Effect.succeed(u)),
      )
      if (verified instanceof UnsupportedAlgorithm) {
        if (verified.algorithm !== unsupported?.algorithm) note(verified)
      } else {
        signatureOk = verified
        if (!signatureOk) problems.push("CMS signature does not verify with the signer's public key")
      }
    } else problems.push("no signed attributes")
    const tst = si?.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken)?.values[0]
    const timestampToken = tst ? new Uint8Array((tst as asn1js.BaseBlock).toBER(false)) : undefined
    return { signedData, signerCert, certificates, algorithm, digestOk, essOk, signatureOk, signatureValue, timestampToken, unsupported, problems }
  })
