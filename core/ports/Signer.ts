import { Data, type Effect } from "effect"

/** Signature schemes the signing engine writes into CMS. */
export type SignatureAlgorithm = "RSA-PKCS1-SHA256" | "RSA-PSS-SHA256" | "ECDSA-P256-SHA256"

/** The key store could not perform the private-key operation (token removed, wrong PIN, key missing...). */
export class SigningFailed extends Data.TaggedError("SigningFailed")<{ readonly reason: string }> {}

/**
 * One signing identity for one act: a certificate and the private-key
 * operation behind it. The key never leaves its store (software key store,
 * HSM, USB key); only `sign` reaches it.
 */
export interface Signer {
  readonly algorithm: SignatureAlgorithm
  /** DER of the signer's certificate. */
  readonly certificate: Uint8Array
  /** DER of the issuing CA certificates (root optional), embedded in the CMS. */
  readonly chain: ReadonlyArray<Uint8Array>
  /**
   * Signs `data` with SHA-256 (the store hashes). RSA: the PKCS#1 v1.5 or PSS
   * (salt 32) signature; ECDSA: the DER-encoded Ecdsa-Sig-Value.
   */
  readonly sign: (data: Uint8Array) => Effect.Effect<Uint8Array, SigningFailed>
}
