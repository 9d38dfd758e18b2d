import { Context, Data, type Effect } from "effect"
import type { SignatureAlgorithm, SigningFailed } from "./Signer.ts"

/** Key types a store can generate. */
export type KeyType = "RSA-2048" | "RSA-3072" | "EC-P256"

/** No key with this label in the store. */
export class KeyNotFound extends Data.TaggedError("KeyNotFound")<{ readonly label: string }> {}

/** The store refused or failed an operation (locked, wrong PIN, I/O, label already used). */
export class KeyStoreFailed extends Data.TaggedError("KeyStoreFailed")<{ readonly reason: string }> {}

export interface KeyStoreShape {
  /** Creates a key pair inside the store; returns the SubjectPublicKeyInfo DER. */
  readonly generate: (label: string, type: KeyType) => Effect.Effect<Uint8Array, KeyStoreFailed>
  /** The SubjectPublicKeyInfo DER of an existing key. */
  readonly publicKey: (label: string) => Effect.Effect<Uint8Array, KeyNotFound | KeyStoreFailed>
  /** Signs `data` with the labelled key (hash-and-sign with SHA-256 inside the store). */
  readonly sign: (
    label: string,
    algorithm: SignatureAlgorithm,
    data: Uint8Array,
  ) => Effect.Effect<Uint8Array, KeyNotFound | SigningFailed>
}

/**
 * Platform-held keys (software or HSM), unlocked per signing act. Adapters:
 * `adapters/keys-software` (AES-GCM at rest), `adapters/pkcs11` (token).
 */
export class KeyStore extends Context.Service<KeyStore, KeyStoreShape>()("core/ports/KeyStore") {}
