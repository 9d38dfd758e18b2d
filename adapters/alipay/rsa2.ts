/**
 * Alipay open platform signatures, RSA2 = SHA256withRSA (PKCS#1 v1.5) in
 * base64 over "the signing string": every parameter with a non-empty value,
 * sorted by name (ASCII), written k=v and joined with &, raw (not URL-encoded).
 * Requests leave out `sign`; asynchronous notifications leave out `sign` and
 * `sign_type`.
 */
import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from "node:crypto"

export const signingString = (params: Readonly<Record<string, string>>, exclude: ReadonlyArray<string>): string =>
  Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")

export const REQUEST_EXCLUDES = ["sign"] as const
export const NOTIFY_EXCLUDES = ["sign", "sign_type"] as const

const wrap = (body: string, label: string) => `-----BEGIN ${label}-----\n${body.replace(/\s+/g, "").replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`

/** The merchant's private key as PEM, or as the bare base64 PKCS#8 / PKCS#1 string Alipay's key tool prints. */
export const privateKeyOf = (text: string): KeyObject => {
  if (text.includes("-----BEGIN")) return createPrivateKey(text)
  try {
    return createPrivateKey(wrap(text, "PRIVATE KEY"))
  } catch {
    return createPrivateKey(wrap(text, "RSA PRIVATE KEY"))
  }
}

/** Alipay's public key as PEM or bare base64 SubjectPublicKeyInfo. */
export const publicKeyOf = (text: string): KeyObject => createPublicKey(text.includes("-----BEGIN") ? text : wrap(text, "PUBLIC KEY"))

export const rsa2Sign = (content: string, key: KeyObject): string => createSign("RSA-SHA256").update(content, "utf8").sign(key, "base64")

export const rsa2Verify = (content: string, signature: string, key: KeyObject): boolean => {
  try {
    return createVerify("RSA-SHA256").update(content, "utf8").verify(key, signature, "base64")
  } catch {
    return false
  }
}

/**
 * The exact text of `"<key>": {...}` in an OpenAPI JSON response: Alipay signs
 * those bytes as they were sent, so they are cut out, not re-serialized.
 */
export const signedJsonOf = (body: string, key: string): string | null => {
  const at = body.indexOf(`"${key}"`)
  if (at < 0) return null
  const start = body.indexOf("{", at + key.length + 2)
  if (start < 0) return null
  let depth = 0
  let inString = false
  for (let i = start; i < body.length; i++) {
    const ch = body[i]
    if (inString) {
      if (ch === "\\") i++
      else if (ch === "\"") inString = false
    } else if (ch === "\"") inString = true
    else if (ch === "{") depth++
    else if (ch === "}" && --depth === 0) return body.slice(start, i + 1)
  }
  return null
}
