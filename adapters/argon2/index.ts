import { hash, verify } from "@node-rs/argon2"
import { Effect, Layer } from "effect"
import { PasswordHasher } from "../../core/ports/PasswordHasher.ts"

export interface Argon2Cost {
  /** KiB of memory per hash. */
  readonly memoryCost: number
  readonly timeCost: number
}

/** OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. */
export const productionCost: Argon2Cost = { memoryCost: 19_456, timeCost: 2 }

/**
 * PasswordHasher on argon2id (@node-rs/argon2, its default algorithm; the
 * cost parameters travel inside each hash, so raising them later still verifies old hashes).
 */
export const layerWith = (cost: Argon2Cost) =>
  Layer.succeed(PasswordHasher, {
    hash: (password) => Effect.promise(() => hash(password, { ...cost, parallelism: 1 })),
    verify: (hashed, password) =>
      Effect.promise(() => verify(hashed, password)).pipe(Effect.catchCause(() => Effect.succeed(false))),
  })

export const layer = layerWith(productionCost)

/** Cheap argon2id for tests (still the real algorithm). */
export const testCost: Argon2Cost = { memoryCost: 1024, timeCost: 1 }
export const layerTest = layerWith(testCost)
