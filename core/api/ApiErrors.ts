import { Schema } from "effect"

/** The request carries no (well-formed) signature header. */
export class ApiUnauthenticated extends Schema.TaggedError<ApiUnauthenticated>()("ApiUnauthenticated", {
  detail: Schema.String,
}) {}

/** The key id is unknown, revoked, or its secret no longer derives (server secret changed). */
export class ApiKeyInvalid extends Schema.TaggedError<ApiKeyInvalid>()("ApiKeyInvalid", {}) {}

/** The HMAC does not match the request as received. */
export class ApiSignatureMismatch extends Schema.TaggedError<ApiSignatureMismatch>()("ApiSignatureMismatch", {}) {}

/** The signed timestamp is more than five minutes away from the server's clock. */
export class ApiTimestampOutOfWindow extends Schema.TaggedError<ApiTimestampOutOfWindow>()("ApiTimestampOutOfWindow", {
  skewSeconds: Schema.Number,
}) {}

/** This key already used this nonce (a replayed request). */
export class ApiNonceReplayed extends Schema.TaggedError<ApiNonceReplayed>()("ApiNonceReplayed", {}) {}

/** The idempotency key was used before with a different request body. */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {}) {}

/** The first request with this idempotency key is still being served. */
export class IdempotencyInProgress extends Schema.TaggedError<IdempotencyInProgress>()("IdempotencyInProgress", {}) {}

/** The acting user is not the enterprise's admin (only the admin manages API keys and webhooks). */
export class NotEnterpriseAdmin extends Schema.TaggedError<NotEnterpriseAdmin>()("NotEnterpriseAdmin", {}) {}

/** A webhook endpoint answered with a non-2xx status or could not be reached (the job retries). */
export class WebhookDeliveryFailed extends Schema.TaggedError<WebhookDeliveryFailed>()("WebhookDeliveryFailed", {
  statusCode: Schema.NullOr(Schema.Int),
  error: Schema.NullOr(Schema.String),
}) {}

/** The receiver could not be reached (connection refused, timeout, TLS). */
export class WebhookTransportError extends Schema.TaggedError<WebhookTransportError>()("WebhookTransportError", {
  reason: Schema.String,
  /** The receiver's address is not public (SSRF guard): not worth retrying. */
  refused: Schema.optionalKey(Schema.Boolean),
}) {}

export type ApiAuthError = ApiUnauthenticated | ApiKeyInvalid | ApiSignatureMismatch | ApiTimestampOutOfWindow | ApiNonceReplayed

/** A template contract's input does not fit the template (unknown id, party count, a missing value). */
export class TemplateInputInvalid extends Schema.TaggedError<TemplateInputInvalid>()("TemplateInputInvalid", {
  field: Schema.String,
  reason: Schema.String,
}) {}
