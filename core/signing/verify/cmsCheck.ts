/**
 * Checks a CMS SignedData with signed attributes: message digest against the
 * content digest the caller computed, ESS signing-certificate-v2, and the
 * signature over the DER of the signed attributes.
 */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { OID } from "../cms/oids.ts"
import { equalBytes } from "../pdf/bytes.ts"
import { describeAlgorithm, verifySignature } from "./publicKeyVerify.ts"

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
  readonly problems: ReadonlyArray<string>
}

export const parseSignedData = (der: Uint8Array): pkijs.SignedData | undefined => {
  const parsed = asn1js.fromBER(new Uint8Array(der))
  if (parsed.offset === -1) return undefined
  const info = new pkijs.ContentInfo({ schema: parsed.result })
  if (info.contentType !== OID.signedData) return undefined
  return new pkijs.SignedData({ schema: info.content })
}

/** Length of the first DER element in `bytes` (the /Contents gap is zero-padded). */
export const derLength = (bytes: Uint8Array): number => {
  const parsed = asn1js.fromBER(new Uint8Array(bytes))
  return parsed.offset === -1 ? 0 : parsed.offset
}

const attr = (attrs: pkijs.SignedAndUnsignedAttributes | undefined, oid: string) =>
  attrs?.attributes.find((a) => a.type === oid)?.values[0]

const isCert = (c: unknown): c is pkijs.Certificate => c instanceof pkijs.Certificate

export const checkCms = (
  crypto: Crypto,
  sha256: (...parts: ReadonlyArray<Uint8Array>) => Uint8Array,
  signedData: pkijs.SignedData,
  contentDigest: Uint8Array,
): Effect.Effect<CmsCheck> =>
  Effect.gen(function* () {
    const problems: Array<string> = []
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
    const md = attr(si?.signedAttrs, OID.messageDigest)
    const digestOk = md instanceof asn1js.OctetString && equalBytes(new Uint8Array(md.valueBlock.valueHexView), contentDigest)
    if (!digestOk) problems.push("message-digest does not match the signed bytes")
    if (si?.digestAlgorithm.algorithmId !== OID.sha256) problems.push("digest algorithm is not SHA-256")
    const ct = attr(si?.signedAttrs, OID.contentType)
    if (!(ct instanceof asn1js.ObjectIdentifier)) problems.push("content-type attribute missing")
    let essOk: boolean | undefined
    const ess = attr(si?.signedAttrs, OID.signingCertificateV2)
    if (ess && signerCert) {
      const certHash = sha256(new Uint8Array(signerCert.toSchema(false).toBER(false)))
      const first = (ess as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence | undefined
      const id = first?.valueBlock.value[0] as asn1js.Sequence | undefined
      const hashNode = id?.valueBlock.value.find((v) => v instanceof asn1js.OctetString)
      essOk = hashNode instanceof asn1js.OctetString && equalBytes(new Uint8Array(hashNode.valueBlock.valueHexView), certHash)
      if (!essOk) problems.push("signing-certificate-v2 hash does not match the signer certificate")
    }
    let signatureOk = false
    const algorithm = signerCert && si
      ? (describeAlgorithm(si.signatureAlgorithm.algorithmId, signerCert.subjectPublicKeyInfo.algorithm.algorithmId) ?? si.signatureAlgorithm.algorithmId)
      : "unknown"
    if (signerCert && si?.signedAttrs) {
      const tbs = new Uint8Array(si.signedAttrs.encodedValue.slice(0))
      tbs[0] = 0x31
      signatureOk = yield* verifySignature(crypto, signerCert.subjectPublicKeyInfo, si.signatureAlgorithm, tbs, signatureValue)
      if (!signatureOk) problems.push("CMS signature does not verify with the signer's public key")
    } else problems.push("no signed attributes")
    const tst = si?.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken)?.values[0]
    const timestampToken = tst ? new Uint8Array((tst as asn1js.BaseBlock).toBER(false)) : undefined
    return { signedData, signerCert, certificates, algorithm, digestOk, essOk, signatureOk, signatureValue, timestampToken, problems }
  })
