import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { NumericId, UserId } from "../kernel/Ids.ts"
import { EnterpriseId } from "../organizations/Enterprise.ts"

const Hex = (bytes: number) => Schema.String.pipe(Schema.check(Schema.isPattern(new RegExp(`^[0-9a-f]{${bytes * 2}}$`))))

/** A key id as clients send it: `ak_` and 24 hex digits (not secret; names the key in logs and headers). */
export const ApiKeyId = Schema.String.pipe(Schema.check(Schema.isPattern(/^ak_[0-9a-f]{24}$/, { message: "apiKey.id" })), Schema.brand("ApiKeyId"))
export type ApiKeyId = typeof ApiKeyId.Type

/**
 * A per-enterprise API key (P4). Its secret is never stored: it is derived
 * from the server's API secret and the key's salt when a request is checked,
 * and the row keeps only its SHA-256 (a derivation that no longer matches,
 * after the server secret changed, is refused).
 */
export class ApiKey extends Schema.Class<ApiKey>("ApiKey")({
  id: ApiKeyId,
  enterpriseId: EnterpriseId,
  name: Schema.String,
  salt: Hex(16),
  secretSha256: Hex(32),
  createdBy: UserId,
  createdAt: Millis,
  revokedAt: Schema.NullOr(Millis),
  lastUsedAt: Schema.NullOr(Millis),
}) {}

/** The events an enterprise may subscribe a webhook endpoint to. */
export const WEBHOOK_EVENTS = ["contract.sent", "contract.signed", "contract.completed", "contract.rejected", "contract.revoked", "contract.expired"] as const
export const WebhookEventType = Schema.Literals(WEBHOOK_EVENTS)
export type WebhookEventType = typeof WebhookEventType.Type

/** Where an enterprise wants its events POSTed; its signing secret is derived like an API key's. */
export class WebhookEndpoint extends Schema.Class<WebhookEndpoint>("WebhookEndpoint")({
  id: NumericId,
  enterpriseId: EnterpriseId,
  url: Schema.String,
  events: Schema.Array(WebhookEventType),
  salt: Hex(16),
  createdBy: UserId,
  createdAt: Millis,
  disabledAt: Schema.NullOr(Millis),
}) {}

export const DeliveryStatus = Schema.Literals(["pending", "delivered", "failed"])

/** One event for one endpoint: delivered once acknowledged (2xx), failed when retries ran out. */
export class WebhookDelivery extends Schema.Class<WebhookDelivery>("WebhookDelivery")({
  id: NumericId,
  endpointId: NumericId,
  enterpriseId: EnterpriseId,
  eventId: NumericId,
  eventType: WebhookEventType,
  contractId: NumericId,
  /** The exact JSON text POSTed (and signed). */
  payload: Schema.String,
  status: DeliveryStatus,
  attempts: Schema.Int,
  /** When it was queued (or queued again by a replay): retries stop 24 h later. */
  createdAt: Millis,
  deliveredAt: Schema.NullOr(Millis),
}) {}

/** One POST of a delivery, with the receiver's HTTP status or why there was none. */
export class WebhookAttempt extends Schema.Class<WebhookAttempt>("WebhookAttempt")({
  deliveryId: NumericId,
  attempt: Schema.Int,
  at: Millis,
  statusCode: Schema.NullOr(Schema.Int),
  error: Schema.NullOr(Schema.String),
}) {}

/** A response kept for an idempotency key, replayed to a retry of the same request. */
export interface StoredResponse {
  readonly status: number
  readonly contentType: string
  readonly body: string
}
