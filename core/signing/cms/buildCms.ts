/** Assembles the detached CMS SignedData of a PAdES signature (ETSI.CAdES.detached). */
import * as asn1js from "asn1js"
import * as pkijs from "pkijs"
import type { SignatureAlgorithm } from "../../ports/Signer.ts"
import { OID } from "./oids.ts"
import { parseCertificate, type SignedAttributes } from "./signedAttributes.ts"

const sha256Id = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })

export const signatureAlgorithmId = (algorithm: SignatureAlgorithm): pkijs.AlgorithmIdentifier => {
  switch (algorithm) {
    case "RSA-PKCS1-SHA256":
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() })
    case "ECDSA-P256-SHA256":
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 })
    case "RSA-PSS-SHA256": {
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: sha256Id(),
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: sha256Id().toSchema() }),
        saltLength: 32,
      })
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: params.toSchema() })
    }
  }
}

export interface CmsInput {
  readonly algorithm: SignatureAlgorithm
  readonly certificate: Uint8Array
  readonly chain: ReadonlyArray<Uint8Array>
  readonly signedAttributes: SignedAttributes
  readonly signature: Uint8Array
  /** RFC 3161 TimeStampToken over `signature` (B-T), placed in the unsigned attributes. */
  readonly timestampToken?: Uint8Array | undefined
}

export const buildCms = (input: CmsInput): Uint8Array => {
  const cert = parseCertificate(input.certificate)
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: sha256Id(),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: [...input.signedAttributes.attributes] }),
    signatureAlgorithm: signatureAlgorithmId(input.algorithm),
    signature: new asn1js.OctetString({ valueHex: new Uint8Array(input.signature) }),
  })
  if (input.timestampToken) {
    const token = asn1js.fromBER(new Uint8Array(input.timestampToken))
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [token.result] })],
    })
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Id()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [cert, ...input.chain.map(parseCertificate)],
    signerInfos: [signerInfo],
  })
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) })
  return new Uint8Array(contentInfo.toSchema().toBER(false))
}
