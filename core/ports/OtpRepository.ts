import { Context, type Effect, type Option } from "effect"
import type { OtpChallenge } from "../otp/Otp.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { OtpId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class OtpRepository extends Context.Service<OtpRepository, {
  readonly insert: (challenge: OtpChallenge) => Op<void>
  /** The newest challenge for this number and purpose, used or not. */
  readonly latest: (mobile: string, purpose: string) => Op<Option.Option<OtpChallenge>>
  /** When codes were sent to this number since `since` (rate limits). */
  readonly sentSince: (mobile: string, since: number) => Op<ReadonlyArray<number>>
  /**
   * Counts one try before the code is compared, atomically and only while
   * fewer than `max` were made: returns the new count, or null when none is
   * left (so parallel tries cannot all pass a check made before any counted).
   */
  readonly recordAttempt: (id: OtpId, max: number) => Op<number | null>
  /** Marks the challenge used; false if it already was (no double use). */
  readonly consume: (id: OtpId, at: number) => Op<boolean>
}>()("core/ports/OtpRepository") {}
