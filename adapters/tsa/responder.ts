/**
 * RFC 3161 responder: TimeStampReq DER in, TimeStampResp DER out. The TSA
 * key is used through the `Signer` port; the token carries signed attributes
 * with ESS signing-certificate-v2 (RFC 5816) and the TSA certificate chain.
 */
import { createHash, randomBytes } from "node:crypto"
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { Signer } from "../../core/ports/Signer.ts"
import { signatureAlgorithmId } from "../../core/signing/cms/algorithms.ts"
import { OID } from "../../core/signing/cms/oids.ts"
import { buildSignedAttributes, parseCertificate } from "../../core/signing/cms/signedAttributes.ts"

const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest())

export interface TsaResponderOptions {
  readonly signer: Signer
  readonly policy?: string
  readonly now?: () => Date
}

const rejection = (status: number, text: string, failBit: number): Uint8Array => {
  const bits = new Uint8Array(4)
  bits[failBit >> 3] = 0x80 >> (failBit & 7)
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status,
      statusStrings: [new asn1js.Utf8String({ value: text })],
      failInfo: new asn1js.BitString({ valueHex: bits.subarray(0, (failBit >> 3) + 1), unusedBits: 7 - (failBit & 7) }),
    }),
  })
  return new Uint8Array(resp.toSchema().toBER(false))
}

export const respond = (request: Uint8Array, options: TsaResponderOptions): Effect.Effect<Uint8Array, unknown> =>
  Effect.gen(function* () {
    const parsed = asn1js.fromBER(new Uint8Array(request))
    if (parsed.offset === -1) return rejection(2, "malformed request", 5) // badDataFormat
    const req = yield* Effect.try(() => new pkijs.TimeStampReq({ schema: parsed.result }))
    if (req.messageImprint.hashAlgorithm.algorithmId !== OID.sha256) return rejection(2, "only SHA-256 imprints", 0) // badAlg
    const genTime = options.now?.() ?? new Date()
    genTime.setMilliseconds(0)
    const serial = randomBytes(16)
    serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: options.policy ?? "1.3.6.1.4.1.99999.1.1",
      messageImprint: req.messageImprint,
      serialNumber: new asn1js.Integer({ valueHex: new Uint8Array(serial) }),
      genTime,
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
      ...(req.nonce ? { nonce: req.nonce } : {}),
    })
    const eContent = new Uint8Array(tstInfo.toSchema().toBER(false))
    const cert = parseCertificate(options.signer.certificate)
    const attrs = buildSignedAttributes(sha256(eContent), cert, sha256(options.signer.certificate), OID.tstInfo)
    const signature = yield* options.signer.sign(attrs.toBeSigned)
    const signedData = new pkijs.SignedData({
      version: 3,
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({
        eContentType: OID.tstInfo,
        eContent: new asn1js.OctetString({ valueHex: eContent }),
      }),
      ...(req.certReq ? { certificates: [cert, ...options.signer.chain.map(parseCertificate)] } : {}),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
          digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: [...attrs.attributes] }),
          signatureAlgorithm: signatureAlgorithmId(options.signer.algorithm),
          signature: new asn1js.OctetString({ valueHex: new Uint8Array(signature) }),
        }),
      ],
    })
    const token = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) })
    const resp = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 0 }), timeStampToken: token })
    return new Uint8Array(resp.toSchema().toBER(false))
  })
