import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType } from "../api/Api.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** Webhook endpoints, deliveries and every attempt (P4). */
export class WebhookRepository extends Context.Service<WebhookRepository, {
  readonly insertEndpoint: (endpoint: WebhookEndpoint) => Op<void>
  readonly findEndpoint: (id: string) => Op<Option.Option<WebhookEndpoint>>
  /** The enterprise's endpoints, newest first (disabled ones included). */
  readonly listEndpoints: (enterpriseId: string) => Op<ReadonlyArray<WebhookEndpoint>>
  /** False when the endpoint is not the enterprise's or already disabled. */
  readonly disableEndpoint: (id: string, enterpriseId: string, at: number) => Op<boolean>
  /** Live endpoints of the enterprise subscribed to this event. */
  readonly subscribers: (enterpriseId: string, event: WebhookEventType) => Op<ReadonlyArray<WebhookEndpoint>>
  readonly insertDelivery: (delivery: WebhookDelivery) => Op<void>
  readonly findDelivery: (id: string) => Op<Option.Option<WebhookDelivery>>
  /** An endpoint's deliveries, newest first. */
  readonly listDeliveries: (endpointId: string, limit: number) => Op<ReadonlyArray<WebhookDelivery>>
  /**
   * Records an attempt as begun, before anything is sent (its answer unknown:
   * no status, `error` saying so), and counts it on the delivery: a process
   * killed mid-send leaves the attempt on record.
   */
  readonly beginAttempt: (attempt: WebhookAttempt) => Op<void>
  /** Records an attempt's outcome (over its begun record, if any) and the delivery's new state in one step. */
  readonly recordAttempt: (attempt: WebhookAttempt, status: WebhookDelivery["status"], deliveredAt: number | null) => Op<void>
  /** Gives up on a delivery (retries ran out, endpoint disabled). */
  readonly markFailed: (id: string) => Op<void>
  /** Queues a delivery again (replay): pending, its 24 h window restarting at `at`; attempts are kept. */
  readonly requeue: (id: string, at: number) => Op<void>
  readonly attemptsOf: (deliveryId: string) => Op<ReadonlyArray<WebhookAttempt>>
}>()("core/api/WebhookRepository") {}
