/**
 * DEVELOPMENT ONLY: a MailSender that keeps every message instead of sending
 * it, in a directory (one JSON file per message, so both apps and other
 * processes on the same data dir see them) or in memory (tests). The portal's
 * /dev/mail page reads them back. Production never wires it.
 */
import { randomUUID } from "node:crypto"
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { MailNotDelivered, MailSender } from "../../core/ports/MailSender.ts"

export const OutboxMail = Schema.Struct({
  id: Schema.String,
  to: Schema.String,
  subject: Schema.String,
  text: Schema.String,
  /** Attached files, kept whole (base64) so the dev page can offer them; absent in messages written before attachments. */
  attachments: Schema.optionalKey(Schema.Array(Schema.Struct({ filename: Schema.String, contentType: Schema.String, base64: Schema.String }))),
  createdAt: Schema.Number,
})
export type OutboxMail = typeof OutboxMail.Type

/** Reads the development mail outbox, newest first, optionally for one recipient. */
export class MailOutbox extends Context.Service<MailOutbox, {
  readonly recent: (limit: number, to?: string) => Effect.Effect<ReadonlyArray<OutboxMail>>
}>()("adapters/mail-outbox/MailOutbox") {}

interface Store {
  readonly put: (mail: OutboxMail) => void
  readonly all: () => ReadonlyArray<OutboxMail>
}

const make = (store: Store) => {
  // Ids sort in sending order (time, then a per-process sequence): "newest" is exact.
  let sequence = 0
  const sender: MailSender["Service"] = {
    send: (m) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.try({
          try: () => {
            const id = `${String(now).padStart(15, "0")}-${String(sequence++ % 1e6).padStart(6, "0")}-${randomUUID().slice(0, 8)}`
            store.put({
              id, to: m.to, subject: m.subject, text: m.text, createdAt: now,
              ...(m.attachments === undefined ? {} : {
                attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, base64: Buffer.from(a.content).toString("base64") })),
              }),
            })
          },
          catch: (e) => new MailNotDelivered({ reason: `outbox: ${e instanceof Error ? e.message : String(e)}` }),
        })),
  }
  const outbox: MailOutbox["Service"] = {
    recent: (limit, to) =>
      Effect.sync(() =>
        [...store.all()].filter((m) => to === undefined || m.to === to).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, limit)
      ),
  }
  return Layer.merge(Layer.succeed(MailSender, sender), Layer.succeed(MailOutbox, outbox))
}

const decode = Schema.decodeUnknownOption(Schema.fromJsonString(OutboxMail))

/** Messages as files in `dir` (created if missing). Unreadable files are skipped. */
export const layerDir = (dir: string) =>
  Layer.unwrap(Effect.sync(() => {
    mkdirSync(dir, { recursive: true })
    return make({
      put: (mail) => writeFileSync(join(dir, `${mail.id}.json`), JSON.stringify(mail), { mode: 0o600 }),
      all: () =>
        readdirSync(dir).filter((f) => f.endsWith(".json")).flatMap((f) => {
          const m = decode(readFileSync(join(dir, f), "utf8"))
          return m._tag === "Some" ? [m.value] : []
        }),
    })
  }))

/** Messages in memory, for tests. */
export const layerMemory = Layer.unwrap(Effect.sync(() => {
  const mails: Array<OutboxMail> = []
  return make({ put: (m) => void mails.push(m), all: () => mails })
}))

/** Where mail really leaves (SMTP), the dev page has nothing to show. */
export const layerNoOutbox = Layer.succeed(MailOutbox, { recent: () => Effect.succeed([]) })
