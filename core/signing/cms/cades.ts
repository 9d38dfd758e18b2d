/**
 * The per-signature CMS of a PAdES signature, encoded directly as DER:
 * signed attributes (content-type, message-digest, signing-certificate-v2;
 * no signing-time) and the detached SignedData. Same bytes as the pkijs
 * construction (see cades.test.ts), without its per-call object and parsing
 * cost.
 */
import type { SignatureAlgorithm } from "../../ports/Signer.ts"
import { certificateIds, oid, octetString, sequence, set, smallInteger, sortedSetOf, TAG, tlv } from "./der.ts"
import { OID } from "./oids.ts"

const memo = <A>(f: () => A): (() => A) => {
  let value: A | undefined
  return () => (value ??= f())
}

const oids = memo(() => ({
  contentType: oid(OID.contentType),
  messageDigest: oid(OID.messageDigest),
  signingCertificateV2: oid(OID.signingCertificateV2),
  signatureTimeStampToken: oid(OID.signatureTimeStampToken),
  signedData: oid(OID.signedData),
  /** SEQUENCE { id-sha256 } (parameters absent, RFC 5754). */
  sha256: sequence(oid(OID.sha256)),
}))

/**
 * SignerInfo.signatureAlgorithm. RSA-PSS carries RFC 4055 RSASSA-PSS-params:
 * SHA-256, MGF1 with SHA-256, salt 32, trailerField left at its default
 * (DER omits defaults). SHA-256 AlgorithmIdentifiers inside the params carry
 * NULL parameters, as RFC 4055 section 2.1 writes sha256Identifier and OpenSSL emits it.
 */
export const signatureAlgorithmDer = (algorithm: SignatureAlgorithm): Uint8Array => {
  const sha256WithNull = sequence(oid(OID.sha256), tlv(TAG.null))
  switch (algorithm) {
    case "RSA-PKCS1-SHA256":
      return sequence(oid(OID.rsaEncryption), tlv(TAG.null))
    case "ECDSA-P256-SHA256":
      return sequence(oid(OID.ecdsaWithSha256))
    case "RSA-PSS-SHA256":
      return sequence(
        oid(OID.rsassaPss),
        sequence(
          tlv(TAG.context(0), sha256WithNull),
          tlv(TAG.context(1), sequence(oid(OID.mgf1), sha256WithNull)),
          tlv(TAG.context(2), smallInteger(32)),
        ),
      )
  }
}

const algorithms = memo(() => new Map<SignatureAlgorithm, Uint8Array>(
  (["RSA-PKCS1-SHA256", "RSA-PSS-SHA256", "ECDSA-P256-SHA256"] as const).map((a) => [a, signatureAlgorithmDer(a)]),
))

export interface SignedAttributesDer {
  /** The attributes' DER, sorted as a DER SET OF requires. */
  readonly attributes: ReadonlyArray<Uint8Array>
  /** DER of the attributes as a SET (tag 0x31): the bytes the signer signs. */
  readonly toBeSigned: Uint8Array
}

/**
 * CAdES signed attributes over `contentDigest` for the certificate `cert`
 * (DER) whose SHA-256 is `certHash`.
 */
export const signedAttributesDer = (
  contentDigest: Uint8Array,
  cert: Uint8Array,
  certHash: Uint8Array,
  contentType: string = OID.data,
): SignedAttributesDer => {
  const o = oids()
  const ids = certificateIds(cert)
  // IssuerSerial: GeneralNames { [4] directoryName (EXPLICIT: Name is a CHOICE) }, serial.
  const issuerSerial = sequence(sequence(tlv(TAG.context(4), ids.issuer)), ids.serialNumber)
  const attributes = sortedSetOf([
    sequence(o.contentType, set(oid(contentType))),
    sequence(o.messageDigest, set(octetString(contentDigest))),
    sequence(o.signingCertificateV2, set(sequence(sequence(sequence(octetString(certHash), issuerSerial))))),
  ])
  return { attributes, toBeSigned: set(...attributes) }
}

export interface CmsDerInput {
  readonly algorithm: SignatureAlgorithm
  readonly certificate: Uint8Array
  readonly chain: ReadonlyArray<Uint8Array>
  readonly signedAttributes: SignedAttributesDer
  readonly signature: Uint8Array
  /** RFC 3161 TimeStampToken over `signature` (B-T), placed in the unsigned attributes. */
  readonly timestampToken?: Uint8Array | undefined
}

/** ContentInfo { signedData, SignedData v1 detached over id-data, one SignerInfo }. */
export const cmsDer = (input: CmsDerInput): Uint8Array => {
  const o = oids()
  const ids = certificateIds(input.certificate)
  const signatureAlgorithm = algorithms().get(input.algorithm) ?? signatureAlgorithmDer(input.algorithm)
  const signerInfo = sequence(
    smallInteger(1),
    sequence(ids.issuer, ids.serialNumber),
    o.sha256,
    tlv(TAG.context(0), ...input.signedAttributes.attributes),
    signatureAlgorithm,
    octetString(input.signature),
    ...(input.timestampToken
      ? [tlv(TAG.context(1), sequence(o.signatureTimeStampToken, set(input.timestampToken)))]
      : []),
  )
  const signedData = sequence(
    smallInteger(1),
    set(o.sha256),
    sequence(oid(OID.data)),
    tlv(TAG.context(0), input.certificate, ...input.chain),
    set(signerInfo),
  )
  return sequence(o.signedData, tlv(TAG.context(0), signedData))
}
