import { Context, type Effect, Schema } from "effect"

/** The mail server did not accept the message (connection, authentication, refused recipient). */
export class MailNotDelivered extends Schema.TaggedError<MailNotDelivered>()("MailNotDelivered", {
  reason: Schema.String,
}) {}

/** A file sent with an e-mail (the PDF of an electronic invoice). */
export interface MailAttachment {
  readonly filename: string
  readonly contentType: string
  readonly content: Uint8Array
}

/** A plain-text e-mail to one recipient, with files attached when given. */
export interface MailMessage {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly attachments?: ReadonlyArray<MailAttachment>
}

/**
 * Sends e-mail (O10 order notices). Adapters: `adapters/mail-smtp` (any SMTP
 * server, via nodemailer) and `adapters/mail-outbox` (development: kept on
 * disk and shown on /dev/mail, never sent).
 */
export class MailSender extends Context.Service<MailSender, {
  readonly send: (message: MailMessage) => Effect.Effect<void, MailNotDelivered>
}>()("core/ports/MailSender") {}
