/**
 * CAdES signed attributes for PAdES baseline: content-type, message-digest
 * and signing-certificate-v2 (no signing-time: the time is /M in the PDF and
 * the timestamp). DER requires a SET OF to be sorted by encoding, which
 * asn1js does not do, so attributes are sorted here.
 */
import * as asn1js from "asn1js"
import * as pkijs from "pkijs"
import { OID } from "./oids.ts"

const der = (schema: asn1js.BaseBlock): Uint8Array => new Uint8Array(schema.toBER(false))

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** Sorts attributes by their DER encoding (X.690 11.6). */
export const sortAttributes = (attrs: ReadonlyArray<pkijs.Attribute>): Array<pkijs.Attribute> =>
  attrs
    .map((a) => ({ a, bytes: der(a.toSchema()) }))
    .sort((x, y) => compareBytes(x.bytes, y.bytes))
    .map((x) => x.a)

export const parseCertificate = (certDer: Uint8Array): pkijs.Certificate =>
  pkijs.Certificate.fromBER(new Uint8Array(certDer))

/** ESS signing-certificate-v2 with SHA-256 (default algorithm, so omitted) and issuerSerial. */
export const signingCertificateV2 = (cert: pkijs.Certificate, certHash: Uint8Array): pkijs.Attribute => {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      cert.serialNumber,
    ],
  })
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(certHash) }), issuerSerial] })
  return new pkijs.Attribute({
    type: OID.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  })
}

export interface SignedAttributes {
  readonly attributes: ReadonlyArray<pkijs.Attribute>
  /** DER of the attributes as a SET (tag 0x31): the bytes the signer signs. */
  readonly toBeSigned: Uint8Array
}

export const buildSignedAttributes = (
  contentDigest: Uint8Array,
  cert: pkijs.Certificate,
  certHash: Uint8Array,
  contentType: string = OID.data,
): SignedAttributes => {
  const attributes = sortAttributes([
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: contentType })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: new Uint8Array(contentDigest) })] }),
    signingCertificateV2(cert, certHash),
  ])
  return { attributes, toBeSigned: encodeAttributeSet(attributes) }
}

/** DER SET OF the attributes, in the given (already sorted) order. */
export const encodeAttributeSet = (attributes: ReadonlyArray<pkijs.Attribute>): Uint8Array => {
  const encoded = der(new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: [...attributes] }).toSchema())
  encoded[0] = 0x31
  return encoded
}
