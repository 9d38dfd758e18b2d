import { randomUUID } from "node:crypto"
import { Clock, Context, Effect, Layer } from "effect"
import { SmsSender } from "../../core/ports/SmsSender.ts"
import { renderSms } from "../../core/ports/SmsTemplates.ts"
import { compiledOnce, Database, queryOn } from "../sql/Database.ts"
import type { RepositoryError } from "../../core/kernel/errors.ts"

export interface OutboxMessage {
  readonly id: string
  readonly mobile: string
  readonly text: string
  readonly createdAt: number
}

/** Reads the development outbox (the dev-only page and the browser tests read codes from it). */
export class SmsOutbox extends Context.Service<SmsOutbox, {
  readonly recent: (limit: number, mobile?: string) => Effect.Effect<ReadonlyArray<OutboxMessage>, RepositoryError>
}>()("adapters/sms/SmsOutbox") {}

/**
 * DEVELOPMENT ONLY: "sends" a text by storing it in the `sms_outbox` table.
 * The production profile refuses to start with this adapter.
 */
export const layerOutboxSender = Layer.effect(
  SmsSender,
  Effect.gen(function*() {
    const { db } = yield* Database
    const q = queryOn(db)
    const insert = compiledOnce(db, (d, id: string, mobile: string, text: string, createdAt: number) =>
      d.insertInto("sms_outbox").values({ id, mobile, text, created_at: createdAt }))
    // Ids sort in sending order (time, then a per-process sequence), so "latest" is exact.
    let sequence = 0
    return {
      send: (m) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const id = `${String(now).padStart(15, "0")}.${String(sequence++ % 1e6).padStart(6, "0")}.${randomUUID().slice(0, 8)}`
          return q("sms_outbox.insert", (d) => d.executeQuery(insert(id, m.mobile, renderSms(m), now)))
        }).pipe(Effect.asVoid, Effect.orDie),
    }
  }),
)

export const layerOutboxReader = Layer.effect(
  SmsOutbox,
  Effect.gen(function*() {
    const q = queryOn((yield* Database).db)
    return {
      recent: (limit, mobile) =>
        q("sms_outbox.recent", (db) => {
          let sel = db.selectFrom("sms_outbox").selectAll().orderBy("id", "desc").limit(limit)
          if (mobile !== undefined) sel = sel.where("mobile", "=", mobile)
          return sel.execute()
        }).pipe(Effect.map((rows) => rows.map((r) => ({ id: r.id, mobile: r.mobile, text: r.text, createdAt: r.created_at })))),
    }
  }),
)
