/** `Tsa` over HTTP against any RFC 3161 server (nonce checked, imprint checked, status granted). */
import { randomBytes } from "node:crypto"
import * as asn1js from "asn1js"
import { Effect, Layer } from "effect"
import * as pkijs from "pkijs"
import { TimestampFailed, Tsa, type TsaShape } from "../../core/ports/Tsa.ts"
import { OID } from "../../core/signing/cms/oids.ts"

export const buildRequest = (imprint: Uint8Array, nonce: Uint8Array): Uint8Array =>
  new Uint8Array(
    new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(imprint) }),
      }),
      nonce: new asn1js.Integer({ valueHex: new Uint8Array(nonce) }),
      certReq: true,
    }).toSchema().toBER(false),
  )

/** Extracts the token from a TimeStampResp, checking status, imprint and nonce. */
export const tokenFromResponse = (response: Uint8Array, imprint: Uint8Array, nonce: Uint8Array): Uint8Array => {
  const resp = pkijs.TimeStampResp.fromBER(new Uint8Array(response))
  if (resp.status.status !== 0 && resp.status.status !== 1) {
    throw new Error(`TSA refused: status ${resp.status.status} ${resp.status.statusStrings?.map((s) => s.valueBlock.value).join(" ") ?? ""}`)
  }
  if (!resp.timeStampToken) throw new Error("TSA response has no token")
  const sd = new pkijs.SignedData({ schema: resp.timeStampToken.content })
  const content = sd.encapContentInfo.eContent
  if (!content) throw new Error("token has no TSTInfo")
  const tst = pkijs.TSTInfo.fromBER(new Uint8Array(content.getValue()))
  if (!Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(Buffer.from(imprint))) {
    throw new Error("token imprint does not match the request")
  }
  const want = new asn1js.Integer({ valueHex: new Uint8Array(nonce) })
  if (!tst.nonce || !tst.nonce.isEqual(want)) throw new Error("token nonce does not match the request")
  return new Uint8Array(resp.timeStampToken.toSchema().toBER(false))
}

export const makeHttpTsa = (url: string, fetchImpl: typeof fetch = fetch): TsaShape => ({
  timestamp: (imprint) => {
    const nonce = randomBytes(8)
    nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x01
    return Effect.tryPromise({
      try: async () => {
        const res = await fetchImpl(url, {
          method: "POST",
          headers: { "content-type": "application/timestamp-query" },
          body: new Uint8Array(buildRequest(imprint, nonce)),
        })
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        return tokenFromResponse(new Uint8Array(await res.arrayBuffer()), imprint, nonce)
      },
      catch: (e) => new TimestampFailed({ reason: `${url}: ${e instanceof Error ? e.message : String(e)}` }),
    })
  },
})

export const layer = (url: string) => Layer.succeed(Tsa, makeHttpTsa(url))
