import { Context, type Effect, Schema } from "effect"
import type { SmsContent } from "./SmsTemplates.ts"

/** The SMS gateway did not accept the message. */
export class SmsNotDelivered extends Schema.TaggedError<SmsNotDelivered>()("SmsNotDelivered", {
  reason: Schema.String,
}) {}

/** A text to one number: a fixed template and its variables (SmsTemplates.ts). */
export interface SmsMessage extends SmsContent {
  readonly mobile: string
}

/**
 * Sends text messages. Adapters: `adapters/sms` has the development outbox
 * (messages kept in the database, rendered, shown on a dev-only page) and an
 * HTTP gateway (sent as template id + variables, as Chinese gateways require).
 */
export class SmsSender extends Context.Service<SmsSender, {
  readonly send: (message: SmsMessage) => Effect.Effect<void, SmsNotDelivered>
}>()("core/ports/SmsSender") {}
