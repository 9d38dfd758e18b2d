import { Clock, Effect, Exit } from "effect"
import type { ApiKeyId, StoredResponse } from "./Api.ts"
import { IdempotencyInProgress, IdempotencyKeyReused } from "./ApiErrors.ts"
import { ApiRepository } from "../ports/ApiRepository.ts"

/** Idempotency records are kept a day: a client retrying later than that is making a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000

/**
 * A request still "in progress" after this long is taken to have died with its
 * process (a crash, a kill): a retry with the same key runs it again instead
 * of being told `idempotency_in_progress` forever. Far above any request's time.
 */
export const IDEMPOTENCY_LEASE_MS = 2 * 60_000

/**
 * Runs a POST at most once per (API key, Idempotency-Key): a retry with the
 * same body gets the first response again (`replayed`), a different body is
 * refused, and a retry while the first is still running is told so (until
 * the lease lapses). Server errors (5xx) and failures are not kept, so the
 * client may retry them.
 */
export const idempotent = <E, R>(keyId: ApiKeyId, idempotencyKey: string, requestSha256: string, run: Effect.Effect<StoredResponse, E, R>) =>
  Effect.gen(function*() {
    const repo = yield* ApiRepository
    const now = yield* Clock.currentTimeMillis
    const begun = yield* repo.beginIdempotent(keyId, idempotencyKey, requestSha256, now, now - IDEMPOTENCY_LEASE_MS)
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

/** A request body as its meaning, not its bytes: what an Idempotency-Key's fingerprint is taken over. */
export type RequestContent =
  /** multipart/form-data: each field's text, each file by its content's SHA-256 (hex), in the order sent. */
  | { readonly _tag: "Form"; readonly entries: ReadonlyArray<readonly [string, { readonly text: string } | { readonly fileSha256: string }]> }
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Bytes"; readonly sha256: string }

const canonicalJson = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonicalJson)
    : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonicalJson((v as Record<string, unknown>)[k])]))
    : v

/**
 * The text a request's fingerprint is the hash of: method, path and the
 * decoded content. The same upload re-encoded with a new multipart boundary,
 * or the same JSON with its keys in another order, is the same request.
 */
export const fingerprintText = (method: string, path: string, content: RequestContent): string =>
  JSON.stringify([method, path, content._tag === "Json" ? { _tag: "Json", value: canonicalJson(content.value) } : content])
