/**
 * Prepared signatures (issue 20) live ten minutes: after that a completion is
 * refused, so the row and the prepared revision it names are garbage. The job
 * `external-signatures-cleanup` (apps/api/jobs.ts) removes them hourly: the
 * blob first, then the row, so a failure between the two leaves a row that the
 * next run removes again, never a blob that no row names.
 */
import { Clock, Effect } from "effect"
import { BlobStore } from "../ports/BlobStore.ts"
import { ExternalSignatureRepository } from "../ports/ExternalSignatureRepository.ts"

export const PREPARED_CLEANUP_JOB = "external-signatures-cleanup"

/** Rows removed per query: the job walks page after page until none is left. */
const PAGE = 100

/** Removes every prepared signature whose ten minutes are over, with its prepared revision; how many. */
export const collectExpiredPreparedSignatures = Effect.fn("contracts.collectExpiredPreparedSignatures")(function*() {
  const now = yield* Clock.currentTimeMillis
  const repo = yield* ExternalSignatureRepository
  const blobs = yield* BlobStore
  let removed = 0
  for (;;) {
    const page = yield* repo.expiredBefore(now, PAGE)
    for (const p of page) {
      yield* blobs.delete(p.preparedSha256)
      yield* repo.remove(p.id)
    }
    removed += page.length
    if (page.length < PAGE) return removed
  }
})
