import { Effect, Layer, Option } from "effect"
import { Notification } from "../../core/notifications/Notification.ts"
import { NotificationRepository } from "../../core/ports/NotificationRepository.ts"
import { compiledOnce, Database, decodeRow, queryOn } from "./Database.ts"

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
    const { db } = yield* Database
    const q = queryOn(db)
    // Kept with acts and counted on every page: built and compiled once.
    const insert = compiledOnce(db, (d, id: string, mobile: string, template: string, text: string, link: string | null, createdAt: number, readAt: number | null) =>
      d.insertInto("notifications").values({ id, mobile, template, text, link, created_at: createdAt, read_at: readAt }))
    const unread = compiledOnce(db, (d, mobile: string) =>
      d.selectFrom("notifications").select((eb) => eb.fn.countAll().as("n")).where("mobile", "=", mobile).where("read_at", "is", null))
    return {
      insert: (n) =>
        q("notifications.insert", (d) => d.executeQuery(insert(n.id, n.mobile, n.template, n.text, n.link, n.createdAt, n.readAt))).pipe(Effect.asVoid),
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
        q("notifications.unread", async (d) => (await d.executeQuery(unread(mobile))).rows[0]).pipe(Effect.map((r) => Number(r?.n ?? 0))),
      markRead: (mobile, id, at) =>
        q("notifications.markRead", (db) => {
          const base = db.updateTable("notifications").set({ read_at: at }).where("mobile", "=", mobile).where("read_at", "is", null)
          return (id === null ? base : base.where("id", "=", id)).executeTakeFirst()
        }).pipe(Effect.map((r) => Number(r.numUpdatedRows))),
    }
  }),
)
