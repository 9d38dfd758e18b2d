import { Clock, Effect, Option, Schema } from "effect"
import { Hex } from "effect/encoding"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { EnterpriseId } from "../organizations/Enterprise.ts"
import { Crypto } from "../ports/Crypto.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { ApiKey, type ApiKeyId } from "./Api.ts"
import { NotEnterpriseAdmin } from "./ApiErrors.ts"
import { ApiRepository } from "./ApiRepository.ts"
import { deriveSecret, sha256Hex } from "./ApiSecret.ts"

export const ApiKeyName = Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "name.trim" }), Schema.isBetweenLength(1, 40, { message: "name.length" })))

/**
 * The enterprise, when `user` is its admin: only the admin (R2) creates and
 * revokes API keys and webhook endpoints. Anyone else learns nothing more
 * than "not found" or "not the admin".
 */
export const administeredEnterprise = Effect.fn("api.administeredEnterprise")(function*(user: User, enterpriseId: EnterpriseId) {
  const found = yield* EnterpriseRepository.use((r) => r.findById(enterpriseId))
  if (Option.isNone(found)) return yield* new NotFound({ entity: "enterprise", id: enterpriseId })
  if (found.value.adminUserId !== user.id) return yield* new NotEnterpriseAdmin()
  return found.value
})

/** P4: a new API key; the secret is returned this once and never stored. */
export const createApiKey = Effect.fn("api.createKey")(function*(admin: User, enterpriseId: EnterpriseId, name: string) {
  yield* administeredEnterprise(admin, enterpriseId)
  const crypto = yield* Crypto
  const id = `ak_${Hex.encode(yield* crypto.randomBytes(12))}` as ApiKeyId
  const salt = Hex.encode(yield* crypto.randomBytes(16))
  const secret = yield* deriveSecret("api", id, salt)
  const key = new ApiKey({
    id, enterpriseId, name, salt, secretSha256: yield* sha256Hex(secret),
    createdBy: admin.id, createdAt: yield* Clock.currentTimeMillis, revokedAt: null, lastUsedAt: null,
  })
  yield* ApiRepository.use((r) => r.insertKey(key))
  return { key, secret }
})

/** Revokes a key at once: requests signed with it are refused from now on. */
export const revokeApiKey = Effect.fn("api.revokeKey")(function*(admin: User, enterpriseId: EnterpriseId, keyId: ApiKeyId) {
  yield* administeredEnterprise(admin, enterpriseId)
  const revoked = yield* ApiRepository.use((r) => Effect.flatMap(Clock.currentTimeMillis, (now) => r.revokeKey(keyId, enterpriseId, now)))
  if (!revoked) return yield* new NotFound({ entity: "api key", id: keyId })
})

export const listApiKeys = Effect.fn("api.listKeys")(function*(admin: User, enterpriseId: EnterpriseId) {
  const enterprise = yield* administeredEnterprise(admin, enterpriseId)
  return { enterprise, keys: yield* ApiRepository.use((r) => r.listKeys(enterpriseId)) }
})
