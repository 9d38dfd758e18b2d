/**
 * Private-key operations with `node:crypto` on a KeyObject held in process
 * memory (the software key store decrypts into one per act).
 */
import { constants, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto"
import { readFileSync } from "node:fs"
import { Effect } from "effect"
import { SigningFailed, type SignatureAlgorithm, type Signer } from "../../core/ports/Signer.ts"
import { pemBlocks } from "./pem.ts"

export const signWithKey = (key: KeyObject, algorithm: SignatureAlgorithm, data: Uint8Array): Uint8Array => {
  switch (algorithm) {
    case "RSA-PKCS1-SHA256":
      return new Uint8Array(sign("sha256", data, key))
    case "RSA-PSS-SHA256":
      return new Uint8Array(sign("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }))
    case "ECDSA-P256-SHA256":
      return new Uint8Array(sign("sha256", data, { key, dsaEncoding: "der" }))
  }
}

/** The scheme a key supports by default (RSA keys default to PKCS#1 v1.5; pass `pss` to prefer PSS). */
export const algorithmOf = (key: KeyObject, pss = false): SignatureAlgorithm => {
  const type = key.asymmetricKeyType
  if (type === "rsa") return pss ? "RSA-PSS-SHA256" : "RSA-PKCS1-SHA256"
  if (type === "rsa-pss") return "RSA-PSS-SHA256"
  if (type === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ECDSA-P256-SHA256"
  throw new Error(`unsupported key type ${type} ${key.asymmetricKeyDetails?.namedCurve ?? ""}`)
}

export const signerFromKey = (
  key: KeyObject,
  certificate: Uint8Array,
  chain: ReadonlyArray<Uint8Array>,
  options: { readonly pss?: boolean } = {},
): Signer => {
  const algorithm = algorithmOf(key, options.pss === true)
  return {
    algorithm,
    certificate,
    chain,
    sign: (data) =>
      Effect.try({ try: () => signWithKey(key, algorithm, data), catch: (e) => new SigningFailed({ reason: String(e) }) }),
  }
}

/** A Signer from PEM files (dev/CLI use: the key file is the store). */
export const signerFromPemFiles = (paths: {
  readonly key: string
  readonly cert: string
  readonly chain?: string | undefined
  readonly pss?: boolean | undefined
}): Signer => {
  const key = createPrivateKey(readFileSync(paths.key))
  const [cert] = pemBlocks(readFileSync(paths.cert, "utf8"), "CERTIFICATE")
  if (!cert) throw new Error(`${paths.cert}: no certificate`)
  const chain = paths.chain ? pemBlocks(readFileSync(paths.chain, "utf8"), "CERTIFICATE") : []
  return signerFromKey(key, cert, chain, { pss: paths.pss === true })
}

/** SubjectPublicKeyInfo DER of a key. */
export const spkiOf = (key: KeyObject): Uint8Array => new Uint8Array(createPublicKey(key).export({ format: "der", type: "spki" }))
