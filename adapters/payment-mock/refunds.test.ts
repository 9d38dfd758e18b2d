import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { Database } from "../sql/Database.ts"
import { sqlMockTradeStore } from "../sql/mockPayments.ts"
import { layerOrderRepository } from "../sql/orders.ts"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { payAtMock } from "../../fixtures/orders/mockPay.ts"
import type { StaffId } from "../../core/kernel/Ids.ts"
import { layerDefaultCatalogue } from "../../core/orders/Catalogue.ts"
import { cancelOrder } from "../../core/orders/cancelOrder.ts"
import { createOrder } from "../../core/orders/createOrder.ts"
import { staffQueue } from "../../core/orders/listOrders.ts"
import type { Order } from "../../core/orders/Order.ts"
import { moneyIn, moneyKept, moneyRefunded } from "../../core/orders/orderMoney.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { refundOffline, refundOrder, retryRefunds } from "../../core/orders/refundOrder.ts"
import { rejectOrder } from "../../core/orders/reviewOrder.ts"
import { MailOutbox } from "../mail-outbox/index.ts"
import { PaymentGateway } from "../../core/ports/PaymentGateway.ts"
import { SmsOutbox } from "../sms/index.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { makeMockProvider, type MockProvider } from "./index.ts"

/** The mock provider on the test database, as the apps run it; `fresh()` is the same provider after a restart. */
const options = { secret: "mock-secret-for-tests", checkoutBaseUrl: "http://shop.test/mock-pay", deliver: async () => {} }
let provider: MockProvider
const layerProvider = Layer.effect(PaymentGateway, Effect.gen(function*() {
  provider = makeMockProvider({ ...options, store: sqlMockTradeStore((yield* Database).db) })
  return provider.gateway
}))
const fresh = Database.use(({ db }) => Effect.succeed( makeMockProvider({ ...options, store: sqlMockTradeStore(db) })))
const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, layerProvider).pipe(Layer.provideMerge(layerTestNoEvidence))
const reviewer = "1300000000000000008" as StaffId

const stored = (o: Order) => OrderRepository.use((r) => Effect.map(r.find(o.id), Option.getOrThrow))
const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: (a) => (typeof a === "string" ? a : "success") })

const order = Effect.gen(function*() {
  yield* TestClock.setTime(TEST_EPOCH)
  const u = aUser()
  yield* (yield* UserRepository).insert(u)
  const o = yield* createOrder(u.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
  return { user: u, order: o }
})

const paidAndRejected = Effect.gen(function*() {
  const { user, order: o } = yield* order
  expect(yield* payAtMock(provider, o)).toBe("paid")
  yield* rejectOrder(reviewer, o.id, ["材料不全"])
  return { user, order: o }
})

describe("refunds through the mock gateway, its books in the database (issue 18)", () => {
  it.layer(layer)((it) => {
    it.effect("staff refund part of a paid order: 已退款, the rest kept, the buyer texted and mailed; the same refund number never pays twice", () =>
      Effect.gen(function*() {
        const { order: o } = yield* paidAndRejected
        expect(yield* outcome(refundOrder(reviewer, o.id, { amountFen: 54_001, reason: "多退" }))).toBe("InvalidRefundAmount")
        expect(yield* refundOrder(reviewer, o.id, { amountFen: 20_000, reason: "用户放弃补正材料" })).toBe("refunded")
        const s = (yield* stored(o)).state
        expect([s.status, moneyIn(s), moneyRefunded(s), moneyKept(s)]).toEqual(["refunded", 54_000, 20_000, 34_000])
        const [sms] = yield* (yield* SmsOutbox).recent(1, o.application.agent.mobile)
        expect(sms?.text).toBe(`【Signet】您的订单 ${o.id} 已退款 200.00 元，原因：用户放弃补正材料。`)
        const [mail] = yield* (yield* MailOutbox).recent(1, o.application.agent.email)
        expect(mail?.subject).toBe(`【Signet】订单 ${o.id}：已退款`)
        // Asked again under the same number (a retry after a lost answer): the same refund, no more money.
        const again = yield* provider.gateway.refund({ outTradeNo: o.id, tradeNo: s.payment!.tradeNo, refundNo: `${o.id}R1`, amountFen: 20_000, reason: "x" })
        expect(again).toEqual({ outTradeNo: o.id, refundNo: `${o.id}R1`, amountFen: 20_000, status: "refunded" })
        expect(yield* outcome(provider.gateway.refund({ outTradeNo: o.id, tradeNo: s.payment!.tradeNo, refundNo: `${o.id}R1`, amountFen: 30_000, reason: "x" })))
          .toBe("PaymentRefundRefused")
        // More than the trade holds, under a new number: refused by the provider too.
        expect(yield* outcome(provider.gateway.refund({ outTradeNo: o.id, tradeNo: s.payment!.tradeNo, refundNo: `${o.id}R9`, amountFen: 34_001, reason: "x" })))
          .toBe("PaymentRefundRefused")
        expect((yield* Effect.promise(() => provider.trade(o.id)))?.refundedFen).toBe(20_000)
        // The order is closed: a second refund of its payment is refused.
        expect(yield* outcome(refundOrder(reviewer, o.id, { amountFen: 100, reason: "再退" }))).toBe("OrderTransitionRefused")
      }))

    it.effect("the provider refuses: 退款中 stays, the order is in 待退款; staff retry once the provider agrees and it is refunded once", () =>
      Effect.gen(function*() {
        const { order: o } = yield* paidAndRejected
        provider.control.refuseRefunds = true
        expect(yield* refundOrder(reviewer, o.id, { amountFen: null, reason: "无法制证" })).toBe("refused")
        expect((yield* stored(o)).state).toMatchObject({ status: "refunding", refunds: [{ status: "failed" }] })
        expect((yield* staffQueue("refunds")).map((x) => x.id)).toContain(o.id)
        provider.control.refuseRefunds = false
        expect(yield* retryRefunds(reviewer, o.id)).toBe("refunded")
        const s = (yield* stored(o)).state
        expect([s.status, s.refunds.map((r) => [r.refundNo, r.status]), moneyKept(s)]).toEqual(["refunded", [[`${o.id}R1`, "failed"], [`${o.id}R2`, "refunded"]], 0])
        expect((yield* staffQueue("refunds")).map((x) => x.id)).not.toContain(o.id)
        expect(yield* outcome(retryRefunds(reviewer, o.id))).toBe("OrderTransitionRefused")
      }))

    it.effect("a late payment the provider will not refund is queued for staff, visible, and refunded by 重新发起退款", () =>
      Effect.gen(function*() {
        const { user, order: o } = yield* order
        yield* provider.gateway.createPayment({ outTradeNo: o.id, amountFen: o.price.payableFen, subject: "t", returnUrl: "http://shop.test/r", notifyUrl: "http://shop.test/n" })
        yield* cancelOrder(user.id, o.id)
        provider.control.refuseRefunds = true
        const params = yield* Effect.promise(() => provider.pay(o.id, "cfca", "招商银行", async () => {}))
        const { handlePaymentNotification } = yield* Effect.promise(() => import("../../core/orders/payOrder.ts"))
        expect(yield* handlePaymentNotification(params!)).toBe("needs-refund")
        provider.control.refuseRefunds = false
        expect((yield* stored(o)).state).toMatchObject({ status: "cancelled", latePayments: [{ amountFen: 54_000 }], refunds: [{ status: "failed" }] })
        expect((yield* staffQueue("refunds")).map((x) => x.id)).toContain(o.id)
        const [told] = yield* (yield* SmsOutbox).recent(1, o.application.agent.mobile)
        expect(told?.text).toBe(`【Signet】您的订单 ${o.id} 已关闭，收到的付款 540.00 元将原路退回，无需操作。`)
        expect(yield* retryRefunds(reviewer, o.id)).toBe("refunded")
        const s = (yield* stored(o)).state
        expect([s.status, moneyIn(s), moneyRefunded(s), moneyKept(s)]).toEqual(["cancelled", 54_000, 54_000, 0])
        expect((yield* staffQueue("refunds")).map((x) => x.id)).not.toContain(o.id)
      }))

    it.effect("late money the provider will not pay back is paid back outside it (已线下退款): all the trade holds, the buyer told", () =>
      Effect.gen(function*() {
        const { user, order: o } = yield* order
        yield* provider.gateway.createPayment({ outTradeNo: o.id, amountFen: o.price.payableFen, subject: "t", returnUrl: "http://shop.test/r", notifyUrl: "http://shop.test/n" })
        yield* cancelOrder(user.id, o.id)
        provider.control.refuseRefunds = true
        const params = yield* Effect.promise(() => provider.pay(o.id, "alipay", null, async () => {}))
        const { handlePaymentNotification } = yield* Effect.promise(() => import("../../core/orders/payOrder.ts"))
        expect(yield* handlePaymentNotification(params!).pipe(Effect.ensuring(Effect.sync(() => { provider.control.refuseRefunds = false })))).toBe("needs-refund")
        expect(yield* refundOffline(reviewer, o.id, "已通过银行转账退回，流水号 77")).toBe("refunded")
        const s = (yield* stored(o)).state
        expect([s.status, s.refunds.map((r) => r.status), moneyKept(s)]).toEqual(["cancelled", ["failed", "refunded"], 0])
        expect((yield* staffQueue("refunds")).map((x) => x.id)).not.toContain(o.id)
        const [sms] = yield* (yield* SmsOutbox).recent(1, o.application.agent.mobile)
        expect(sms?.text).toBe(`【Signet】您的订单 ${o.id} 已退款 540.00 元，原因：已通过银行转账退回，流水号 77。`)
        // The provider's books: nothing went back through it.
        expect((yield* Effect.promise(() => provider.trade(o.id)))?.refundedFen).toBe(0)
      }))

    it.effect("two deliveries of one late notification at once record it once and refund it once", () =>
      Effect.gen(function*() {
        const { user, order: o } = yield* order
        yield* provider.gateway.createPayment({ outTradeNo: o.id, amountFen: o.price.payableFen, subject: "t", returnUrl: "http://shop.test/r", notifyUrl: "http://shop.test/n" })
        yield* cancelOrder(user.id, o.id)
        const params = yield* Effect.promise(() => provider.pay(o.id, "alipay", null, async () => {}))
        const { handlePaymentNotification } = yield* Effect.promise(() => import("../../core/orders/payOrder.ts"))
        const outcomes = yield* Effect.all([handlePaymentNotification(params!), handlePaymentNotification(params!)], { concurrency: 2 })
        // The delivery that lost the race answers what it saw: recorded, maybe not yet paid back.
        expect(outcomes).toContain("late-refunded")
        for (const x of outcomes) expect(["late-refunded", "needs-refund"]).toContain(x)
        const s = (yield* stored(o)).state
        expect([s.latePayments.length, s.refunds.length, moneyRefunded(s)]).toEqual([1, 1, 54_000])
        expect((yield* Effect.promise(() => provider.trade(o.id)))?.refundedFen).toBe(54_000)
      }))

    it.effect("a restart forgets nothing: a paid trade is not paid again, and its refunds still count", () =>
      Effect.gen(function*() {
        const { order: o } = yield* paidAndRejected
        expect(yield* refundOrder(reviewer, o.id, { amountFen: 10_000, reason: "部分退款" })).toBe("refunded")
        const restarted = yield* fresh
        expect(yield* outcome(restarted.gateway.createPayment({ outTradeNo: o.id, amountFen: 54_000, subject: "t", returnUrl: "http://x/r", notifyUrl: "http://x/n" })))
          .toBe("PaymentGatewayFailed")
        expect(yield* restarted.gateway.queryPayment(o.id)).toMatchObject({ status: "paid", amountFen: 54_000 })
        expect(yield* restarted.gateway.queryRefund(o.id, `${o.id}R1`)).toEqual({ outTradeNo: o.id, refundNo: `${o.id}R1`, amountFen: 10_000, status: "refunded" })
        expect(yield* outcome(restarted.gateway.refund({ outTradeNo: o.id, tradeNo: (yield* stored(o)).state.payment!.tradeNo, refundNo: "other", amountFen: 44_001, reason: "x" })))
          .toBe("PaymentRefundRefused")
      }))
  })
})
