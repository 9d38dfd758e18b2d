import { Clock, Effect } from "effect"
import { LimitCounters, type LimitRule } from "../../../core/ports/LimitCounters.ts"
import type { Runner } from "./runner.ts"

/** Records a hit for `key`; resolves to the seconds to wait when over the limit, else 0. */
export interface Limiter {
  readonly hit: (key: string) => Promise<number>
}

/**
 * A rate limit kept in the database (core/ports/LimitCounters): every
 * instance on the database counts into the same row and a restart forgets
 * nothing. Per client address (log-in attempts, SMS code requests) or per
 * account (partner API key). Reaching the limit blocks for a whole window.
 */
export const sharedLimiter = (run: Runner<LimitCounters>, name: string, rule: LimitRule): Limiter => ({
  hit: (key) =>
    run(Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const tally = yield* (yield* LimitCounters).hit(`rate:${name}:${key}`, rule, now)
      return tally.count > rule.limit ? Math.max(1, Math.ceil((tally.windowEndsAt - now) / 1000)) : 0
    })),
})
