/**
 * Algorithm identifiers: as pkijs objects for what Signet signs (certificates,
 * CRLs, TSA tokens), and the digests a verifier accepts. SHA-1 is refused by
 * policy (collisions are practical); SM3, SHA-224 and anything unknown are not
 * implemented: both are "unsupported algorithm X", never a failed digest.
 */
import { Schema } from "effect"
import * as pkijs from "pkijs"
import type { DigestAlgorithm } from "../../ports/Crypto.ts"
import type { SignatureAlgorithm } from "../../ports/Signer.ts"
import { signatureAlgorithmDer } from "./cades.ts"
import { OID } from "./oids.ts"

/** The same encoding the PAdES CMS uses (see cades.ts). */
export const signatureAlgorithmId = (algorithm: SignatureAlgorithm): pkijs.AlgorithmIdentifier =>
  pkijs.AlgorithmIdentifier.fromBER(new Uint8Array(signatureAlgorithmDer(algorithm)))

/** A signature, certificate or timestamp uses an algorithm Signet does not verify, so it can be neither accepted nor called forged. */
export class UnsupportedAlgorithm extends Schema.TaggedError<UnsupportedAlgorithm>()("UnsupportedAlgorithm", {
  algorithm: Schema.String,
  /** Refused by policy (SHA-1) rather than not implemented. */
  policy: Schema.Boolean,
}) {
  override get message(): string {
    return `unsupported algorithm ${this.algorithm}${this.policy ? " (refused by policy)" : ""}`
  }
  get messageZh(): string {
    return `不支持的算法 ${this.algorithm}${this.policy ? "（按安全策略不予接受）" : ""}`
  }
}

const NAMES: Record<string, string> = {
  [OID.sha1]: "SHA-1",
  [OID.sha224]: "SHA-224",
  [OID.sm3]: "SM3",
  [OID.md5WithRsa]: "RSA-MD5",
  [OID.sha1WithRsa]: "RSA-SHA1",
  [OID.sha224WithRsa]: "RSA-SHA224",
  [OID.ecdsaWithSha1]: "ECDSA-SHA1",
  [OID.ecdsaWithSha224]: "ECDSA-SHA224",
  [OID.sm2WithSm3]: "SM2-SM3",
  [OID.sm2Curve]: "SM2",
  [OID.secp256k1]: "ECDSA secp256k1",
  [OID.ed25519]: "Ed25519",
  [OID.ed448]: "Ed448",
  [OID.dsa]: "DSA",
}

const SHA1_FAMILY = new Set<string>([OID.sha1, OID.sha1WithRsa, OID.ecdsaWithSha1])

export const unsupported = (oid: string): UnsupportedAlgorithm =>
  new UnsupportedAlgorithm({ algorithm: NAMES[oid] ?? `OID ${oid}`, policy: SHA1_FAMILY.has(oid) })

const DIGESTS: Record<string, DigestAlgorithm> = {
  [OID.sha256]: "SHA-256",
  [OID.sha384]: "SHA-384",
  [OID.sha512]: "SHA-512",
}

/** The digest an AlgorithmIdentifier's OID names, or why it is not accepted. */
export const digestAlgorithm = (oid: string): DigestAlgorithm | UnsupportedAlgorithm => DIGESTS[oid] ?? unsupported(oid)
