import { Context, type Effect, type Option } from "effect"
import type { RepositoryError } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import type { Order, OrderHistoryEntry, OrderId } from "../orders/Order.ts"
import type { InvoiceMedium } from "../orders/Invoice.ts"
import type { InvoiceStatus } from "../orders/invoiceMachine.ts"
import type { OrderStatus } from "../orders/OrderState.ts"

/** Staff order search (X3): every given criterion must hold; text matches part of the name, the mobile and number exactly. */
export interface OrderSearch {
  readonly orderId?: string
  /** 申请人: the holder (person) or legal representative, or the agent, by part of the name. */
  readonly applicant?: string
  /** 企业名称, by part of it. */
  readonly company?: string
  /** The agent's mobile. */
  readonly mobile?: string
  readonly statuses?: ReadonlyArray<OrderStatus>
  /** Created at or after / before (epoch ms). */
  readonly from?: number
  readonly until?: number
}

/** One page of a search: newest first; `total` is exact up to `SEARCH_COUNT_CAP` (then "more than"). */
export interface OrderSearchPage {
  readonly orders: ReadonlyArray<Order>
  readonly total: number
  readonly totalCapped: boolean
}

/** Counting stops here: a page never scans the whole table to say how many there are. */
export const SEARCH_COUNT_CAP = 1000

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
  /** Invoicing queues: orders in `orderStatuses` whose invoice is in `invoiceStatus` (and of `medium`, when given), oldest change first. */
  readonly listForInvoicing: (invoiceStatus: InvoiceStatus, medium: InvoiceMedium | null, orderStatuses: ReadonlyArray<OrderStatus>, limit: number) => Op<ReadonlyArray<Order>>
  /** Staff search, `limit` orders from `offset`. */
  readonly search: (criteria: OrderSearch, offset: number, limit: number) => Op<OrderSearchPage>
  readonly appendHistory: (entry: OrderHistoryEntry) => Op<void>
  /** Oldest first. */
  readonly history: (orderId: OrderId) => Op<ReadonlyArray<OrderHistoryEntry>>
}>()("core/orders/OrderRepository") {}
