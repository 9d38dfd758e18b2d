/** 提醒 centre: a user's notices (those texted to their mobile), the unread count in the header, marking them read. */
import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import { NotificationRepository } from "../ports/NotificationRepository.ts"

export const PAGE_SIZE = 20

/** One page of the user's notices, newest first, with the total and unread counts. */
export const myNotifications = Effect.fn("notifications.mine")(function*(user: User, page: number) {
  const repo = yield* NotificationRepository
  const current = Math.max(1, Math.floor(page))
  const items = yield* repo.list(user.mobile, { limit: PAGE_SIZE, offset: (current - 1) * PAGE_SIZE })
  return { items, page: current, total: yield* repo.count(user.mobile), unread: yield* repo.unread(user.mobile) }
})

export const unreadCount = (user: User) => NotificationRepository.use((r) => r.unread(user.mobile))

/** Marks every notice of the user read. */
export const markAllRead = Effect.fn("notifications.markAllRead")(function*(user: User) {
  return yield* (yield* NotificationRepository).markRead(user.mobile, null, yield* Clock.currentTimeMillis)
})

/**
 * Opens one notice: marks it read and answers where it leads. Another
 * number's notice is "not found" (ids are guessable, notices are not shared).
 */
export const openNotification = Effect.fn("notifications.open")(function*(user: User, id: string) {
  const repo = yield* NotificationRepository
  const found = yield* repo.find(user.mobile, id)
  if (Option.isNone(found)) return yield* new NotFound({ entity: "notification", id })
  yield* repo.markRead(user.mobile, id, yield* Clock.currentTimeMillis)
  return found.value
})
