import { Effect, Option, Schema } from "effect"
import type { StaffId } from "../kernel/Ids.ts"
import { PaymentGateway } from "../ports/PaymentGateway.ts"
import { applyEvent, loadOrder } from "./applyEvent.ts"
import { yuanString } from "./Money.ts"
import type { Order, OrderActor, OrderId } from "./Order.ts"
import { OrderTransitionRefused } from "./OrderErrors.ts"
import { nextRefundNo, pendingOn, refundableOn, refusedTrades } from "./orderMoney.ts"

/** Where a refund stands after asking the provider: paid back, accepted but not final (or unanswered), or refused (staff act). */
export type RefundOutcome = "refunded" | "pending" | "refused"

const staff = (id: StaffId): OrderActor => ({ kind: "staff", id })

/** Who pays late money back on its own. */
export const AUTO_REFUND: OrderActor = { kind: "system", id: "auto-refund" }

/** What the buyer is told a late payment's refund is for. */
export const LATE_PAYMENT_REASON = "订单已关闭后收到的付款，原路退回"

export const RefundInput = Schema.Struct({
  /** null: all the order's payment still holds. */
  amountFen: Schema.NullOr(Schema.Number.pipe(Schema.check(Schema.isInt(), Schema.isGreaterThan(0)))),
  reason: Schema.String.pipe(Schema.check(Schema.isTrimmed(), Schema.isBetweenLength(1, 100, { message: "refundReason.length" }))),
})
export type RefundInput = typeof RefundInput.Type

/**
 * Asks the provider for an open refund and applies its verified answer, each
 * change with its evidence event in one transaction: 已退款 (and the buyer is
 * told), or refused (the order waits in 待退款 for staff). An unreachable
 * provider, an unverifiable answer or one about another refund or amount
 * changes nothing: the refund stays open and asking again under its number
 * cannot pay twice.
 */
export const settleRefund = Effect.fn("orders.settleRefund")(function*(id: OrderId, refundNo: string) {
  const order = yield* loadOrder(id)
  const r = order.state.refunds.find((x) => x.refundNo === refundNo)
  if (r === undefined) return yield* new OrderTransitionRefused({ status: order.state.status, event: "RefundSettled" })
  if (r.status !== "pending") return (r.status === "refunded" ? "refunded" : "refused") satisfies RefundOutcome as RefundOutcome
  const gateway = yield* PaymentGateway
  const provider: OrderActor = { kind: "payment", id: gateway.name }
  const answer = yield* gateway.refund({ outTradeNo: order.id, tradeNo: r.tradeNo, refundNo, amountFen: r.amountFen, reason: r.reason }).pipe(
    Effect.map(Option.some),
    Effect.catchTag("PaymentGatewayFailed", (e) =>
      Effect.as(Effect.logWarning("refund not answered; it stays open", { order: id, refundNo, reason: e.reason }), Option.none())),
    Effect.catchTag("PaymentRefundRefused", (e) =>
      Effect.as(applyEvent(order, { _tag: "RefundFailed", refundNo, reason: e.reason }, provider, { refundNo, refusal: e.reason }), Option.none())),
  )
  if (Option.isNone(answer)) return (yield* loadOrder(id)).state.refunds.find((x) => x.refundNo === refundNo)?.status === "failed" ? "refused" as const : "pending" as const
  const a = answer.value
  if (a.outTradeNo !== order.id || a.refundNo !== refundNo || a.amountFen !== r.amountFen) {
    yield* Effect.logWarning("refund answer is about another refund or amount; ignored", { order: id, refundNo })
    return "pending" as const
  }
  if (a.status === "pending") return "pending" as const
  yield* applyEvent(order, { _tag: "RefundSettled", refundNo }, provider, { refundNo, amount: yuanString(r.amountFen) })
  return "refunded" as const
})

/** Opens a refund (committed before the provider is asked, so a crash leaves a numbered refund to retry) and asks for it. */
const openRefund = (order: Order, tradeNo: string, amountFen: number, reason: string, actor: OrderActor) =>
  Effect.gen(function*() {
    const refundNo = nextRefundNo(order.id, order.state)
    yield* applyEvent(order, { _tag: "RequestRefund", refundNo, tradeNo, amountFen, reason }, actor, { refundNo, tradeNo, amount: yuanString(amountFen), reason: reason.trim() })
    return yield* settleRefund(order.id, refundNo)
  })

/**
 * X2 退款 (staff, after confirming): pays back all or part of a paid order
 * that cannot be fulfilled (approved) or was abandoned after rejection. The
 * order is 退款中 until the provider confirms, then 已退款; a partial refund
 * keeps the rest.
 */
export const refundOrder = Effect.fn("orders.refund")(function*(staffId: StaffId, id: OrderId, input: RefundInput) {
  const order = yield* loadOrder(id)
  const payment = order.state.payment
  if (payment === null) return yield* new OrderTransitionRefused({ status: order.state.status, event: "RequestRefund" })
  return yield* openRefund(order, payment.tradeNo, input.amountFen ?? refundableOn(order.state, payment.tradeNo), input.reason, staff(staffId))
})

/**
 * Pays back a late payment (money the provider took for a closed order) on
 * its own, as soon as it is recorded. A refused refund leaves the order in
 * 待退款 for staff.
 */
export const refundLatePayment = Effect.fn("orders.refundLate")(function*(id: OrderId, tradeNo: string) {
  const order = yield* loadOrder(id)
  const open = pendingOn(order.state, tradeNo)
  if (open !== undefined) return yield* settleRefund(id, open.refundNo)
  const amount = refundableOn(order.state, tradeNo)
  if (amount <= 0) return "refunded" as const
  return yield* openRefund(order, tradeNo, amount, LATE_PAYMENT_REASON, AUTO_REFUND)
})

/**
 * 待退款, 重新退款: every trade of the order with money still owed is asked
 * again: an open refund under its own number (the provider refunds once), a
 * refused one anew under a new number for the amount it asked (late money: all
 * its trade still holds).
 */
export const retryRefunds = Effect.fn("orders.retryRefunds")(function*(staffId: StaffId, id: OrderId) {
  const order = yield* loadOrder(id)
  const s = order.state
  const outcomes: Array<RefundOutcome> = []
  const own = s.status === "refunding" && s.payment !== null ? [s.payment.tradeNo] : []
  for (const tradeNo of [...own, ...s.latePayments.map((p) => p.tradeNo)]) {
    const now = yield* loadOrder(id)
    const open = pendingOn(now.state, tradeNo)
    if (open !== undefined) {
      outcomes.push(yield* settleRefund(id, open.refundNo))
      continue
    }
    const amount = refundableOn(now.state, tradeNo)
    if (amount <= 0) continue
    // A refused refund is asked again for what it asked (a partial refund stays partial).
    const last = [...now.state.refunds].reverse().find((r) => r.tradeNo === tradeNo)
    const again = last?.status === "failed" ? Math.min(last.amountFen, amount) : amount
    outcomes.push(yield* openRefund(now, tradeNo, again, last?.reason ?? LATE_PAYMENT_REASON, staff(staffId)))
  }
  if (outcomes.length === 0) return yield* new OrderTransitionRefused({ status: s.status, event: "RequestRefund" })
  return outcomes.includes("refused") ? "refused" as const : outcomes.includes("pending") ? "pending" as const : "refunded" as const
})

/**
 * 待退款, 已线下退款: the provider refused and staff paid the money back
 * another way (a bank transfer); `reference` says how (the buyer sees it).
 * Every trade whose last refund was refused is closed for what that refund
 * asked (late money: all its trade still holds); the buyer is told.
 */
export const refundOffline = Effect.fn("orders.refundOffline")(function*(staffId: StaffId, id: OrderId, reference: string) {
  let order = yield* loadOrder(id)
  const refused = refusedTrades(order.state)
  if (refused.length === 0) return yield* new OrderTransitionRefused({ status: order.state.status, event: "RefundOffline" })
  for (const tradeNo of refused) {
    const last = order.state.refunds.filter((r) => r.tradeNo === tradeNo).at(-1)!
    const own = order.state.payment?.tradeNo === tradeNo
    const amountFen = own ? Math.min(last.amountFen, refundableOn(order.state, tradeNo)) : refundableOn(order.state, tradeNo)
    const refundNo = nextRefundNo(order.id, order.state)
    order = yield* applyEvent(order, { _tag: "RefundOffline", refundNo, tradeNo, amountFen, reason: reference }, staff(staffId), {
      refundNo, tradeNo, amount: yuanString(amountFen), reason: reference.trim(),
    })
  }
  return "refunded" as const
})
