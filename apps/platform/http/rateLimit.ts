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

/**
 * In-memory sliding-window rate limiter for one process, for what is not yet
 * on the shared limiter (the admin app's log-in).
 */
export class RateLimiter {
  readonly #hits = new Map<string, Array<number>>()
  readonly #limit: number
  readonly #windowMs: number
  readonly #now: () => number

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.#limit = limit
    this.#windowMs = windowMs
    this.#now = now
  }

  /** Records a hit for `key`; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.#now()
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs)
    if (recent.length >= this.#limit) {
      this.#hits.set(key, recent)
      return Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000))
    }
    recent.push(now)
    this.#hits.set(key, recent)
    if (this.#hits.size > 10_000) this.#sweep(now)
    return 0
  }

  #sweep(now: number): void {
    for (const [k, v] of this.#hits) if (v.every((t) => t <= now - this.#windowMs)) this.#hits.delete(k)
  }
}
