import { Clock, Effect, Layer, Option, Schema } from "effect"
import { Hex } from "effect/encoding"
import type { User } from "../accounts/User.ts"
import type { Contract } from "../contracts/Contract.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound, RepositoryError } from "../kernel/errors.ts"
import { checkOutboundTarget } from "../net/outbound.ts"
import { orgEvent } from "../organizations/orgActs.ts"
import type { NumericId } from "../kernel/Ids.ts"
import type { EnterpriseId } from "../organizations/Enterprise.ts"
import { ContractEventSink } from "../ports/ContractEventSink.ts"
import { Crypto } from "../ports/Crypto.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { JobQueue } from "../ports/JobQueue.ts"
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint, type WebhookEventType } from "./Api.ts"
import { WebhookDeliveryFailed } from "./ApiErrors.ts"
import { ApiRepository } from "../ports/ApiRepository.ts"
import { deriveSecret, hmacHex } from "./ApiSecret.ts"
import { administeredEnterprise } from "./apiKeys.ts"
import { contractResource } from "./resources.ts"
import { WebhookRepository } from "../ports/WebhookRepository.ts"
import { WebhookTransport } from "../ports/WebhookTransport.ts"

/** The job that delivers one webhook delivery. */
export const WEBHOOK_JOB = "webhook-deliver"
/** A delivery is retried for 24 hours after it was queued, then given up. */
export const WEBHOOK_WINDOW_MS = 24 * 3600_000

export const WebhookUrl = Schema.String.pipe(Schema.check(
  Schema.isMaxLength(500, { message: "url.length" }),
  Schema.isPattern(/^https?:\/\/[^\s/?#]+[^\s]*$/, { message: "url.invalid" }),
))

/**
 * P4: registers an endpoint for some events; its signing secret is returned
 * this once. The URL's host must be public (checked by resolving it now; the
 * transport checks again at every delivery): OutboundTargetRefused otherwise,
 * and nothing is stored.
 */
export const registerEndpoint = Effect.fn("webhooks.register")(function*(admin: User, enterpriseId: EnterpriseId, url: string, events: ReadonlyArray<WebhookEventType>) {
  yield* administeredEnterprise(admin, enterpriseId)
  yield* checkOutboundTarget(url)
  const endpoint = new WebhookEndpoint({
    id: yield* (yield* IdGenerator).next, enterpriseId, url, events: [...new Set(events)],
    salt: Hex.encode(yield* (yield* Crypto).randomBytes(16)), createdBy: admin.id, createdAt: yield* Clock.currentTimeMillis, disabledAt: null,
  })
  yield* withEvidence(
    WebhookRepository.use((r) => r.insertEndpoint(endpoint)),
    orgEvent("webhook.registered", enterpriseId, admin.id, { endpoint: endpoint.id, url, events: endpoint.events.join(",") }),
  )
  return { endpoint, secret: yield* deriveSecret("webhook", endpoint.id, endpoint.salt) }
})

export const disableEndpoint = Effect.fn("webhooks.disable")(function*(admin: User, enterpriseId: EnterpriseId, endpointId: NumericId) {
  yield* administeredEnterprise(admin, enterpriseId)
  const now = yield* Clock.currentTimeMillis
  // Failing inside the transaction when nothing was disabled: no event for a no-op.
  const disable = Effect.flatMap(WebhookRepository.use((r) => r.disableEndpoint(endpointId, enterpriseId, now)), (done) =>
    done ? Effect.void : Effect.fail(new NotFound({ entity: "webhook endpoint", id: endpointId })))
  yield* withEvidence(disable, orgEvent("webhook.disabled", enterpriseId, admin.id, { endpoint: endpointId }))
})

export const listEndpoints = Effect.fn("webhooks.list")(function*(admin: User, enterpriseId: EnterpriseId) {
  const enterprise = yield* administeredEnterprise(admin, enterpriseId)
  return { enterprise, endpoints: yield* WebhookRepository.use((r) => r.listEndpoints(enterpriseId)) }
})

/** An endpoint of the enterprise with its recent deliveries and their attempts. */
export const endpointDeliveries = Effect.fn("webhooks.deliveries")(function*(admin: User, enterpriseId: EnterpriseId, endpointId: NumericId) {
  const enterprise = yield* administeredEnterprise(admin, enterpriseId)
  const repo = yield* WebhookRepository
  const endpoint = yield* repo.findEndpoint(endpointId)
  if (Option.isNone(endpoint) || endpoint.value.enterpriseId !== enterpriseId) return yield* new NotFound({ entity: "webhook endpoint", id: endpointId })
  const deliveries = []
  for (const d of yield* repo.listDeliveries(endpointId, 50)) deliveries.push({ delivery: d, attempts: yield* repo.attemptsOf(d.id) })
  return { enterprise, endpoint: endpoint.value, deliveries }
})

const enqueueDelivery = (id: string) =>
  JobQueue.use((q) => q.enqueue(WEBHOOK_JOB, { delivery: id }, { singletonKey: id })).pipe(
    Effect.mapError((e) => new RepositoryError({ operation: "webhooks.enqueue", cause: e })),
  )

/** Replays a delivery from the UI: queued again (even if it was delivered), its attempts kept. */
export const replayDelivery = Effect.fn("webhooks.replay")(function*(admin: User, enterpriseId: EnterpriseId, deliveryId: NumericId) {
  yield* administeredEnterprise(admin, enterpriseId)
  const repo = yield* WebhookRepository
  const d = yield* repo.findDelivery(deliveryId)
  if (Option.isNone(d) || d.value.enterpriseId !== enterpriseId) return yield* new NotFound({ entity: "webhook delivery", id: deliveryId })
  const now = yield* Clock.currentTimeMillis
  yield* withEvidence(
    Effect.andThen(repo.requeue(deliveryId, now), enqueueDelivery(deliveryId)),
    orgEvent("webhook.replayed", enterpriseId, admin.id, { endpoint: d.value.endpointId, delivery: deliveryId, event: d.value.eventType }),
  )
  return d.value
})

/** The webhook events a contract write amounts to (pure: before and after). */
export const contractEvents = (before: Contract, after: Contract): ReadonlyArray<{ readonly type: WebhookEventType; readonly party?: number }> => {
  const events: Array<{ type: WebhookEventType; party?: number }> = []
  if (before.status === "draft" && after.status === "inProgress") events.push({ type: "contract.sent" })
  for (const p of after.parties) {
    const was = before.parties.find((x) => x.index === p.index)?.status
    if (was === "waiting" && p.status === "signed") events.push({ type: "contract.signed", party: p.index })
    if (was === "waiting" && p.status === "rejected") events.push({ type: "contract.rejected", party: p.index })
  }
  if (before.status !== after.status) {
    if (after.status === "completed") events.push({ type: "contract.completed" })
    if (after.status === "revoked") events.push({ type: "contract.revoked" })
    if (after.status === "expired") events.push({ type: "contract.expired" })
    if (after.status === "rejected" && !events.some((e) => e.type === "contract.rejected")) events.push({ type: "contract.rejected" })
  }
  return events
}

/**
 * The sink the contract store tells of every write, inside the write's
 * transaction: for a contract an enterprise initiated, one delivery per
 * subscribed endpoint and event is stored and its job queued, so an event
 * exists exactly when its change committed.
 */
export const layerContractEventSink = Layer.effect(ContractEventSink, Effect.gen(function*() {
  const api = yield* ApiRepository
  const hooks = yield* WebhookRepository
  const ids = yield* IdGenerator
  const queue = yield* JobQueue
  return {
    changed: (before: Contract, after: Contract) =>
      Effect.gen(function*() {
        const events = contractEvents(before, after)
        if (events.length === 0) return
        const owner = yield* api.enterpriseOf(after.id)
        if (Option.isNone(owner)) return
        const now = yield* Clock.currentTimeMillis
        for (const e of events) {
          const endpoints = yield* hooks.subscribers(owner.value, e.type)
          if (endpoints.length === 0) continue
          const eventId = yield* ids.next
          const payload = JSON.stringify({
            id: eventId, type: e.type, createdAt: new Date(now).toISOString(),
            data: { contract: contractResource(after), ...(e.party === undefined ? {} : { party: e.party }) },
          })
          for (const endpoint of endpoints) {
            const delivery = new WebhookDelivery({
              id: yield* ids.next, endpointId: endpoint.id, enterpriseId: endpoint.enterpriseId, eventId, eventType: e.type,
              contractId: after.id, payload, status: "pending", attempts: 0, createdAt: now, deliveredAt: null,
            })
            yield* hooks.insertDelivery(delivery)
            yield* enqueueDelivery(delivery.id).pipe(Effect.provideService(JobQueue, queue))
          }
        }
      }),
  }
}))

/** The Signet-Signature header value: `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const signatureHeader = (secret: string, unixSeconds: number, body: string) =>
  Effect.map(hmacHex(secret, `${unixSeconds}.${body}`), (mac) => `t=${unixSeconds},v1=${mac}`)

/** What a begun attempt says until its answer is recorded (and forever, if the process died while sending). */
export const SENDING = "发送中（尚未记录应答）"

/**
 * One attempt at a delivery (the job handler). A delivery already
 * acknowledged is never sent again; each attempt is recorded with the
 * receiver's status (recorded as begun before the request goes out, so a
 * kill mid-send leaves it on record); a non-2xx answer fails so the queue retries with
 * backoff; past 24 h, a disabled endpoint, or the last attempt, it is given up.
 */
export const deliverWebhook = Effect.fn("webhooks.deliver")(function*(deliveryId: string, options: { readonly lastAttempt: boolean }) {
  const repo = yield* WebhookRepository
  const found = yield* repo.findDelivery(deliveryId)
  if (Option.isNone(found) || found.value.status !== "pending") return
  const d = found.value
  const now = yield* Clock.currentTimeMillis
  const endpoint = yield* repo.findEndpoint(d.endpointId)
  if (now - d.createdAt > WEBHOOK_WINDOW_MS || Option.isNone(endpoint) || endpoint.value.disabledAt !== null) return yield* repo.markFailed(d.id)
  const secret = yield* deriveSecret("webhook", endpoint.value.id, endpoint.value.salt)
  const headers = {
    "content-type": "application/json",
    "user-agent": "Signet-Webhooks/1",
    "signet-event": d.eventType,
    "signet-delivery": d.id,
    // The event's id, the same in every delivery and retry of it (receivers drop repeats: delivery is at-least-once).
    "signet-event-id": d.eventId,
    "signet-signature": yield* signatureHeader(secret, Math.floor(now / 1000), d.payload),
  }
  const attempt = d.attempts + 1
  yield* repo.beginAttempt(new WebhookAttempt({ deliveryId: d.id, attempt, at: now, statusCode: null, error: SENDING }))
  const result = yield* Effect.result((yield* WebhookTransport).post(endpoint.value.url, headers, d.payload))
  const statusCode = result._tag === "Success" ? result.success.status : null
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300
  const error = result._tag === "Failure" ? result.failure.reason.slice(0, 500) : ok ? null : `HTTP ${statusCode}`
  // A refused target (its host now resolves to a private address) is given up at once, not retried for 24 h.
  const refused = result._tag === "Failure" && result.failure.refused === true
  yield* repo.recordAttempt(new WebhookAttempt({ deliveryId: d.id, attempt, at: now, statusCode, error }),
    ok ? "delivered" : options.lastAttempt || refused ? "failed" : "pending", ok ? now : null)
  if (!ok && !refused) return yield* new WebhookDeliveryFailed({ statusCode, error })
})
