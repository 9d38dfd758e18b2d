/**
 * In-memory sliding-window rate limiter for one process (log-in attempts and
 * SMS sends per client address). The per-number SMS limits of A5 live in core
 * and hold across processes; this one only blunts floods from one client.
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
