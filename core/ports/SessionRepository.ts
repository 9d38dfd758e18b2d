import { Context, type Effect, type Option } from "effect"
import type { Session, SessionKind } from "../accounts/User.ts"
import type { RepositoryError } from "../kernel/errors.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

export class SessionRepository extends Context.Service<SessionRepository, {
  readonly insert: (session: Session) => Op<void>
  readonly find: (tokenHash: string) => Op<Option.Option<Session>>
  readonly delete: (tokenHash: string) => Op<void>
  /** Ends every session of a subject except `keepTokenHash` (if given). */
  readonly deleteForSubject: (kind: SessionKind, subjectId: string, keepTokenHash: string | null) => Op<number>
  readonly deleteExpired: (now: number) => Op<number>
}>()("core/ports/SessionRepository") {}
