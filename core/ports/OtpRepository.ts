import { Context, type Effect, type Option } from "effect"
import type { OtpChallenge } from "../otp/Otp.ts"
import type { RepositoryError } from "../kernel/errors.ts"
import type { OtpId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class OtpRepository extends Context.Service<OtpRepository, {
  readonly insert: (challenge: OtpChallenge) => Op<void>
  /** The newest challenge for this number and purpose, used or not. */
  readonly latest: (mobile: string, purpose: string) => Op<Option.Option<OtpChallenge>>
  /** Unused, unexpired challenges of a number, any purpose. */
  readonly active: (mobile: string, now: number) => Op<ReadonlyArray<OtpChallenge>>
  /** When codes were sent to this number since `since` (rate limits). */
  readonly sentSince: (mobile: string, since: number) => Op<ReadonlyArray<number>>
  /** Adds one failed attempt atomically; returns the new count. */
  readonly recordFailure: (id: OtpId) => Op<number>
  /** Marks the challenge used; false if it already was (no double use). */
  readonly consume: (id: OtpId, at: number) => Op<boolean>
}>()("core/ports/OtpRepository") {}
