import { Clock, Effect, Schema } from "effect"
import { Hex } from "effect/encoding"
import type { User } from "../accounts/User.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import { orgEvent } from "../organizations/orgActs.ts"
import type { EnterpriseId } from "../organizations/Enterprise.ts"
import { Crypto } from "../ports/Crypto.ts"
import { headOffice, orgScope, scopeCan } from "../organizations/orgScope.ts"
import { ApiKey, type ApiKeyId } from "./Api.ts"
import { NotEnterpriseAdmin } from "./ApiErrors.ts"
import { ApiRepository } from "../ports/ApiRepository.ts"
import { deriveSecret, sha256Hex } from "./ApiSecret.ts"

export const ApiKeyName = Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "name.trim" }), Schema.isBetweenLength(1, 40, { message: "name.length" })))

/**
 * The enterprise, when `user` may manage its API keys and webhook endpoints
 * (`api.manage` on the head office: the admin, R2), read afresh from the
 * membership tables. A non-member gets "not found" (ids reveal nothing);
 * a member who may not gets NotEnterpriseAdmin; a deactivated one Forbidden.
 */
export const administeredEnterprise = Effect.fn("api.administeredEnterprise")(function*(user: User, enterpriseId: EnterpriseId) {
  const scope = yield* orgScope(user.id, enterpriseId)
  if (!scopeCan(scope, "api.manage", headOffice(scope))) return yield* new NotEnterpriseAdmin()
  return scope.enterprise
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
  yield* withEvidence(ApiRepository.use((r) => r.insertKey(key)), orgEvent("apiKey.created", enterpriseId, admin.id, { key: id, name }))
  return { key, secret }
})

/** Revokes a key at once: requests signed with it are refused from now on. */
export const revokeApiKey = Effect.fn("api.revokeKey")(function*(admin: User, enterpriseId: EnterpriseId, keyId: ApiKeyId) {
  yield* administeredEnterprise(admin, enterpriseId)
  const now = yield* Clock.currentTimeMillis
  // The event is recorded only when a live key of this enterprise was revoked: NotFound rolls the transaction back.
  const revoke = Effect.flatMap(ApiRepository.use((r) => r.revokeKey(keyId, enterpriseId, now)), (revoked) =>
    revoked ? Effect.void : Effect.fail(new NotFound({ entity: "api key", id: keyId })))
  yield* withEvidence(revoke, orgEvent("apiKey.revoked", enterpriseId, admin.id, { key: keyId }))
})

export const listApiKeys = Effect.fn("api.listKeys")(function*(admin: User, enterpriseId: EnterpriseId) {
  const enterprise = yield* administeredEnterprise(admin, enterpriseId)
  return { enterprise, keys: yield* ApiRepository.use((r) => r.listKeys(enterpriseId)) }
})
