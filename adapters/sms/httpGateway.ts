import { createHmac } from "node:crypto"
import { Effect, Layer, Redacted, Schema } from "effect"
import { SmsNotDelivered, SmsSender } from "../../core/ports/SmsSender.ts"

export interface HttpGatewayConfig {
  /** The gateway's send endpoint, e.g. https://sms.example.com/v1/send */
  readonly url: string
  readonly accessKey: string
  readonly secret: Redacted.Redacted<string>
  readonly timeoutMs: number
}

/** What the gateway answers: `{ "code": "OK", "requestId": "..." }` or `{ "code": "<ERR>", "message": "..." }`. */
const GatewayReply = Schema.Struct({ code: Schema.String, message: Schema.optional(Schema.String), requestId: Schema.optional(Schema.String) })

/** Signature the gateway checks: HMAC-SHA256(secret, timestamp + "\n" + body), hex. */
export const signRequest = (secret: string, timestamp: string, body: string): string =>
  createHmac("sha256", secret).update(`${timestamp}\n${body}`).digest("hex")

/**
 * SmsSender over a generic signed JSON HTTP gateway (the shape most Chinese SMS
 * providers share: access key, timestamp, HMAC signature, JSON reply with a code).
 * The message text is never logged; failures carry the gateway's code only.
 */
export const layerHttpGateway = (config: HttpGatewayConfig) =>
  Layer.succeed(SmsSender, {
    send: (m) =>
      Effect.tryPromise({
        try: async (signal) => {
          // Only the registered template's id and its variables travel: the gateway owns the text.
          const body = JSON.stringify({ mobile: m.mobile, templateId: m.template, vars: m.vars })
          const timestamp = String(Date.now())
          const res = await fetch(config.url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-access-key": config.accessKey,
              "x-timestamp": timestamp,
              "x-signature": signRequest(Redacted.value(config.secret), timestamp, body),
            },
            body,
            signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]),
          })
          const text = await res.text()
          return { status: res.status, text }
        },
        catch: (cause) => new SmsNotDelivered({ reason: cause instanceof Error ? `${cause.name}: ${cause.message}` : "network error" }),
      }).pipe(
        Effect.flatMap(({ status, text }) =>
          Schema.decodeUnknownEffect(Schema.fromJsonString(GatewayReply))(text).pipe(
            Effect.mapError(() => new SmsNotDelivered({ reason: `HTTP ${status}: unreadable reply` })),
            Effect.flatMap((reply) =>
              status >= 200 && status < 300 && reply.code === "OK"
                ? Effect.void
                : Effect.fail(new SmsNotDelivered({ reason: `HTTP ${status}: ${reply.code}` }))
            ),
          )
        ),
      ),
  })
