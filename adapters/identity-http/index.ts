import { createHash, createHmac, randomBytes } from "node:crypto"
import { Effect, Layer, Redacted, Schema } from "effect"
import { IdentityVerifier } from "../../core/ports/IdentityVerifier.ts"
import { IdentityProviderUnavailable, IdentityRejected, IdentityRejectionReason } from "../../core/verification/VerificationErrors.ts"

export interface IdentityHttpConfig {
  /** The provider's four-factor endpoint, e.g. https://idv.example.com/v2/bankcard4 */
  readonly url: string
  readonly appId: string
  readonly secret: Redacted.Redacted<string>
  readonly timeoutMs: number
}

/**
 * The string the provider signs, the usual shape of Chinese API gateways:
 * method, path, timestamp, nonce and the body's SHA-256, one per line.
 */
export const stringToSign = (method: string, path: string, timestamp: string, nonce: string, body: string): string =>
  [method, path, timestamp, nonce, createHash("sha256").update(body).digest("hex")].join("\n")

export const signRequest = (secret: string, toSign: string): string => createHmac("sha256", secret).update(toSign).digest("hex")

/** `{ code: "OK", result: "MATCH" | "MISMATCH", reason?, requestId }`, or `{ code: "<ERR>" }` on gateway errors. */
const Reply = Schema.Struct({
  code: Schema.String,
  result: Schema.optional(Schema.Literals(["MATCH", "MISMATCH"])),
  reason: Schema.optional(Schema.String),
  requestId: Schema.optional(Schema.String),
})

/** Provider reason codes -> ours; an unknown mismatch reason is reported as the closest general one. */
const reasons: Record<string, IdentityRejectionReason> = {
  NAME_MISMATCH: "name-mismatch",
  ID_NOT_FOUND: "id-number-not-found",
  MOBILE_MISMATCH: "card-not-bound-to-mobile",
  CARD_MISMATCH: "card-holder-mismatch",
  CARD_NOT_SUPPORTED: "card-not-supported",
}

/**
 * IdentityVerifier over a signed JSON HTTP provider. Personal data goes only in
 * the body over the connection; nothing of it is logged or put in errors.
 * Timeouts, 5xx and unreadable replies are "unavailable" (nothing decided).
 */
export const layer = (config: IdentityHttpConfig) =>
  Layer.succeed(IdentityVerifier, {
    verify: (f) =>
      Effect.tryPromise({
        try: async (signal) => {
          const body = JSON.stringify({ name: f.name, idNumber: f.idNumber, bankCard: f.bankCard, cardType: f.cardType, mobile: f.mobile })
          const timestamp = String(Date.now())
          const nonce = randomBytes(12).toString("hex")
          const url = new URL(config.url)
          const res = await fetch(url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-app-id": config.appId,
              "x-timestamp": timestamp,
              "x-nonce": nonce,
              "x-signature": signRequest(Redacted.value(config.secret), stringToSign("POST", url.pathname, timestamp, nonce, body)),
            },
            body,
            signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]),
          })
          return { status: res.status, text: await res.text() }
        },
        catch: (cause) => new IdentityProviderUnavailable({ detail: cause instanceof Error ? cause.name : "network error" }),
      }).pipe(
        Effect.flatMap(({ status, text }) =>
          Schema.decodeUnknownEffect(Schema.fromJsonString(Reply))(text).pipe(
            Effect.mapError(() => new IdentityProviderUnavailable({ detail: `HTTP ${status}: unreadable reply` })),
            Effect.flatMap((reply): Effect.Effect<{ readonly reference: string }, IdentityRejected | IdentityProviderUnavailable> => {
              if (status < 200 || status >= 300 || reply.code !== "OK") {
                return Effect.fail(new IdentityProviderUnavailable({ detail: `HTTP ${status}: ${reply.code}` }))
              }
              if (reply.result === "MATCH") return Effect.succeed({ reference: reply.requestId ?? "" })
              if (reply.result === "MISMATCH") {
                return Effect.fail(new IdentityRejected({ reason: reasons[reply.reason ?? ""] ?? "card-holder-mismatch" }))
              }
              return Effect.fail(new IdentityProviderUnavailable({ detail: `HTTP ${status}: no result` }))
            }),
          )
        ),
      ),
  })
