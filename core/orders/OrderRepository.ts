import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Order, OrderHistoryEntry, OrderId } from "./Order.ts"
import type { OrderStatus } from "./OrderState.ts"

type Op<A> = Effect.Effect<A, RepositoryError>

/** Persistence of orders and their timelines (adapters/sql/orders.ts). */
export class OrderRepository extends Context.Service<OrderRepository, {
  readonly insert: (order: Order) => Op<void>
  readonly find: (id: OrderId) => Op<Option.Option<Order>>
  /**
   * Writes `order` only if the stored one is at `order.version - 1`; false when
   * another request changed it first (then nothing is written). A trade number
   * already recorded on another order is a RepositoryError (unique).
   */
  readonly update: (order: Order) => Op<boolean>
  /** A user's orders in these statuses, newest first. */
  readonly listByUser: (userId: UserId, statuses: ReadonlyArray<OrderStatus>) => Op<ReadonlyArray<Order>>
  /** Staff queues: orders in these statuses, oldest change first. */
  readonly listByStatus: (statuses: ReadonlyArray<OrderStatus>, limit: number) => Op<ReadonlyArray<Order>>
  /** The staff queue 待退款: orders whose money is not all paid back yet (the core's `refundDue`), oldest change first. */
  readonly listRefundDue: (limit: number) => Op<ReadonlyArray<Order>>
  /** Orders whose USB-Key carries the certificate with this serial (lowercase hex), for reissues of a lost key. */
  readonly findByCertificateSerial: (serialHex: string) => Op<ReadonlyArray<Order>>
  /** The order a provider trade number paid, if any. */
  readonly findByTradeNo: (tradeNo: string) => Op<Option.Option<Order>>
  /**
   * Claims a confirm form's one-time submission token for `orderId`, inside the order's transaction: the id of the
   * order that holds the token afterwards (`orderId` when this call claimed it, the earlier order's otherwise).
   */
  readonly claimSubmission: (userId: UserId, token: string, orderId: OrderId, at: number) => Op<OrderId>
  readonly appendHistory: (entry: OrderHistoryEntry) => Op<void>
  /** Oldest first. */
  readonly history: (orderId: OrderId) => Op<ReadonlyArray<OrderHistoryEntry>>
}>()("core/orders/OrderRepository") {}
