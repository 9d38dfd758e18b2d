import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { layerOrderRepository } from "../sql/orders.ts"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { layerDefaultCatalogue } from "../../core/orders/Catalogue.ts"
import { cancelOrder } from "../../core/orders/cancelOrder.ts"
import { createOrder } from "../../core/orders/createOrder.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import type { OrderId } from "../../core/orders/Order.ts"
import { handlePaymentNotification, refreshPaymentStatus, startPayment } from "../../core/orders/payOrder.ts"
import { yuanString } from "../../core/orders/Money.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { mockCheckoutApp, makeMockProvider } from "./index.ts"

const BASE = "http://shop.test/mock-pay"
const delivered: Array<Record<string, string>> = []
let dropDeliveries = false
const provider = makeMockProvider({
  secret: "mock-secret-for-tests",
  checkoutBaseUrl: BASE,
  deliver: async (url, params) => {
    expect(url).toBe("http://shop.test/payments/notify")
    if (!dropDeliveries) delivered.push(params)
  },
})
const checkout = mockCheckoutApp(provider)
const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, provider.layer).pipe(Layer.provideMerge(layerTestNoEvidence))
const urls = { returnUrl: "http://shop.test/orders/paid", notifyUrl: "http://shop.test/payments/notify" }

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: (a) => (typeof a === "string" ? a : "success") })

const stored = (id: OrderId) => OrderRepository.use((r) => Effect.map(r.find(id), Option.getOrThrow))
const pays = (id: OrderId) => OrderRepository.use((r) => Effect.map(r.history(id), (h) => h.filter((e) => e.event === "Pay").length))

/** A buyer with an unpaid self-pickup order, sent to the mock checkout. */
const unpaidOrder = Effect.gen(function*() {
  yield* TestClock.setTime(TEST_EPOCH)
  const u = aUser()
  yield* (yield* UserRepository).insert(u)
  const order = yield* createOrder(u.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
  const { redirectUrl } = yield* startPayment(u.id, order.id, urls)
  return { user: u, order, path: redirectUrl.slice(BASE.length) }
})

const post = (path: string, form: Record<string, string>) =>
  Effect.promise(async () => checkout.request(path, { method: "POST", body: new URLSearchParams(form) }))
const get = (path: string) => Effect.promise(async () => checkout.request(path))
const text = (r: Response) => Effect.promise(() => r.text())

describe("mock payment gateway (O6)", () => {
  it.layer(layer)((it) => {
    it.effect("alipay checkout: the page shows the order's amount; paying notifies; only the verified notification pays, once", () =>
      Effect.gen(function*() {
        const { user, order, path } = yield* unpaidOrder
        const page = yield* get(path)
        expect(page.status).toBe(200)
        const html = yield* text(page)
        expect(html).toContain(`￥${yuanString(order.price.payableFen)}`)
        expect(html).toContain(order.id)
        expect(yield* text(yield* get(`${path}/alipay`))).toContain("<svg")
        delivered.length = 0
        const paid = yield* post(`${path}/pay`, { method: "alipay", amount: "0.01" })
        expect(paid.status).toBe(303)
        expect(paid.headers.get("location")).toBe(`http://shop.test/orders/paid?out_trade_no=${order.id}&result=success`)
        // Back in the shop: the browser's return proves nothing until the notification is handled.
        expect((yield* stored(order.id)).state.status).toBe("pending_payment")
        expect(delivered.length).toBe(1)
        const note = delivered[0]!
        expect(note.total_amount).toBe("540.00")
        expect(yield* handlePaymentNotification(note)).toBe("paid")
        expect(yield* handlePaymentNotification(note)).toBe("already-paid")
        const after = yield* stored(order.id)
        expect([after.state.status, after.state.payment?.amountFen, after.state.payment?.tradeNo]).toEqual(["in_review", 54_000, note.trade_no])
        expect(yield* pays(order.id)).toBe(1)
        expect(yield* refreshPaymentStatus(user.id, order.id)).toBe("already-paid")
      }))

    it.effect("two deliveries of one notification at once still pay once", () =>
      Effect.gen(function*() {
        const { order, path } = yield* unpaidOrder
        delivered.length = 0
        yield* post(`${path}/pay`, { method: "cfca", bank: "招商银行" })
        const note = delivered[0]!
        expect(note.bank).toBe("招商银行")
        const results = yield* Effect.all([handlePaymentNotification(note), handlePaymentNotification(note)], { concurrency: 2 })
        expect([...results].sort()).toEqual(["already-paid", "paid"])
        expect(yield* pays(order.id)).toBe(1)
      }))

    it.effect("forged notifications (edited fields, wrong key) and a validly signed different amount leave the order unpaid", () =>
      Effect.gen(function*() {
        const { order, path } = yield* unpaidOrder
        delivered.length = 0
        dropDeliveries = false
        // The provider has not paid: build what a forger would send.
        const honest = { out_trade_no: order.id, trade_no: "MOCKFORGED1", total_amount: yuanString(order.price.payableFen), trade_status: "TRADE_SUCCESS", notify_id: "n1", notify_time: "t" }
        const forgedSign = { ...honest, sign: "00".repeat(32) }
        expect(yield* outcome(handlePaymentNotification(forgedSign))).toBe("PaymentNotificationRejected")
        const other = makeMockProvider({ secret: "someone-else", checkoutBaseUrl: BASE })
        expect(yield* outcome(handlePaymentNotification({ ...honest, sign: other.sign(honest) }))).toBe("PaymentNotificationRejected")
        const signed = { ...honest, sign: provider.sign(honest) }
        expect(yield* outcome(handlePaymentNotification({ ...signed, total_amount: "0.01" }))).toBe("PaymentNotificationRejected")
        const cheap = { ...honest, total_amount: "5.40" }
        expect(yield* outcome(handlePaymentNotification({ ...cheap, sign: provider.sign(cheap) }))).toBe("PaymentAmountMismatch")
        expect((yield* stored(order.id)).state.payment).toBeNull()
        expect(yield* pays(order.id)).toBe(0)
        void path
      }))

    it.effect("a replayed notification of another order's payment does not pay this one", () =>
      Effect.gen(function*() {
        const a = yield* unpaidOrder
        delivered.length = 0
        yield* post(`${a.path}/pay`, { method: "alipay" })
        const noteA = delivered[0]!
        expect(yield* handlePaymentNotification(noteA)).toBe("paid")
        const b = yield* unpaidOrder
        expect(yield* handlePaymentNotification(noteA)).toBe("already-paid")
        expect(yield* outcome(handlePaymentNotification({ ...noteA, out_trade_no: b.order.id }))).toBe("PaymentNotificationRejected")
        expect((yield* stored(b.order.id)).state.status).toBe("pending_payment")
        expect(yield* pays(a.order.id)).toBe(1)
      }))

    it.effect("支付失败 / a return without payment leaves it unpaid; a lost notification is recovered by a status query", () =>
      Effect.gen(function*() {
        const { user, order, path } = yield* unpaidOrder
        const cancelled = yield* post(`${path}/cancel`, {})
        expect(cancelled.headers.get("location")).toContain("result=fail")
        expect(yield* refreshPaymentStatus(user.id, order.id)).toBe("not-paid")
        expect((yield* stored(order.id)).state.status).toBe("pending_payment")
        dropDeliveries = true
        yield* post(`${path}/pay`, { method: "alipay" })
        dropDeliveries = false
        expect((yield* stored(order.id)).state.status).toBe("pending_payment")
        expect(yield* refreshPaymentStatus(user.id, order.id)).toBe("paid")
        expect((yield* stored(order.id)).state.status).toBe("in_review")
      }))

    it.effect("paid at the provider after the buyer cancelled: stays cancelled, recorded once and refunded automatically", () =>
      Effect.gen(function*() {
        const { user, order, path } = yield* unpaidOrder
        yield* cancelOrder(user.id, order.id)
        delivered.length = 0
        yield* post(`${path}/pay`, { method: "alipay" })
        const note = delivered[0]!
        expect(yield* handlePaymentNotification(note)).toBe("late-refunded")
        expect(yield* handlePaymentNotification(note)).toBe("late-refunded")
        const history = yield* OrderRepository.use((r) => r.history(order.id))
        expect(history.map((h) => h.event)).toEqual(["Create", "Cancel", "LatePayment", "RequestRefund", "RefundSettled"])
        expect(history[2]?.detail).toEqual({ tradeNo: note.trade_no, amount: "540.00" })
        expect((yield* stored(order.id)).state).toMatchObject({
          status: "cancelled", payment: null, latePayments: [{ tradeNo: note.trade_no, amountFen: 54_000 }],
          refunds: [{ refundNo: `${order.id}R1`, tradeNo: note.trade_no, amountFen: 54_000, status: "refunded" }],
        })
        // The provider's books agree: the whole trade was paid back, once.
        expect((yield* Effect.promise(() => provider.trade(order.id)))?.refundedFen).toBe(54_000)
      }))

    it.effect("checkout refuses a CFCA payment without a bank and unknown trades", () =>
      Effect.gen(function*() {
        const { order, path } = yield* unpaidOrder
        expect((yield* post(`${path}/pay`, { method: "cfca" })).status).toBe(422)
        expect((yield* post(`${path}/pay`, { method: "bitcoin" })).status).toBe(422)
        expect((yield* get("/1999999999999999999")).status).toBe(404)
        expect((yield* post("/1999999999999999999/pay", { method: "alipay" })).status).toBe(404)
        expect((yield* stored(order.id)).state.status).toBe("pending_payment")
      }))
  })
})
