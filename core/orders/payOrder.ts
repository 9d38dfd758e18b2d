import { Effect, Option, Schema } from "effect"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { PaymentGateway, type ProviderPayment } from "../ports/PaymentGateway.ts"
import { yuanString } from "./Money.ts"
import { applyEvent, loadOrder, loadOwnOrder } from "./applyEvent.ts"
import { OrderId } from "./Order.ts"
import { type OrderAlreadyPaid, type OrderChangedConcurrently, OrderTransitionRefused, PaymentTradeReused } from "./OrderErrors.ts"
import { lateOutstanding } from "./orderMoney.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import { CLOSED } from "./OrderState.ts"
import { refundLatePayment, settleRefund } from "./refundOrder.ts"

/** O6 去支付: sends the buyer to the provider for an unpaid order's amount payable (recomputed at creation, never from the browser). */
export const startPayment = Effect.fn("orders.startPayment")(function*(
  userId: UserId,
  id: OrderId,
  urls: { readonly returnUrl: string; readonly notifyUrl: string },
) {
  const order = yield* loadOwnOrder(userId, id)
  if (order.state.status !== "pending_payment") return yield* new OrderTransitionRefused({ status: order.state.status, event: "StartPayment" })
  return yield* (yield* PaymentGateway).createPayment({
    outTradeNo: order.id,
    amountFen: order.price.payableFen,
    subject: `电子签章（含数字证书）${order.package.name} ￥${yuanString(order.price.payableFen)}`,
    ...urls,
  })
})

/**
 * "late-refunded": the provider took money for a closed order (cancelled while
 * the buyer paid) and it was paid back at once; "needs-refund": such money is
 * recorded but not yet paid back (the provider refused or did not answer):
 * it waits in the staff queue 待退款.
 */
export type PaymentOutcome = "paid" | "already-paid" | "not-paid" | "late-refunded" | "needs-refund"

/**
 * Applies what a provider verifiably said about a trade. Idempotent: the same
 * trade reported again (a retried or replayed notification, a status query
 * after the notification) changes nothing. A different amount, or a payment
 * for an order that can no longer be paid, fails and changes nothing; a
 * payment for a closed order (cancelled, refunded) is recorded as a late
 * payment with its evidence and refunded automatically.
 */
export const recordPayment = Effect.fn("orders.recordPayment")(function*(gateway: string, p: ProviderPayment) {
  const id = yield* Schema.decodeUnknownEffect(OrderId)(p.outTradeNo).pipe(
    Effect.mapError(() => new NotFound({ entity: "order", id: p.outTradeNo })),
  )
  const order = yield* loadOrder(id)
  if (p.refundNo !== undefined) {
    // A refund notification (the trade is known): it prompts asking the provider about our open refund, which settles it if verified.
    const open = order.state.refunds.find((r) => r.refundNo === p.refundNo && r.tradeNo === p.tradeNo && r.status === "pending")
    if (open !== undefined) {
      yield* settleRefund(id, open.refundNo).pipe(Effect.catch((e) => Effect.logWarning("refund notification: refund not settled", { order: id, error: e._tag })))
    }
  }
  if (order.state.payment?.tradeNo === p.tradeNo) return "already-paid" as PaymentOutcome
  const lateOutcome = (o: typeof order) => (lateOutstanding(o.state) > 0 ? "needs-refund" : "late-refunded") as PaymentOutcome
  if (order.state.latePayments.some((l) => l.tradeNo === p.tradeNo)) return lateOutcome(order)
  if (p.status !== "paid") return "not-paid" as PaymentOutcome
  // The unique column would refuse it too; this says why.
  const other = yield* (yield* OrderRepository).findByTradeNo(p.tradeNo)
  if (Option.isSome(other) && other.value.id !== id) return yield* new PaymentTradeReused({ tradeNo: p.tradeNo })
  const at = yield* Effect.clockWith((c) => c.currentTimeMillis)
  if (CLOSED.includes(order.state.status)) {
    // Paid at the provider while being cancelled here: the order stays closed, the money is recorded once and paid back.
    const late = applyEvent(order, { _tag: "LatePayment", tradeNo: p.tradeNo, amountFen: p.amountFen, at }, { kind: "payment", id: gateway }, {
      tradeNo: p.tradeNo,
      amount: yuanString(p.amountFen),
    })
    const lostRace = (e: OrderChangedConcurrently | OrderAlreadyPaid) =>
      Effect.flatMap(loadOrder(id), (now) => now.state.latePayments.some((l) => l.tradeNo === p.tradeNo) ? Effect.succeed(false) : Effect.fail(e))
    const recorded = yield* late.pipe(
      Effect.as(true),
      // Two deliveries racing: the loser, decided again on the winner's order, finds the payment recorded.
      Effect.catchTags({ OrderChangedConcurrently: lostRace, OrderAlreadyPaid: lostRace }),
    )
    if (recorded) {
      // The notification is answered "success" whatever the refund does: the money is recorded, and what is owed shows in 待退款.
      yield* refundLatePayment(id, p.tradeNo).pipe(
        Effect.catch((e) => Effect.logWarning("automatic refund of a late payment did not run", { order: id, tradeNo: p.tradeNo, error: e._tag })),
      )
    }
    return lateOutcome(yield* loadOrder(id))
  }
  const pay = applyEvent(order, { _tag: "Pay", tradeNo: p.tradeNo, amountFen: p.amountFen, at }, { kind: "payment", id: gateway }, {
    tradeNo: p.tradeNo,
    amount: yuanString(p.amountFen),
    method: p.method ?? gateway,
    ...(p.bank === undefined ? {} : { bank: p.bank }),
  })
  const alreadyPaid = (e: OrderChangedConcurrently | OrderAlreadyPaid) =>
    Effect.flatMap(loadOrder(id), (now) => now.state.payment?.tradeNo === p.tradeNo ? Effect.succeed("already-paid" as PaymentOutcome) : Effect.fail(e))
  return yield* pay.pipe(
    Effect.as("paid" as PaymentOutcome),
    // Two deliveries of one notification racing: the loser finds the winner's payment.
    // (The loser is decided again on the winner's order: the machine says it is paid already.)
    Effect.catchTags({ OrderChangedConcurrently: alreadyPaid, OrderAlreadyPaid: alreadyPaid }),
  )
})

/** O6: the provider's asynchronous notification (form fields as posted). */
export const handlePaymentNotification = Effect.fn("orders.paymentNotification")(function*(params: Readonly<Record<string, string>>) {
  const gateway = yield* PaymentGateway
  const verified = yield* gateway.verifyNotification(params)
  return yield* recordPayment(gateway.name, verified)
})

/** O6/O9: asks the provider about an own order (e.g. when a notification is late); pays it only if the provider says so. */
export const refreshPaymentStatus = Effect.fn("orders.refreshPayment")(function*(userId: UserId, id: OrderId) {
  const order = yield* loadOwnOrder(userId, id)
  if (order.state.payment !== null) return "already-paid" as PaymentOutcome
  const gateway = yield* PaymentGateway
  const found = yield* gateway.queryPayment(order.id)
  if (found === null || found.outTradeNo !== order.id) return "not-paid" as PaymentOutcome
  return yield* recordPayment(gateway.name, found)
})
