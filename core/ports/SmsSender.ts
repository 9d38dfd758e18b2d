import { Context, type Effect, Schema } from "effect"

/** The SMS gateway did not accept the message. */
export class SmsNotDelivered extends Schema.TaggedError<SmsNotDelivered>()("SmsNotDelivered", {
  reason: Schema.String,
}) {}

export interface SmsMessage {
  readonly mobile: string
  readonly text: string
}

/**
 * Sends text messages. Adapters: `adapters/sms` has the development outbox
 * (messages kept in the database, shown on a dev-only page) and an HTTP gateway.
 */
export class SmsSender extends Context.Service<SmsSender, {
  readonly send: (message: SmsMessage) => Effect.Effect<void, SmsNotDelivered>
}>()("core/ports/SmsSender") {}
