/**
 * Verifies one signature with a public key through WebCrypto: RSA PKCS#1 v1.5
 * and RSA-PSS (parameters from the AlgorithmIdentifier), ECDSA on P-256,
 * P-384 and P-521, each with SHA-256/384/512. Anything else is an
 * UnsupportedAlgorithm failure, never "the signature does not verify".
 */
import * as asn1js from "asn1js"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import type { DigestAlgorithm } from "../../ports/Crypto.ts"
import { digestAlgorithm, unsupported, UnsupportedAlgorithm } from "../cms/algorithms.ts"
import { OID } from "../cms/oids.ts"

/** ECDSA-Sig-Value DER -> raw r||s of `size` bytes each (WebCrypto's format). */
export const ecdsaDerToRaw = (der: Uint8Array, size = 32): Uint8Array | undefined => {
  const parsed = asn1js.fromBER(new Uint8Array(der))
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined
  const out = new Uint8Array(size * 2)
  const ints = parsed.result.valueBlock.value
  if (ints.length !== 2) return undefined
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

type Curve = "P-256" | "P-384" | "P-521"

/** A signature scheme WebCrypto can check. */
export type Scheme =
  | { readonly kind: "RSA-PKCS1"; readonly hash: DigestAlgorithm; readonly name: string }
  | { readonly kind: "RSA-PSS"; readonly hash: DigestAlgorithm; readonly saltLength: number; readonly name: string }
  | { readonly kind: "ECDSA"; readonly hash: DigestAlgorithm; readonly curve: Curve; readonly name: string }

const RSA_HASH: Record<string, DigestAlgorithm> = {
  [OID.sha256WithRsa]: "SHA-256",
  [OID.sha384WithRsa]: "SHA-384",
  [OID.sha512WithRsa]: "SHA-512",
}
const ECDSA_HASH: Record<string, DigestAlgorithm> = {
  [OID.ecdsaWithSha256]: "SHA-256",
  [OID.ecdsaWithSha384]: "SHA-384",
  [OID.ecdsaWithSha512]: "SHA-512",
}
const CURVES: Record<string, Curve> = { [OID.secp256r1]: "P-256", [OID.secp384r1]: "P-384", [OID.secp521r1]: "P-521" }
const CURVE_BYTES: Record<Curve, number> = { "P-256": 32, "P-384": 48, "P-521": 66 }
const short = (hash: DigestAlgorithm) => hash.replace("-", "")

/** RFC 4055 RSASSA-PSS-params; absent fields take their (SHA-1) defaults, which the SHA-1 policy then refuses. */
const pssScheme = (params: unknown): Scheme | UnsupportedAlgorithm => {
  let p: pkijs.RSASSAPSSParams
  try {
    p = new pkijs.RSASSAPSSParams({ schema: params })
  } catch {
    return new UnsupportedAlgorithm({ algorithm: "RSA-PSS with unreadable parameters", policy: false })
  }
  const hash = digestAlgorithm(p.hashAlgorithm.algorithmId)
  if (hash instanceof UnsupportedAlgorithm) return hash
  if (p.maskGenAlgorithm.algorithmId !== OID.mgf1) return unsupported(p.maskGenAlgorithm.algorithmId)
  let mgfHash: string
  try {
    mgfHash = new pkijs.AlgorithmIdentifier({ schema: p.maskGenAlgorithm.algorithmParams }).algorithmId
  } catch {
    mgfHash = OID.sha1 // MGF1 without parameters: its SHA-1 default
  }
  const mgf = digestAlgorithm(mgfHash)
  if (mgf instanceof UnsupportedAlgorithm) return mgf
  // WebCrypto's RSA-PSS uses one hash for the message and MGF1; so do all PAdES profiles.
  if (mgf !== hash) return new UnsupportedAlgorithm({ algorithm: `RSA-PSS ${hash} with MGF1-${mgf}`, policy: false })
  if (p.trailerField !== 1) return new UnsupportedAlgorithm({ algorithm: `RSA-PSS trailer field ${p.trailerField}`, policy: false })
  return { kind: "RSA-PSS", hash, saltLength: p.saltLength, name: `RSA-PSS-${short(hash)}` }
}

/**
 * The scheme of a signature: its AlgorithmIdentifier and the signer's key
 * decide; `digestOid` (the CMS SignerInfo's digest algorithm) supplies the hash
 * when the identifier names only the key type (rsaEncryption, ecPublicKey).
 */
export const signatureScheme = (
  sigAlg: pkijs.AlgorithmIdentifier,
  spki: pkijs.PublicKeyInfo,
  digestOid?: string,
): Scheme | UnsupportedAlgorithm => {
  const keyOid = spki.algorithm.algorithmId
  const sigOid = sigAlg.algorithmId
  const fromDigest = () => (digestOid === undefined ? unsupported(sigOid) : digestAlgorithm(digestOid))
  if (keyOid === OID.rsaEncryption || keyOid === OID.rsassaPss) {
    if (sigOid === OID.rsassaPss) return pssScheme(sigAlg.algorithmParams)
    const hash = RSA_HASH[sigOid] ?? (sigOid === OID.rsaEncryption ? fromDigest() : unsupported(sigOid))
    return hash instanceof UnsupportedAlgorithm ? hash : { kind: "RSA-PKCS1", hash, name: `RSA-PKCS1-${short(hash)}` }
  }
  if (keyOid === OID.ecPublicKey) {
    const params = spki.algorithm.algorithmParams
    const curveOid = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : "ecParameters"
    const curve = CURVES[curveOid]
    if (!curve) return unsupported(curveOid)
    const hash = ECDSA_HASH[sigOid] ?? (sigOid === OID.ecPublicKey ? fromDigest() : unsupported(sigOid))
    return hash instanceof UnsupportedAlgorithm ? hash : { kind: "ECDSA", hash, curve, name: `ECDSA-${curve.replace("-", "")}-${short(hash)}` }
  }
  return unsupported(sigOid === OID.rsaEncryption || sigOid === OID.ecPublicKey ? keyOid : sigOid)
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

const run = (crypto: Crypto, scheme: Scheme, spki: pkijs.PublicKeyInfo, data: Uint8Array, signature: Uint8Array): Promise<boolean> => {
  const bytes = new Uint8Array(data)
  switch (scheme.kind) {
    case "ECDSA": {
      const raw = ecdsaDerToRaw(signature, CURVE_BYTES[scheme.curve])
      if (!raw) return Promise.resolve(false)
      return crypto.subtle
        .importKey("spki", new Uint8Array(spki.toSchema().toBER(false)), { name: "ECDSA", namedCurve: scheme.curve }, false, ["verify"])
        .then((key) => crypto.subtle.verify({ name: "ECDSA", hash: scheme.hash }, key, new Uint8Array(raw), bytes))
    }
    case "RSA-PSS":
      return crypto.subtle
        .importKey("spki", new Uint8Array(rsaSpki(spki)), { name: "RSA-PSS", hash: scheme.hash }, false, ["verify"])
        .then((key) => crypto.subtle.verify({ name: "RSA-PSS", saltLength: scheme.saltLength }, key, new Uint8Array(signature), bytes))
    case "RSA-PKCS1":
      return crypto.subtle
        .importKey("spki", new Uint8Array(rsaSpki(spki)), { name: "RSASSA-PKCS1-v1_5", hash: scheme.hash }, false, ["verify"])
        .then((key) => crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, new Uint8Array(signature), bytes))
  }
}

/** True when `signature` over `data` verifies; false when it does not or the key is unusable. */
export const verifySignature = (
  crypto: Crypto,
  spki: pkijs.PublicKeyInfo,
  sigAlg: pkijs.AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  digestOid?: string,
): Effect.Effect<boolean, UnsupportedAlgorithm> => {
  const scheme = signatureScheme(sigAlg, spki, digestOid)
  if (scheme instanceof UnsupportedAlgorithm) return Effect.fail(scheme)
  return Effect.tryPromise({ try: () => run(crypto, scheme, spki, data, signature), catch: () => false as const }).pipe(
    Effect.catch(() => Effect.succeed(false)),
  )
}
