import { Context, type Effect } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** A counter's state after a hit: how many hits its current window holds, and when that window ends. */
export interface Tally {
  readonly count: number
  readonly windowEndsAt: number
}

/** At most `limit` hits per window of `windowMs`. */
export interface LimitRule {
  readonly limit: number
  readonly windowMs: number
}

/**
 * Counters in fixed windows, shared by every process on the database: the
 * count of wrong codes per number, of failed log-ins per account, of requests
 * per client address. A hit is one atomic update (never read-then-write), so
 * parallel requests on several instances are counted one by one.
 */
export class LimitCounters extends Context.Service<LimitCounters, {
  /**
   * Adds one to `key`; when its window is over (or it has none) a new one of
   * `rule.windowMs` starts at `now` with this hit. The hit that reaches
   * `rule.limit` starts the window again, so a lock lasts a whole window from
   * the moment it is reached. Callers count a try before making it and refuse
   * it when the returned count is over the limit.
   */
  readonly hit: (key: string, rule: LimitRule, now: number) => Op<Tally>
  /** Takes back one hit of the current window (a try that turned out to be allowed). */
  readonly release: (key: string) => Op<void>
  /** Forgets `key` (a successful log-in, an unlock). */
  readonly clear: (key: string) => Op<void>
  /** Deletes counters whose window ended before `before`; returns how many. */
  readonly purge: (before: number) => Op<number>
}>()("core/ports/LimitCounters") {}
