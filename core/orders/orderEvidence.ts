import type { EventOf } from "../evidence/EvidenceRecorder.ts"
import type { EventType } from "../evidence/Event.ts"
import type { Order, OrderActor } from "./Order.ts"
import type { OrderEventTag } from "./OrderState.ts"

/** Which evidence event each order event is (B1: every step of an order is on its chain). */
const TYPES: Record<OrderEventTag | "Create", EventType> = {
  Create: "order.created",
  Pay: "order.paid",
  LatePayment: "order.paid",
  Cancel: "order.cancelled",
  Approve: "order.reviewed",
  Reject: "order.reviewed",
  Resubmit: "order.resubmitted",
  CertificateMade: "order.key_made",
  Ship: "order.shipped",
  NotifyPickup: "order.pickup_notified",
  ConfirmPickup: "order.picked_up",
  ConfirmReceipt: "order.completed",
  RequestRefund: "order.refund_requested",
  RefundSettled: "order.refunded",
  RefundFailed: "order.refund_failed",
  RefundOffline: "order.refunded",
}

/**
 * The evidence event of an order change. Only public facts enter `data` (the
 * log cannot forget): status, amounts, trade and certificate serial numbers,
 * the carrier, refund numbers and amounts; never names, ID numbers, addresses, tracking numbers or the
 * free-text reasons (their count is kept). Who acted (the buyer, the staff
 * member deciding, the payment provider) is a salted commitment.
 */
export const orderEvidence = (
  order: Order,
  event: OrderEventTag | "Create",
  actor: OrderActor,
  detail: Readonly<Record<string, string>>,
): EventOf<unknown> => () => {
  const s = order.state
  const facts: Record<string, string | number | boolean | null> = { event, status: s.status, version: order.version }
  switch (event) {
    case "Create":
      Object.assign(facts, {
        business: order.application.business, applicant: order.application.applicant, packageId: order.package.id,
        delivery: order.delivery._tag, goodsFen: order.price.goodsFen, deliveryFeeFen: order.price.deliveryFeeFen,
        serviceFeeFen: order.price.serviceFeeFen, payableFen: order.price.payableFen,
      })
      break
    case "Pay":
      Object.assign(facts, { tradeNo: s.payment?.tradeNo ?? null, amountFen: s.payment?.amountFen ?? null })
      break
    case "LatePayment": {
      const late = s.latePayments.find((p) => p.tradeNo === detail.tradeNo)
      Object.assign(facts, { tradeNo: late?.tradeNo ?? null, amountFen: late?.amountFen ?? null, late: true })
      break
    }
    case "RequestRefund":
    case "RefundSettled":
    case "RefundFailed":
    case "RefundOffline": {
      // The refund's numbers, never its free-text reason (nor the provider's refusal text).
      const r = s.refunds.find((x) => x.refundNo === detail.refundNo)
      Object.assign(facts, { refundNo: r?.refundNo ?? null, tradeNo: r?.tradeNo ?? null, amountFen: r?.amountFen ?? null, refundStatus: r?.status ?? null, offline: event === "RefundOffline" })
      break
    }
    case "Approve":
      Object.assign(facts, { decision: "approved", round: s.reviewRounds })
      break
    case "Reject":
      Object.assign(facts, { decision: "rejected", round: s.reviewRounds, reasons: s.rejectReasons.length })
      break
    case "CertificateMade":
      Object.assign(facts, { serial: s.certificateSerial, revokedSerial: detail.revoked ?? null })
      break
    case "Ship":
      Object.assign(facts, { carrier: s.shipment?.carrier ?? null })
      break
    default:
      break
  }
  return { type: TYPES[event], subjectId: order.id, role: actor.kind, actor: actor.id, data: facts }
}
