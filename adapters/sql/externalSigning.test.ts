/** Issue 20: a prepared signature completes once and an auto-signing authorization's count holds, under concurrency, on both dialects. */
import { describe, expect } from "vitest"
import { Effect, Layer } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { PreparedExternalSignature } from "../../core/contracts/ExternalSignature.ts"
import { ExternalSignatureRepository } from "../../core/ports/ExternalSignatureRepository.ts"
import { AutoSignAuthorization } from "../../core/seals/AutoSignAuthorization.ts"
import { AutoSignRepository } from "../../core/ports/AutoSignRepository.ts"
import { Database, migrate } from "./index.ts"
import { layerAutoSignRepository } from "./autoSign.ts"
import { layerExternalSignatureRepository } from "./externalSignatures.ts"

const NOW = 1_800_000_000_000

const run = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    yield* migrate
    const prepared = yield* ExternalSignatureRepository
    const p = new PreparedExternalSignature({
      id: "0123456789abcdef0123456789abcdef", contractId: "1234567890123456789" as never, partyIndex: 1, fieldName: "Signet-x-party1-key", actor: "api:k1",
      baseSha256: "aa".repeat(32), preparedSha256: "bb".repeat(32), contentsStart: 1000, contentsEnd: 40_000, contentDigest: "cc".repeat(32),
      certificate: "3082", createdAt: NOW, expiresAt: NOW + 600_000, completedAt: null,
    })
    yield* prepared.insert(p)
    const found = yield* prepared.find(p.id)
    const expiredTry = yield* prepared.complete(p.id, NOW + 600_000)
    const completions = yield* Effect.forEach([1, 2, 3, 4, 5], () => prepared.complete(p.id, NOW + 1000), { concurrency: "unbounded" })
    const after = yield* prepared.find(p.id)

    const auto = yield* AutoSignRepository
    yield* auto.insert(new AutoSignAuthorization({
      id: "auth000000000001", enterpriseId: "e1", sealId: "s1", scopeKind: "templates", scopeValues: ["nda", "purchase"],
      validFrom: NOW - 1000, validUntil: NOW + 1000, maxCount: 3, usedCount: 0, grantedBy: "u1", createdAt: NOW, revokedAt: null, revokedBy: null,
    }))
    const takes = yield* Effect.forEach(Array.from({ length: 8 }, (_, i) => i), () => auto.take("auth000000000001", NOW), { concurrency: "unbounded" })
    const late = yield* auto.take("auth000000000001", NOW + 1000)
    const revoked = [yield* auto.revoke("other", "auth000000000001", "u2", NOW), yield* auto.revoke("e1", "auth000000000001", "u1", NOW), yield* auto.revoke("e1", "auth000000000001", "u1", NOW)]
    const [listed] = yield* auto.listOf("e1")
    yield* auto.recordTemplate("1234567890123456789", "nda")
    return { found, expiredTry, completions, after, takes, late, revoked, listed, template: yield* auto.templateOf("1234567890123456789"), none: yield* auto.templateOf("1") }
  }).pipe(Effect.provide(Layer.mergeAll(layerExternalSignatureRepository, layerAutoSignRepository).pipe(Layer.provideMerge(database))))

describe("prepared signatures and auto-signing authorizations (migration 0021)", () => {
  itOnSqliteAndPostgres("external signing", async (database) => {
    const r = await Effect.runPromise(run(database))
    expect(r.found?.contentsEnd).toBe(40_000)
    expect(r.expiredTry).toBe(false)
    expect(r.completions.filter(Boolean)).toHaveLength(1)
    expect(r.after?.completedAt).toBe(NOW + 1000)
    expect(r.takes.filter(Boolean)).toHaveLength(3)
    expect(r.late).toBe(false)
    expect(r.revoked).toEqual([false, true, false])
    expect([r.listed?.usedCount, r.listed?.scopeValues, r.listed?.revokedBy]).toEqual([3, ["nda", "purchase"], "u1"])
    expect([r.template, r.none]).toEqual(["nda", undefined])
  })
})
