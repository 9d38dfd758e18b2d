import { Clock, Effect, Exit } from "effect"
import type { ApiKeyId, StoredResponse } from "./Api.ts"
import { IdempotencyInProgress, IdempotencyKeyReused } from "./ApiErrors.ts"
import { ApiRepository } from "./ApiRepository.ts"

/** Idempotency records are kept a day: a client retrying later than that is making a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000

/**
 * Runs a POST at most once per (API key, Idempotency-Key): a retry with the
 * same body gets the first response again (`replayed`), a different body is
 * refused, and a retry while the first is still running is told so. Server
 * errors (5xx) and failures are not kept, so the client may retry them.
 */
export const idempotent = <E, R>(keyId: ApiKeyId, idempotencyKey: string, requestSha256: string, run: Effect.Effect<StoredResponse, E, R>) =>
  Effect.gen(function*() {
    const repo = yield* ApiRepository
    const begun = yield* repo.beginIdempotent(keyId, idempotencyKey, requestSha256, yield* Clock.currentTimeMillis)
    switch (begun._tag) {
      case "Replay":
        return { response: begun.response, replayed: true }
      case "Mismatch":
        return yield* new IdempotencyKeyReused()
      case "InProgress":
        return yield* new IdempotencyInProgress()
    }
    const exit = yield* Effect.exit(run)
    if (Exit.isSuccess(exit) && exit.value.status < 500) {
      yield* repo.finishIdempotent(keyId, idempotencyKey, exit.value)
    } else {
      yield* repo.abandonIdempotent(keyId, idempotencyKey)
    }
    return { response: yield* exit, replayed: false }
  })
