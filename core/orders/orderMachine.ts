import { Result } from "effect"
import {
  OrderAlreadyPaid,
  OrderTransitionRefused,
  PaymentAmountMismatch,
  ReasonRequired,
  WrongDeliveryMethod,
} from "./OrderErrors.ts"
import type { OrderEvent, OrderState, OrderStatus } from "./OrderState.ts"

export type OrderMachineError = OrderTransitionRefused | OrderAlreadyPaid | PaymentAmountMismatch | WrongDeliveryMethod | ReasonRequired

const refuse = (s: OrderState, e: OrderEvent) => Result.fail(new OrderTransitionRefused({ status: s.status, event: e._tag }))
const to = (s: OrderState, status: OrderStatus, patch: Partial<OrderState> = {}) => Result.succeed<OrderState>({ ...s, ...patch, status })
const nonBlank = (xs: ReadonlyArray<string>) => xs.map((x) => x.trim()).filter((x) => x.length > 0)

/**
 * The order life cycle (O5-O9) as a pure function. Rules:
 * - only a payment of exactly the amount payable moves an unpaid order on, and
 *   an order is paid at most once (a second payment is refused, never recorded);
 * - only an unpaid order can be cancelled; a paid one is refunded instead, and
 *   only when approved but unfulfillable or rejected and abandoned;
 * - a rejection needs at least one reason; the user edits and resubmits;
 * - express orders are shipped, self-pickup orders get a pickup notice;
 * - completed, cancelled and refunded orders never change again.
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
    case "Refund": {
      if (s.status !== "approved" && s.status !== "rejected") return refuse(s, e)
      const reason = e.reason.trim()
      if (reason.length === 0) return Result.fail(new ReasonRequired({ event: e._tag }))
      return to(s, "refunded", { refundReason: reason })
    }
  }
}
