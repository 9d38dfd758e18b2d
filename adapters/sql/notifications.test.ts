/** Issue 17: 提醒 rows on both dialects: newest first by number, unread counted, marking read touches only the number's own. */
import { describe, expect } from "vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { Notification } from "../../core/notifications/Notification.ts"
import { NotificationRepository } from "../../core/ports/NotificationRepository.ts"
import { Database, migrate } from "./index.ts"
import { layerNotificationRepository } from "./notifications.ts"

const row = (id: string, mobile: string, at: number) =>
  Schema.decodeUnknownSync(Notification)({ id, mobile, template: "SIGNET_CONTRACT_REMIND", text: `提醒 ${id}`, link: null, createdAt: at, readAt: null })

const run = (database: Layer.Layer<Database, unknown>) =>
  Effect.gen(function*() {
    yield* migrate
    const repo = yield* NotificationRepository
    const mine = "13800000101"
    const theirs = "13800000102"
    yield* repo.insert(row("1000000000000000001", mine, 1_000))
    yield* repo.insert(row("1000000000000000002", mine, 2_000))
    yield* repo.insert(row("1000000000000000003", theirs, 3_000))
    const page = yield* repo.list(mine, { limit: 10, offset: 0 })
    const second = yield* repo.list(mine, { limit: 1, offset: 1 })
    const before = [yield* repo.count(mine), yield* repo.unread(mine)]
    // Another number's id is neither found nor marked.
    const foreign = [Option.isSome(yield* repo.find(mine, "1000000000000000003")), yield* repo.markRead(mine, "1000000000000000003", 5_000)]
    const one = yield* repo.markRead(mine, "1000000000000000002", 5_000)
    const again = yield* repo.markRead(mine, "1000000000000000002", 6_000)
    const all = yield* repo.markRead(mine, null, 7_000)
    const found = Option.getOrThrow(yield* repo.find(mine, "1000000000000000002"))
    return { page: page.map((n) => n.id), second: second.map((n) => n.id), before, foreign, one, again, all, readAt: found.readAt, unreadAfter: yield* repo.unread(mine), theirs: yield* repo.unread(theirs) }
  }).pipe(Effect.provide(layerNotificationRepository.pipe(Layer.provideMerge(database))))

describe("NotificationRepository on the notifications table", () => {
  itOnSqliteAndPostgres("notifications", async (database) => {
    const r = await Effect.runPromise(run(database))
    expect(r.page).toEqual(["1000000000000000002", "1000000000000000001"])
    expect(r.second).toEqual(["1000000000000000001"])
    expect(r.before).toEqual([2, 2])
    expect(r.foreign).toEqual([false, 0])
    expect([r.one, r.again, r.all]).toEqual([1, 0, 1])
    expect(r.readAt).toBe(5_000)
    expect([r.unreadAfter, r.theirs]).toEqual([0, 1])
  })
})
