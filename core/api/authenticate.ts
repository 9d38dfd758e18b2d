import { Clock, Effect, Option, Schema } from "effect"
import { Crypto } from "../ports/Crypto.ts"
import { ApiKeyId } from "./Api.ts"
import { ApiKeyInvalid, ApiNonceReplayed, ApiSignatureMismatch, ApiTimestampOutOfWindow, ApiUnauthenticated } from "./ApiErrors.ts"
import { ApiRepository } from "../ports/ApiRepository.ts"
import { deriveSecret, hmacHex, sha256Hex } from "./ApiSecret.ts"

export const AUTH_SCHEME = "SIGNET-HMAC-SHA256"
/** A signed request is good for five minutes either side of the server's clock. */
export const WINDOW_SECONDS = 300

/** A request as the API received it. `target` is the path with its query string, exactly as sent. */
export interface ApiRequest {
  readonly method: string
  readonly target: string
  readonly authorization: string | undefined
  readonly body: Uint8Array
}

/**
 * What the client signs: method, path + query, timestamp (Unix seconds),
 * nonce and the SHA-256 of the body (hex; of zero bytes when there is none),
 * one per line.
 */
export const stringToSign = (method: string, target: string, timestamp: string, nonce: string, bodySha256: string) =>
  [method.toUpperCase(), target, timestamp, nonce, bodySha256].join("\n")

const HEADER = /^SIGNET-HMAC-SHA256\s+Credential=([^,\s]+),\s*Timestamp=(\d{1,12}),\s*Nonce=([A-Za-z0-9_-]{16,64}),\s*Signature=([0-9a-f]{64})$/

/**
 * P4 request authentication: `Authorization: SIGNET-HMAC-SHA256
 * Credential=<key id>, Timestamp=<unix s>, Nonce=<16-64 url-safe chars>,
 * Signature=<hex HMAC-SHA256(secret, stringToSign)>`. Checked in this order:
 * shape, time window, key, signature, and only then the nonce, so a forged
 * request cannot burn a client's nonces. Returns the key.
 */
export const authenticate = Effect.fn("api.authenticate")(function*(req: ApiRequest) {
  const m = HEADER.exec(req.authorization?.trim() ?? "")
  if (m === null) return yield* new ApiUnauthenticated({ detail: `Authorization: ${AUTH_SCHEME} Credential=…, Timestamp=…, Nonce=…, Signature=… is required` })
  const [, credential, timestamp, nonce, signature] = m as unknown as [string, string, string, string, string]
  const now = yield* Clock.currentTimeMillis
  const skew = Math.round(now / 1000) - Number(timestamp)
  if (Math.abs(skew) > WINDOW_SECONDS) return yield* new ApiTimestampOutOfWindow({ skewSeconds: skew })
  const keyId = Schema.decodeUnknownOption(ApiKeyId)(credential)
  if (Option.isNone(keyId)) return yield* new ApiKeyInvalid()
  const repo = yield* ApiRepository
  const key = yield* repo.findKey(keyId.value)
  if (Option.isNone(key) || key.value.revokedAt !== null) return yield* new ApiKeyInvalid()
  const secret = yield* deriveSecret("api", key.value.id, key.value.salt)
  const crypto = yield* Crypto
  const enc = new TextEncoder()
  if (!crypto.timingSafeEqual(enc.encode(yield* sha256Hex(secret)), enc.encode(key.value.secretSha256))) return yield* new ApiKeyInvalid()
  const expected = yield* hmacHex(secret, stringToSign(req.method, req.target, timestamp, nonce, yield* sha256Hex(req.body)))
  if (!crypto.timingSafeEqual(enc.encode(expected), enc.encode(signature))) return yield* new ApiSignatureMismatch()
  if (!(yield* repo.useNonce(key.value.id, nonce, now))) return yield* new ApiNonceReplayed()
  yield* repo.touchKey(key.value.id, now)
  return key.value
})
