import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { Notification } from "../notifications/Notification.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** 提醒 rows, one per notice texted, read by the number they were texted to. */
export class NotificationRepository extends Context.Service<NotificationRepository, {
  /** Joins the caller's transaction when there is one (UnitOfWork). */
  readonly insert: (notification: Notification) => Op<void>
  /** Newest first. */
  readonly list: (mobile: string, page: { readonly limit: number; readonly offset: number }) => Op<ReadonlyArray<Notification>>
  /** The notice only if it was texted to this number. */
  readonly find: (mobile: string, id: string) => Op<Option.Option<Notification>>
  readonly count: (mobile: string) => Op<number>
  readonly unread: (mobile: string) => Op<number>
  /** Marks one notice (or, with null, every notice) of this number read; how many changed. Another number's id changes nothing. */
  readonly markRead: (mobile: string, id: string | null, at: number) => Op<number>
}>()("core/ports/NotificationRepository") {}
