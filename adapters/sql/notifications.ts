import { Effect, Layer, Option } from "effect"
import { Notification } from "../../core/notifications/Notification.ts"
import { NotificationRepository } from "../../core/ports/NotificationRepository.ts"
import { Database, decodeRow, queryOn } from "./Database.ts"

/** 提醒 rows (migration 0025). Times epoch ms. */
export interface NotificationsTable {
  id: string
  mobile: string
  template: string
  text: string
  link: string | null
  created_at: number
  read_at: number | null
}

declare module "./schema.ts" {
  interface DB {
    notifications: NotificationsTable
  }
}

const decode = decodeRow(Notification, "notifications")
const toNotification = (r: NotificationsTable) =>
  decode({
    id: r.id, mobile: r.mobile, template: r.template, text: r.text, link: r.link,
    createdAt: Number(r.created_at), readAt: r.read_at === null ? null : Number(r.read_at),
  })

export const layerNotificationRepository = Layer.effect(
  NotificationRepository,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      insert: (n) =>
        q("notifications.insert", (db) =>
          db.insertInto("notifications").values({
            id: n.id, mobile: n.mobile, template: n.template, text: n.text, link: n.link, created_at: n.createdAt, read_at: n.readAt,
          }).execute()).pipe(Effect.asVoid),
      list: (mobile, page) =>
        q("notifications.list", (db) =>
          db.selectFrom("notifications").selectAll().where("mobile", "=", mobile)
            .orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset).execute()).pipe(
            Effect.flatMap(Effect.forEach(toNotification)),
          ),
      find: (mobile, id) =>
        q("notifications.find", (db) => db.selectFrom("notifications").selectAll().where("mobile", "=", mobile).where("id", "=", id).executeTakeFirst()).pipe(
          Effect.flatMap((r) => r === undefined ? Effect.succeedNone : Effect.map(toNotification(r), Option.some)),
        ),
      count: (mobile) =>
        q("notifications.count", (db) =>
          db.selectFrom("notifications").select((eb) => eb.fn.countAll().as("n")).where("mobile", "=", mobile).executeTakeFirstOrThrow()).pipe(
          Effect.map((r) => Number(r.n)),
        ),
      unread: (mobile) =>
        q("notifications.unread", (db) =>
          db.selectFrom("notifications").select((eb) => eb.fn.countAll().as("n")).where("mobile", "=", mobile).where("read_at", "is", null)
            .executeTakeFirstOrThrow()).pipe(Effect.map((r) => Number(r.n))),
      markRead: (mobile, id, at) =>
        q("notifications.markRead", (db) => {
          const base = db.updateTable("notifications").set({ read_at: at }).where("mobile", "=", mobile).where("read_at", "is", null)
          return (id === null ? base : base.where("id", "=", id)).executeTakeFirst()
        }).pipe(Effect.map((r) => Number(r.numUpdatedRows))),
    }
  }),
)
