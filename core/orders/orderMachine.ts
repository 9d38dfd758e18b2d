import { Result } from "effect"
import {
  InvalidRefundAmount,
  OrderAlreadyPaid,
  OrderTransitionRefused,
  PaymentAmountMismatch,
  ReasonRequired,
  WrongDeliveryMethod,
} from "./OrderErrors.ts"
import { paidOn, pendingOn, refundableOn } from "./orderMoney.ts"
import { CLOSED, type OrderEvent, type OrderState, type OrderStatus, type Refund } from "./OrderState.ts"

export type OrderMachineError = OrderTransitionRefused | OrderAlreadyPaid | PaymentAmountMismatch | WrongDeliveryMethod | ReasonRequired | InvalidRefundAmount

/** A paid order staff may refund: approved but unfulfillable, rejected and abandoned, or a refund the provider refused (retry). */
const REFUNDABLE: ReadonlyArray<OrderStatus> = ["approved", "rejected", "refunding"]

const refuse = (s: OrderState, e: OrderEvent) => Result.fail(new OrderTransitionRefused({ status: s.status, event: e._tag }))
const to = (s: OrderState, status: OrderStatus, patch: Partial<OrderState> = {}) => Result.succeed<OrderState>({ ...s, ...patch, status })
const nonBlank = (xs: ReadonlyArray<string>) => xs.map((x) => x.trim()).filter((x) => x.length > 0)

/**
 * The order life cycle (O5-O9) as a pure function. Rules:
 * - only a payment of exactly the amount payable moves an unpaid order on, and
 *   an order is paid at most once (a second payment is refused, never recorded);
 * - only an unpaid order can be cancelled; a paid one is refunded instead, and
 *   only when approved but unfulfillable or rejected and abandoned: 退款中 until
 *   the provider confirms (已退款), fully or partly (the rest is kept);
 * - money the provider took for a closed order (a late payment) is recorded
 *   and paid back; a refund never exceeds what its trade paid, less what is
 *   refunded or being refunded, and one refund per trade is in flight at a time;
 * - money the provider refused to pay back may be paid back outside it
 *   (线下退款, staff attest it) for what the refused refund asked;
 * - a rejection needs at least one reason; the user edits and resubmits;
 * - express orders are shipped, self-pickup orders get a pickup notice;
 * - completed, cancelled and refunded orders never change again, except
 *   for money: a late payment and its refund.
 */
export const transition = (s: OrderState, e: OrderEvent): Result.Result<OrderState, OrderMachineError> => {
  switch (e._tag) {
    case "Pay":
      if (s.payment !== null) return Result.fail(new OrderAlreadyPaid({ tradeNo: s.payment.tradeNo }))
      if (s.status !== "pending_payment") return refuse(s, e)
      if (e.amountFen !== s.payableFen) return Result.fail(new PaymentAmountMismatch({ expectedFen: s.payableFen, reportedFen: e.amountFen }))
      return to(s, "in_review", { payment: { tradeNo: e.tradeNo, amountFen: e.amountFen, paidAt: e.at } })
    case "Cancel":
      return s.status === "pending_payment" ? to(s, "cancelled") : refuse(s, e)
    case "Approve":
      return s.status === "in_review" ? to(s, "approved", { rejectReasons: [], reviewRounds: s.reviewRounds + 1 }) : refuse(s, e)
    case "Reject": {
      if (s.status !== "in_review") return refuse(s, e)
      const reasons = nonBlank(e.reasons)
      if (reasons.length === 0) return Result.fail(new ReasonRequired({ event: e._tag }))
      return to(s, "rejected", { rejectReasons: reasons, reviewRounds: s.reviewRounds + 1 })
    }
    case "Resubmit":
      return s.status === "rejected" ? to(s, "in_review") : refuse(s, e)
    case "CertificateMade":
      return s.status === "approved" ? to(s, "certificate_made", { certificateSerial: e.serialHex.toLowerCase() }) : refuse(s, e)
    case "Ship":
      if (s.status !== "certificate_made") return refuse(s, e)
      if (s.delivery !== "express") return Result.fail(new WrongDeliveryMethod({ delivery: s.delivery, event: e._tag }))
      return to(s, "shipped", { shipment: { carrier: e.carrier, trackingNo: e.trackingNo } })
    case "NotifyPickup":
      if (s.status !== "certificate_made") return refuse(s, e)
      if (s.delivery !== "pickup") return Result.fail(new WrongDeliveryMethod({ delivery: s.delivery, event: e._tag }))
      return to(s, "awaiting_pickup")
    case "ConfirmPickup":
      return s.status === "awaiting_pickup" ? to(s, "completed") : refuse(s, e)
    case "ConfirmReceipt":
      return s.status === "shipped" ? to(s, "completed") : refuse(s, e)
    case "LatePayment": {
      if (!CLOSED.includes(s.status)) return refuse(s, e)
      if (paidOn(s, e.tradeNo) !== null) return Result.fail(new OrderAlreadyPaid({ tradeNo: e.tradeNo }))
      if (!Number.isInteger(e.amountFen) || e.amountFen <= 0) return Result.fail(new PaymentAmountMismatch({ expectedFen: 0, reportedFen: e.amountFen }))
      return to(s, s.status, { latePayments: [...s.latePayments, { tradeNo: e.tradeNo, amountFen: e.amountFen, paidAt: e.at }] })
    }
    case "RequestRefund":
    case "RefundOffline": {
      const own = s.payment !== null && s.payment.tradeNo === e.tradeNo
      const late = s.latePayments.some((p) => p.tradeNo === e.tradeNo)
      if (!own && !late) return refuse(s, e)
      if (own && !REFUNDABLE.includes(s.status)) return refuse(s, e)
      if (s.refunds.some((r) => r.refundNo === e.refundNo) || pendingOn(s, e.tradeNo) !== undefined) return refuse(s, e)
      const reason = e.reason.trim()
      if (reason.length === 0) return Result.fail(new ReasonRequired({ event: e._tag }))
      const refundable = refundableOn(s, e.tradeNo)
      if (!Number.isInteger(e.amountFen) || e.amountFen <= 0 || e.amountFen > refundable) {
        return Result.fail(new InvalidRefundAmount({ refundableFen: refundable, requestedFen: e.amountFen }))
      }
      const offline = e._tag === "RefundOffline"
      // Offline only after the provider refused: the trade's last refund failed.
      if (offline && s.refunds.filter((r) => r.tradeNo === e.tradeNo).at(-1)?.status !== "failed") return refuse(s, e)
      const refund: Refund = { refundNo: e.refundNo, tradeNo: e.tradeNo, amountFen: e.amountFen, reason, status: offline ? "refunded" : "pending", failure: null }
      return own
        ? to(s, offline ? "refunded" : "refunding", { refunds: [...s.refunds, refund], refundReason: reason })
        : to(s, s.status, { refunds: [...s.refunds, refund] })
    }
    case "RefundSettled":
    case "RefundFailed": {
      const r = s.refunds.find((x) => x.refundNo === e.refundNo)
      if (r === undefined || r.status !== "pending") return refuse(s, e)
      const settled = e._tag === "RefundSettled"
      const refunds = s.refunds.map((x) => x === r ? { ...x, status: settled ? "refunded" as const : "failed" as const, failure: settled ? null : e.reason } : x)
      const ownDone = settled && s.status === "refunding" && s.payment?.tradeNo === r.tradeNo
      return to(s, ownDone ? "refunded" : s.status, { refunds })
    }
  }
}
