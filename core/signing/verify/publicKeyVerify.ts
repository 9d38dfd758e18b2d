/** Verifies one signature with a public key through WebCrypto (RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256). */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { OID } from "../cms/oids.ts"

const SHA256_RSA = new Set([OID.rsaEncryption, OID.sha256WithRsa])

/** ECDSA-Sig-Value DER -> raw r||s of `size` bytes each (WebCrypto's format). */
export const ecdsaDerToRaw = (der: Uint8Array, size = 32): Uint8Array | undefined => {
  const parsed = asn1js.fromBER(new Uint8Array(der))
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined
  const out = new Uint8Array(size * 2)
  const ints = parsed.result.valueBlock.value
  for (let i = 0; i < 2; i++) {
    const int = ints[i]
    if (!(int instanceof asn1js.Integer)) return undefined
    let v = new Uint8Array(int.valueBlock.valueHexView)
    while (v.length > size && v[0] === 0) v = v.subarray(1)
    if (v.length > size) return undefined
    out.set(v, i * size + (size - v.length))
  }
  return out
}

/** A human name of the algorithm, or undefined if unsupported. */
export const describeAlgorithm = (sigAlgOid: string, keyAlgOid: string): string | undefined => {
  if (keyAlgOid === OID.ecPublicKey && (sigAlgOid === OID.ecdsaWithSha256 || sigAlgOid === OID.ecPublicKey)) return "ECDSA-P256-SHA256"
  if (sigAlgOid === OID.rsassaPss) return "RSA-PSS-SHA256"
  if (SHA256_RSA.has(sigAlgOid as typeof OID.rsaEncryption)) return "RSA-PKCS1-SHA256"
  return undefined
}

const pssSaltLength = (params: unknown): number => {
  try {
    const p = new pkijs.RSASSAPSSParams({ schema: params })
    return p.saltLength
  } catch {
    return 32
  }
}

export const verifySignature = (
  crypto: Crypto,
  spki: pkijs.PublicKeyInfo,
  sigAlg: pkijs.AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
): Effect.Effect<boolean> => {
  const keyOid = spki.algorithm.algorithmId
  const name = describeAlgorithm(sigAlg.algorithmId, keyOid)
  const spkiDer = new Uint8Array(spki.toSchema().toBER(false))
  const run = (): Promise<boolean> => {
    switch (name) {
      case "ECDSA-P256-SHA256": {
        const raw = ecdsaDerToRaw(signature)
        if (!raw) return Promise.resolve(false)
        return crypto.subtle
          .importKey("spki", spkiDer, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"])
          .then((key) => crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, new Uint8Array(raw), new Uint8Array(data)))
      }
      case "RSA-PSS-SHA256":
        return crypto.subtle
          .importKey("spki", new Uint8Array(rsaSpki(spki)), { name: "RSA-PSS", hash: "SHA-256" }, false, ["verify"])
          .then((key) =>
            crypto.subtle.verify({ name: "RSA-PSS", saltLength: pssSaltLength(sigAlg.algorithmParams) }, key, new Uint8Array(signature), new Uint8Array(data)),
          )
      case "RSA-PKCS1-SHA256":
        return crypto.subtle
          .importKey("spki", new Uint8Array(rsaSpki(spki)), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"])
          .then((key) => crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, new Uint8Array(signature), new Uint8Array(data)))
      default:
        return Promise.resolve(false)
    }
  }
  return Effect.tryPromise({ try: run, catch: () => false as const }).pipe(Effect.catch(() => Effect.succeed(false)))
}

/** WebCrypto imports RSA keys only under rsaEncryption; re-wrap an RSASSA-PSS SPKI if needed. */
const rsaSpki = (spki: pkijs.PublicKeyInfo): Uint8Array => {
  if (spki.algorithm.algorithmId === OID.rsaEncryption) return new Uint8Array(spki.toSchema().toBER(false))
  const copy = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    subjectPublicKey: spki.subjectPublicKey,
  })
  return new Uint8Array(copy.toSchema().toBER(false))
}
