import { Context, type Effect } from "effect"

/**
 * Hashing and secure randomness. Core never touches `node:crypto` or
 * `globalThis.crypto` itself: the Node adapter (`adapters/crypto-node`) uses
 * `node:crypto`, which is ~14x cheaper per call than WebCrypto for small inputs.
 * Hash functions are synchronous and pure (same input, same output); only
 * randomness is an effect.
 */
/** The digests signatures are checked with (SHA-2; SHA-1 and SM3 are refused or not implemented). */
export type DigestAlgorithm = "SHA-256" | "SHA-384" | "SHA-512"

/** A running hash whose state can be copied: nested ranges of one file hashed in a single pass. */
export interface IncrementalHash {
  readonly update: (part: Uint8Array) => IncrementalHash
  /** An independent hash that has seen what this one has. */
  readonly copy: () => IncrementalHash
  readonly digest: () => Uint8Array
}

export interface CryptoShape {
  /** SHA-256 over the concatenation of `parts`, without copying them together. */
  readonly sha256: (...parts: ReadonlyArray<Uint8Array>) => Uint8Array
  /** `algorithm` over the concatenation of `parts`, without copying them together. */
  readonly digest: (algorithm: DigestAlgorithm, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array
  /** A fresh incremental `algorithm` hash. */
  readonly incremental: (algorithm: DigestAlgorithm) => IncrementalHash
  /**
   * SHA-256 of the UTF-8 bytes of `text`, lower-case hex: an evidence event's
   * hash straight from its canonical text, with no byte copy of the text.
   */
  readonly sha256TextHex: (text: string) => string
  /** SHA-256 of the UTF-8 bytes of `text` (an evidence leaf hash from its text), with no byte copy of the text. */
  readonly sha256Text: (text: string) => Uint8Array
  /** HMAC-SHA-256 of the concatenation of `parts` under `key`. */
  readonly hmacSha256: (key: Uint8Array, ...parts: ReadonlyArray<Uint8Array>) => Uint8Array
  /** HMAC-SHA-1 of `message` under `key`: only for TOTP (RFC 6238), whose authenticator apps expect SHA-1. */
  readonly hmacSha1: (key: Uint8Array, message: Uint8Array) => Uint8Array
  /** Compares two byte strings in time independent of where they differ. */
  readonly timingSafeEqual: (a: Uint8Array, b: Uint8Array) => boolean
  /** Cryptographically secure random bytes. */
  readonly randomBytes: (length: number) => Effect.Effect<Uint8Array>
}

export class Crypto extends Context.Service<Crypto, CryptoShape>()("core/ports/Crypto") {}
