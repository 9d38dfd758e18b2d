/**
 * E-mail over SMTP (O10) via nodemailer: any submission server (port 587 with
 * STARTTLS, or 465 with implicit TLS). One connection per message; a refused
 * message is a MailNotDelivered with the server's reason (never the password).
 */
import { Effect, Layer, Redacted } from "effect"
import { createTransport } from "nodemailer"
import { MailNotDelivered, MailSender } from "../../core/ports/MailSender.ts"

export interface SmtpConfig {
  readonly host: string
  readonly port: number
  /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS is required unless `allowPlaintext`. */
  readonly secure: boolean
  readonly user: string | null
  readonly password: Redacted.Redacted<string> | null
  /** The From header, e.g. `Signet <no-reply@example.cn>`. */
  readonly from: string
  /** Local test servers only: send without TLS. */
  readonly allowPlaintext?: boolean
  readonly timeoutMs?: number
}

export const makeSmtpSender = (config: SmtpConfig): MailSender["Service"] => {
  const timeout = config.timeoutMs ?? 10_000
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.allowPlaintext !== true,
    ignoreTLS: config.allowPlaintext === true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(config.user === null || config.password === null ? {} : { auth: { user: config.user, pass: Redacted.value(config.password) } }),
  })
  return {
    send: (m) =>
      Effect.tryPromise({
        try: () => transport.sendMail({
          from: config.from, to: m.to, subject: m.subject, text: m.text,
          ...(m.attachments === undefined ? {} : { attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content) })) }),
        }),
        catch: (e) => new MailNotDelivered({ reason: `smtp: ${e instanceof Error ? e.message : String(e)}` }),
      }).pipe(Effect.asVoid),
  }
}

export const layer = (config: SmtpConfig) => Layer.sync(MailSender, () => makeSmtpSender(config))
