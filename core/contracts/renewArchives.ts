import { Clock, Data, Duration, Effect, Option } from "effect"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { PadesProfile } from "../ports/PadesProfile.ts"
import { newestArchiveExpiry } from "../signing/ltv/renewal.ts"
import { Contract } from "./Contract.ts"
import { contractEvent, recordHistory, updateContract } from "./store.ts"

/** The contract's newest document timestamp outlives the window (or it is no longer completed): nothing to write. */
class NothingToRenew extends Data.TaggedError("NothingToRenew")<{}> {}

/** The archive renewal job (apps/api/jobs.ts), and its default window (SIGNET_ARCHIVE_RENEWAL_DAYS). */
export const ARCHIVE_RENEWAL_JOB = "contracts-archive-renewal"
export const ARCHIVE_RENEWAL_DAYS = 90

const iso = (d: Date | undefined) => (d === undefined ? null : d.toISOString())

/**
 * Archive renewal of one completed contract (B-LTA): when its document's
 * newest document timestamp's TSA certificate expires within `window`, a new
 * DSS and document timestamp are appended (PadesProfile.renew) and stored as
 * the next document version. The version, its history line and the
 * `contract.archive_renewed` event commit in one transaction; a contract
 * written concurrently is renewed again from what was written (updateContract's
 * revision check), never overwritten. True when a version was written.
 */
export const renewContractArchive = Effect.fn("contracts.renewArchive")(function*(id: NumericId, window: Duration.Input) {
  const blobs = yield* BlobStore
  const pades = yield* PadesProfile
  let facts: { readonly previousSha256: string; readonly previousExpiry: string | null; readonly expiry: string | null } | undefined
  const renewed = yield* updateContract(id, (current) =>
    Effect.gen(function*() {
      if (current.status !== "completed") return yield* new NothingToRenew()
      const stored = yield* blobs.get(current.documentSha256)
      if (Option.isNone(stored)) return yield* new NotFound({ entity: "contract document", id })
      const bytes = yield* pades.renew(stored.value, window)
      if (bytes === undefined) return yield* new NothingToRenew()
      facts = { previousSha256: current.documentSha256, previousExpiry: iso(newestArchiveExpiry(stored.value)), expiry: iso(newestArchiveExpiry(bytes)) }
      return new Contract({ ...current, documentSha256: yield* blobs.put(bytes), documentVersion: current.documentVersion + 1 })
    }), (saved) => contractEvent("contract.archive_renewed", "system", null, { ...facts })(saved), (saved) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      yield* ContractRepository.use((r) => r.addVersion(id, saved.documentVersion, saved.documentSha256, now))
      yield* recordHistory(id, now, null, "archive_renewed",
        `归档时间戳续期：追加验证数据与文档时间戳（文件版本 ${saved.documentVersion}，SHA-256 ${saved.documentSha256.slice(0, 16)}…${facts?.expiry == null ? "" : `，新时间戳证书有效期至 ${facts.expiry.slice(0, 10)}`}）`)
    })).pipe(Effect.map(() => true), Effect.catchTag("NothingToRenew", () => Effect.succeed(false)))
  return renewed
})

/**
 * The recurring archive renewal (issue 21, B-LTA): walks every completed
 * contract by number, `limit` at a time, and renews those whose newest
 * document timestamp expires within `window`. Below B-LTA the deployment
 * keeps no archive timestamps and nothing is done. One contract's failure
 * (its TSA unreachable, a damaged file) is logged and left for the next run;
 * the others go on. A run right after a run renews nothing.
 */
export const renewArchiveTimestamps = Effect.fn("contracts.renewArchiveTimestamps")(function*(options: { readonly window: Duration.Input; readonly limit?: number | undefined }) {
  const pades = yield* PadesProfile
  const result = { checked: 0, renewed: 0, failed: 0 }
  if (pades.level !== "B-LTA") return result
  const window = Duration.fromInputUnsafe(options.window)
  const limit = options.limit ?? 100
  let after: NumericId | undefined
  for (;;) {
    const page = yield* ContractRepository.use((r) => r.completedAfter(after, limit))
    for (const c of page) {
      result.checked++
      const done = yield* Effect.result(renewContractArchive(c.id, window))
      if (done._tag === "Success") {
        if (done.success) result.renewed++
      } else {
        result.failed++
        yield* Effect.logWarning("archive renewal failed; retried on the next run", { contract: c.id, error: done.failure })
      }
    }
    if (page.length < limit) return result
    after = page[page.length - 1]!.id
  }
})
