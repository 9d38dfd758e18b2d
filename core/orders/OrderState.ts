import { Schema } from "effect"
import { Fen } from "./Money.ts"
import { DeliveryMethod } from "./pricing.ts"

/**
 * Where an order is (O7-O9). Tabs of 我的订单: 待支付 = pending_payment;
 * 审核中 = in_review (and rejected, shown as 审核不通过); 待处理 = approved and
 * certificate_made; 待收货 = shipped and awaiting_pickup; 已完成 = completed.
 */
export const OrderStatus = Schema.Literals([
  "pending_payment",
  "in_review",
  "rejected",
  "approved",
  "certificate_made",
  "shipped",
  "awaiting_pickup",
  "completed",
  "cancelled",
  "refunding",
  "refunded",
])
export type OrderStatus = typeof OrderStatus.Type

/** The life cycle ends here: afterwards only money moves (a late payment and its refund, see MONEY_EVENTS). */
export const TERMINAL: ReadonlyArray<OrderStatus> = ["completed", "cancelled", "refunded"]

/** Closed orders: a payment the provider reports for one of these is a late payment, to be paid back. */
export const CLOSED: ReadonlyArray<OrderStatus> = ["cancelled", "refunding", "refunded"]

export const Millis = Schema.Number.pipe(Schema.check(Schema.isInt()))

/** The payment that a verified provider notification (or status query) confirmed. */
export const Payment = Schema.Struct({
  tradeNo: Schema.String,
  amountFen: Fen,
  paidAt: Millis,
})
export type Payment = typeof Payment.Type

/** Money the provider took for an order that could no longer be paid (paid at the provider while being cancelled here). */
export const LatePayment = Schema.Struct({
  tradeNo: Schema.String,
  amountFen: Fen,
  paidAt: Millis,
})
export type LatePayment = typeof LatePayment.Type

/**
 * One refund of one payment (the order's or a late one), under the number the
 * provider knows it by (idempotent there: asking twice refunds once).
 * pending = asked, no verified answer yet; failed = the provider refused it
 * (staff retry or pay back another way).
 */
export const Refund = Schema.Struct({
  refundNo: Schema.String,
  tradeNo: Schema.String,
  amountFen: Fen,
  reason: Schema.String,
  status: Schema.Literals(["pending", "refunded", "failed"]),
  failure: Schema.NullOr(Schema.String),
})
export type Refund = typeof Refund.Type

export const Shipment = Schema.Struct({
  carrier: Schema.String,
  trackingNo: Schema.String,
})
export type Shipment = typeof Shipment.Type

/** The part of an order its state machine reads and writes. */
export const OrderState = Schema.Struct({
  status: OrderStatus,
  delivery: DeliveryMethod,
  payableFen: Fen,
  payment: Schema.NullOr(Payment),
  rejectReasons: Schema.Array(Schema.String),
  /** How many times staff reviewed it (1 after the first approve / reject). */
  reviewRounds: Schema.Number,
  certificateSerial: Schema.NullOr(Schema.String),
  shipment: Schema.NullOr(Shipment),
  refundReason: Schema.NullOr(Schema.String),
  latePayments: Schema.Array(LatePayment),
  refunds: Schema.Array(Refund),
})
export type OrderState = typeof OrderState.Type

export const initialOrderState = (delivery: DeliveryMethod, payableFen: number): OrderState => ({
  status: "pending_payment",
  delivery,
  payableFen,
  payment: null,
  rejectReasons: [],
  reviewRounds: 0,
  certificateSerial: null,
  shipment: null,
  refundReason: null,
  latePayments: [],
  refunds: [],
})

export type OrderEvent =
  | { readonly _tag: "Pay"; readonly tradeNo: string; readonly amountFen: number; readonly at: number }
  | { readonly _tag: "Cancel" }
  | { readonly _tag: "Approve" }
  | { readonly _tag: "Reject"; readonly reasons: ReadonlyArray<string> }
  | { readonly _tag: "Resubmit" }
  | { readonly _tag: "CertificateMade"; readonly serialHex: string }
  | { readonly _tag: "Ship"; readonly carrier: string; readonly trackingNo: string }
  | { readonly _tag: "NotifyPickup" }
  | { readonly _tag: "ConfirmPickup" }
  | { readonly _tag: "ConfirmReceipt" }
  | { readonly _tag: "LatePayment"; readonly tradeNo: string; readonly amountFen: number; readonly at: number }
  | { readonly _tag: "RequestRefund"; readonly refundNo: string; readonly tradeNo: string; readonly amountFen: number; readonly reason: string }
  | { readonly _tag: "RefundSettled"; readonly refundNo: string }
  | { readonly _tag: "RefundFailed"; readonly refundNo: string; readonly reason: string }
  | { readonly _tag: "RefundOffline"; readonly refundNo: string; readonly tradeNo: string; readonly amountFen: number; readonly reason: string }

export type OrderEventTag = OrderEvent["_tag"]

/** Events that still apply to a closed order: money arriving late and being paid back. */
export const MONEY_EVENTS: ReadonlyArray<OrderEventTag> = ["LatePayment", "RequestRefund", "RefundSettled", "RefundFailed", "RefundOffline"]
