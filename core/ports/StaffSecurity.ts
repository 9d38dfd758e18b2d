import { Context, type Effect } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { StaffId } from "../kernel/Ids.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** A staff member's authenticator: secrets sealed (SecretSealer), never in clear. */
export interface StaffTotp {
  /** The enrolled secret; null until an enrolment is confirmed by a first code. */
  readonly secret: string | null
  /** The secret shown on the enrolment page, waiting for its first code. */
  readonly pending: string | null
  /** The last step whose code was accepted: neither it nor an older one is accepted again. */
  readonly lastStep: number | null
}

/** X1 staff authenticators, kept in the database so they hold across processes and restarts (the lockout counts in LimitCounters). */
export class StaffSecurity extends Context.Service<StaffSecurity, {
  readonly totpOf: (id: StaffId) => Op<StaffTotp>
  readonly setPendingTotp: (id: StaffId, sealed: string) => Op<void>
  /** Makes `sealed` the enrolled secret, with `step` already used (the code that confirmed it). */
  readonly enableTotp: (id: StaffId, sealed: string, step: number) => Op<void>
  /** Records `step` as used, only if it is later than the last used one: false when it is not (a replay). Atomic across processes. */
  readonly useTotpStep: (id: StaffId, step: number) => Op<boolean>
  /** Forgets the account's authenticator (the operator's reset): the next log-in enrols again. */
  readonly removeTotp: (id: StaffId) => Op<void>
}>()("core/ports/StaffSecurity") {}
