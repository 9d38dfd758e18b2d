import { generateKeyPairSync } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll } from "vitest"
import { describe, expect, it } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { layerDefaultCatalogue } from "../../core/orders/Catalogue.ts"
import { createOrder } from "../../core/orders/createOrder.ts"
import { Order, type OrderId } from "../../core/orders/Order.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { handlePaymentNotification, refreshPaymentStatus, startPayment } from "../../core/orders/payOrder.ts"
import { cancelOrder } from "../../core/orders/cancelOrder.ts"
import { staffQueue } from "../../core/orders/listOrders.ts"
import { refundOrder, retryRefunds } from "../../core/orders/refundOrder.ts"
import { rejectOrder } from "../../core/orders/reviewOrder.ts"
import type { StaffId } from "../../core/kernel/Ids.ts"
import { PaymentGateway } from "../../core/ports/PaymentGateway.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { layerOrderRepository } from "../sql/orders.ts"
import { makeAlipayGateway } from "./gateway.ts"
import { privateKeyOf, publicKeyOf, REQUEST_EXCLUDES, rsa2Sign, rsa2Verify, signedJsonOf, signingString } from "./rsa2.ts"
import { startAlipayStandIn, type AlipayStandIn } from "./standIn.ts"

const APP_ID = "2021000000000001"
const app = generateKeyPairSync("rsa", { modulusLength: 2048 })
const appPrivatePem = app.privateKey.export({ type: "pkcs8", format: "pem" }).toString()
const appPublicPem = app.publicKey.export({ type: "spki", format: "pem" }).toString()

describe("RSA2 signing string and signatures", () => {
  it("sorts by name, drops empty values and the excluded keys, joins raw k=v with &", () => {
    expect(signingString({ b: "2", a: "1", sign: "x", sign_type: "RSA2", c: "", d: "中 文&=" }, ["sign"])).toBe("a=1&b=2&d=中 文&=&sign_type=RSA2")
    expect(signingString({ b: "2", sign: "x", sign_type: "RSA2" }, ["sign", "sign_type"])).toBe("b=2")
  })

  const key = privateKeyOf(appPrivatePem)
  const pub = publicKeyOf(appPublicPem)
  test.prop([fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ minLength: 1, maxLength: 20 }), { minKeys: 1, maxKeys: 6 }), fc.nat()], { numRuns: 40 })(
    "a signature verifies, and any change of a signed value breaks it",
    (params, pick) => {
      const content = signingString(params, REQUEST_EXCLUDES)
      const sig = rsa2Sign(content, key)
      expect(rsa2Verify(content, sig, pub)).toBe(true)
      const names = Object.keys(params).filter((k) => k !== "sign")
      if (names.length === 0) return
      const name = names[pick % names.length]!
      const changed = signingString({ ...params, [name]: `${params[name]}x` }, REQUEST_EXCLUDES)
      expect(rsa2Verify(changed, sig, pub)).toBe(false)
    },
  )

  it("bare base64 keys (as Alipay's key tool prints them) work like PEM", () => {
    const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")
    const sig = rsa2Sign("a=1", privateKeyOf(bare(appPrivatePem)))
    expect(rsa2Verify("a=1", sig, publicKeyOf(bare(appPublicPem)))).toBe(true)
    const pkcs1 = app.privateKey.export({ type: "pkcs1", format: "pem" }).toString()
    expect(rsa2Verify("a=1", rsa2Sign("a=1", privateKeyOf(bare(pkcs1))), publicKeyOf(appPublicPem))).toBe(true)
  })

  it("cuts the signed response object out verbatim", () => {
    const body = `{"alipay_trade_query_response":{"code":"10000","msg":"a \\"}\\" b","nested":{"x":1}},"sign":"abc"}`
    expect(signedJsonOf(body, "alipay_trade_query_response")).toBe(`{"code":"10000","msg":"a \\"}\\" b","nested":{"x":1}}`)
    expect(signedJsonOf(`{"sign":"x"}`, "alipay_trade_query_response")).toBeNull()
  })
})

// The merchant's notify endpoint: answers "success" and keeps what arrived.
const received: Array<Record<string, string>> = []
const merchant = createServer((req, res) => {
  const chunks: Array<Buffer> = []
  req.on("data", (c: Buffer) => chunks.push(c))
  req.on("end", () => {
    received.push(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))))
    res.end("success")
  })
})
let standIn: AlipayStandIn
let notifyUrl = ""
let gateway: PaymentGateway["Service"]

beforeAll(async () => {
  standIn = await startAlipayStandIn({ appId: APP_ID, appPublicKey: appPublicPem })
  await new Promise<void>((resolve) => merchant.listen(0, "127.0.0.1", resolve))
  notifyUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/payments/notify/alipay`
  gateway = makeAlipayGateway({ appId: APP_ID, gatewayUrl: standIn.gatewayUrl, appPrivateKey: appPrivatePem, alipayPublicKey: standIn.alipayPublicKeyPem, timeoutMs: 3_000 })
})
afterAll(async () => {
  await standIn.close()
  await new Promise<void>((resolve) => merchant.close(() => resolve()))
})

const layer = Layer.mergeAll(
  layerOrderRepository,
  layerDefaultCatalogue,
  Layer.effect(PaymentGateway, Effect.sync(() => gateway)),
).pipe(Layer.provideMerge(layerTestNoEvidence))

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: (a) => (typeof a === "string" ? a : a === null ? "null" : "success") })
const stored = (id: OrderId) => OrderRepository.use((r) => Effect.map(r.find(id), Option.getOrThrow))
const pays = (id: OrderId) => OrderRepository.use((r) => Effect.map(r.history(id), (h) => h.filter((e) => e.event === "Pay").length))

/** An unpaid express-free order, sent to the stand-in's cashier page (which checks our RSA2 request signature). */
const orderAtCashier = Effect.gen(function*() {
  yield* TestClock.setTime(TEST_EPOCH)
  const u = aUser()
  yield* (yield* UserRepository).insert(u)
  // A reissue (补办) names a certificate the platform made for the same holder (issue 18): one on record first.
  const reissue = anApplication({ business: "reissue", applicant: "personal" })
  const earlier = yield* createOrder(u.id, { application: anApplication({ applicant: "personal" }), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
  const repo = yield* OrderRepository
  yield* repo.update(new Order({ ...earlier, state: { ...earlier.state, status: "certificate_made", certificateSerial: reissue.lostCertificateSerial! }, version: earlier.version + 1 }))
  const order = yield* createOrder(u.id, { application: reissue, delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
  const { redirectUrl } = yield* startPayment(u.id, order.id, { returnUrl: "http://shop.test/orders/return", notifyUrl })
  const res = yield* Effect.promise(() => fetch(redirectUrl))
  const page = yield* Effect.promise(() => res.text())
  return { user: u, order, redirectUrl, status: res.status, page }
})

describe("Alipay page pay against the local stand-in (O6)", () => {
  it.layer(layer, { timeout: 30_000 })((it) => {
    it.effect("page.pay request is signed so the gateway accepts it; a tampered amount in the URL is refused", () =>
      Effect.gen(function*() {
        const { order, redirectUrl, status, page } = yield* orderAtCashier
        expect(status).toBe(200)
        // main-2y 540 元 + reissue service fee 50 元, self-pickup
        expect(page).toContain(`￥590.00`)
        const url = new URL(redirectUrl)
        expect(url.searchParams.get("sign_type")).toBe("RSA2")
        expect(JSON.parse(url.searchParams.get("biz_content")!)).toMatchObject({ out_trade_no: order.id, total_amount: "590.00", product_code: "FAST_INSTANT_TRADE_PAY" })
        url.searchParams.set("biz_content", url.searchParams.get("biz_content")!.replace("590.00", "0.01"))
        const tampered = yield* Effect.promise(() => fetch(url))
        expect(tampered.status).toBe(400)
        expect(yield* Effect.promise(() => tampered.text())).toContain("invalid-signature")
      }))

    it.effect("a verified notification pays once; a second delivery changes nothing", () =>
      Effect.gen(function*() {
        const { order } = yield* orderAtCashier
        received.length = 0
        yield* Effect.promise(() => standIn.pay(order.id))
        expect(received.length).toBe(1)
        const note = received[0]!
        expect(note.total_amount).toBe("590.00")
        expect((yield* stored(order.id)).state.status).toBe("pending_payment")
        expect(yield* handlePaymentNotification(note)).toBe("paid")
        expect(yield* handlePaymentNotification(note)).toBe("already-paid")
        const after = yield* stored(order.id)
        expect([after.state.status, after.state.payment?.amountFen, after.state.payment?.tradeNo]).toEqual(["in_review", 59_000, note.trade_no])
        expect(yield* pays(order.id)).toBe(1)
      }))

    it.effect("forged or foreign notifications are rejected; a validly signed other amount does not pay", () =>
      Effect.gen(function*() {
        const { order } = yield* orderAtCashier
        const genuine = yield* Effect.promise(() => standIn.pay(order.id, false))
        const strip = ({ sign: _s, ...rest }: Record<string, string>) => rest
        expect(yield* outcome(handlePaymentNotification({ ...genuine, total_amount: "0.01" }))).toBe("PaymentNotificationRejected")
        expect(yield* outcome(handlePaymentNotification({ ...genuine, out_trade_no: "1999999999999999999" }))).toBe("PaymentNotificationRejected")
        expect(yield* outcome(handlePaymentNotification({ ...genuine, sign_type: "RSA" }))).toBe("PaymentNotificationRejected")
        // Signed by someone else's key (e.g. the merchant's own, or an attacker's).
        const forged = { ...strip(genuine), sign: rsa2Sign(signingString(strip(genuine), ["sign", "sign_type"]), privateKeyOf(appPrivatePem)) }
        expect(yield* outcome(handlePaymentNotification(forged))).toBe("PaymentNotificationRejected")
        // Genuinely from Alipay, but for another merchant app.
        expect(yield* outcome(handlePaymentNotification(standIn.signNotification({ ...strip(genuine), app_id: "2021999999999999" })))).toBe("PaymentNotificationRejected")
        expect(yield* outcome(handlePaymentNotification(standIn.signNotification({ ...strip(genuine), total_amount: "5.90" })))).toBe("PaymentAmountMismatch")
        expect(yield* outcome(handlePaymentNotification(standIn.signNotification({ ...strip(genuine), total_amount: "590" })))).toBe("paid")
      }))

    it.effect("WAIT_BUYER_PAY does not pay; TRADE_FINISHED does; a replay of another order's notification does not pay this one", () =>
      Effect.gen(function*() {
        const { order } = yield* orderAtCashier
        const genuine = yield* Effect.promise(() => standIn.pay(order.id, false))
        const { sign: _s, ...fields } = genuine
        expect(yield* handlePaymentNotification(standIn.signNotification({ ...fields, trade_status: "WAIT_BUYER_PAY" }))).toBe("not-paid")
        expect((yield* stored(order.id)).state.payment).toBeNull()
        expect(yield* handlePaymentNotification(standIn.signNotification({ ...fields, trade_status: "TRADE_FINISHED" }))).toBe("paid")
        const other = yield* orderAtCashier
        expect(yield* handlePaymentNotification(genuine)).toBe("already-paid")
        expect((yield* stored(other.order.id)).state.status).toBe("pending_payment")
        expect(yield* pays(order.id)).toBe(1)
      }))

    it.effect("alipay.trade.query: unpaid stays unpaid; a lost notification is recovered; unknown trades are none; bad response signatures fail", () =>
      Effect.gen(function*() {
        const { user, order } = yield* orderAtCashier
        expect(yield* refreshPaymentStatus(user.id, order.id)).toBe("not-paid")
        expect(yield* outcome(gateway.queryPayment("1999999999999999999"))).toBe("null")
        yield* Effect.promise(() => standIn.pay(order.id, false))
        standIn.corruptResponses = true
        expect(yield* outcome(refreshPaymentStatus(user.id, order.id))).toBe("PaymentGatewayFailed")
        standIn.corruptResponses = false
        expect((yield* stored(order.id)).state.status).toBe("pending_payment")
        expect(yield* refreshPaymentStatus(user.id, order.id)).toBe("paid")
        expect((yield* stored(order.id)).state.payment?.amountFen).toBe(59_000)
      }))

    it.effect("an unreachable gateway is a PaymentGatewayFailed, not a defect", () =>
      Effect.gen(function*() {
        const down = makeAlipayGateway({ appId: APP_ID, gatewayUrl: "http://127.0.0.1:9/gateway.do", appPrivateKey: appPrivatePem, alipayPublicKey: standIn.alipayPublicKeyPem, timeoutMs: 1_000 })
        expect(yield* outcome(down.queryPayment("1"))).toBe("PaymentGatewayFailed")
      }))
  })
})

describe("Alipay refunds against the local stand-in (issue 18)", () => {
  const reviewer = "1300000000000000006" as StaffId
  /** An order paid at the stand-in (its verified notification handled), then rejected by staff: refundable. */
  const paidOrder = Effect.gen(function*() {
    const at = yield* orderAtCashier
    const note = yield* Effect.promise(() => standIn.pay(at.order.id, false))
    expect(yield* handlePaymentNotification(note)).toBe("paid")
    yield* rejectOrder(reviewer, at.order.id, ["材料不全"])
    return { ...at, tradeNo: note.trade_no! }
  })
  const refundsAtAlipay = (id: string) => [...standIn.refunds.values()].filter((r) => r.outTradeNo === id).map((r) => r.refundAmount)

  it.layer(layer, { timeout: 30_000 })((it) => {
    it.effect("a full refund is asked with our refund number, confirmed by the refund query, and the order is 已退款", () =>
      Effect.gen(function*() {
        const { order } = yield* paidOrder
        expect(yield* refundOrder(reviewer, order.id, { amountFen: null, reason: "无法制证" })).toBe("refunded")
        expect((yield* stored(order.id)).state).toMatchObject({ status: "refunded", refunds: [{ refundNo: `${order.id}R1`, amountFen: 59_000, status: "refunded" }] })
        expect(refundsAtAlipay(order.id)).toEqual(["590.00"])
        expect(yield* gateway.queryRefund(order.id, `${order.id}R1`)).toEqual({ outTradeNo: order.id, refundNo: `${order.id}R1`, amountFen: 59_000, status: "refunded" })
        expect(yield* gateway.queryRefund(order.id, "never-used")).toBeNull()
      }))

    it.effect("partial, and idempotent by refund number: the same number again refunds nothing more; another amount under it is refused", () =>
      Effect.gen(function*() {
        const { order, tradeNo } = yield* paidOrder
        expect(yield* refundOrder(reviewer, order.id, { amountFen: 9_000, reason: "部分退款" })).toBe("refunded")
        const ask = (refundNo: string, amountFen: number) => gateway.refund({ outTradeNo: order.id, tradeNo, refundNo, amountFen, reason: "x" })
        expect(yield* ask(`${order.id}R1`, 9_000)).toMatchObject({ amountFen: 9_000, status: "refunded" })
        expect(yield* outcome(ask(`${order.id}R1`, 10_000))).toBe("PaymentRefundRefused")
        expect(yield* outcome(ask(`${order.id}R2`, 50_001))).toBe("PaymentRefundRefused")
        expect(refundsAtAlipay(order.id)).toEqual(["90.00"])
        expect((yield* stored(order.id)).state.status).toBe("refunded")
      }))

    for (const tamper of ["forge", "reamount", "reamount-signed"] as const) {
      it.effect(`a ${tamper === "forge" ? "forged (bad signature)" : tamper === "reamount" ? "re-amounted (edited, signature kept)" : "validly signed re-amounted"} answer settles nothing; the retry under the same number refunds once`, () =>
        Effect.gen(function*() {
          const { order } = yield* paidOrder
          standIn.tamper = tamper
          const first = yield* refundOrder(reviewer, order.id, { amountFen: null, reason: "无法制证" }).pipe(Effect.ensuring(Effect.sync(() => { standIn.tamper = null })))
          expect(first).toBe("pending")
          expect((yield* stored(order.id)).state).toMatchObject({ status: "refunding", refunds: [{ status: "pending" }] })
          expect((yield* staffQueue("refunds")).map((o) => o.id)).toContain(order.id)
          expect(yield* retryRefunds(reviewer, order.id)).toBe("refunded")
          expect((yield* stored(order.id)).state).toMatchObject({ status: "refunded", refunds: [{ refundNo: `${order.id}R1`, status: "refunded" }] })
          expect(refundsAtAlipay(order.id)).toEqual(["590.00"])
        }))
    }

    it.effect("Alipay's refund notification settles a refund whose answer was lost, by asking again; a forged one is rejected and settles nothing", () =>
      Effect.gen(function*() {
        const { order } = yield* paidOrder
        standIn.tamper = "forge"
        const first = yield* refundOrder(reviewer, order.id, { amountFen: 20_000, reason: "部分退款" }).pipe(Effect.ensuring(Effect.sync(() => { standIn.tamper = null })))
        expect(first).toBe("pending")
        const note = standIn.refundNotification(order.id, `${order.id}R1`)
        expect([note.out_biz_no, note.refund_fee, note.trade_status]).toEqual([`${order.id}R1`, "200.00", "TRADE_SUCCESS"])
        const { sign: _s, ...fields } = note
        const forged = { ...fields, sign: rsa2Sign(signingString(fields, ["sign", "sign_type"]), privateKeyOf(appPrivatePem)) }
        expect(yield* outcome(handlePaymentNotification(forged))).toBe("PaymentNotificationRejected")
        expect((yield* stored(order.id)).state.status).toBe("refunding")
        expect(yield* handlePaymentNotification(note)).toBe("already-paid")
        expect((yield* stored(order.id)).state).toMatchObject({ status: "refunded", refunds: [{ refundNo: `${order.id}R1`, amountFen: 20_000, status: "refunded" }] })
        expect(refundsAtAlipay(order.id)).toEqual(["200.00"])
        // Delivered again: nothing more happens.
        expect(yield* handlePaymentNotification(note)).toBe("already-paid")
        expect(refundsAtAlipay(order.id)).toEqual(["200.00"])
      }))

    it.effect("a replayed answer (another refund's signed response) settles nothing", () =>
      Effect.gen(function*() {
        const earlier = yield* paidOrder
        expect(yield* refundOrder(reviewer, earlier.order.id, { amountFen: 100, reason: "早先的退款" })).toBe("refunded")
        const { order } = yield* paidOrder
        standIn.tamper = "replay"
        const first = yield* refundOrder(reviewer, order.id, { amountFen: null, reason: "无法制证" }).pipe(Effect.ensuring(Effect.sync(() => { standIn.tamper = null })))
        expect(first).toBe("pending")
        expect((yield* stored(order.id)).state.status).toBe("refunding")
        expect(yield* retryRefunds(reviewer, order.id)).toBe("refunded")
        expect(refundsAtAlipay(order.id)).toEqual(["590.00"])
      }))

    it.effect("Alipay refuses (balance short): the refund fails and waits in 待退款; a late payment for a cancelled order is refunded by itself", () =>
      Effect.gen(function*() {
        const { order } = yield* paidOrder
        standIn.refuseRefunds = true
        const r = yield* refundOrder(reviewer, order.id, { amountFen: null, reason: "无法制证" }).pipe(Effect.ensuring(Effect.sync(() => { standIn.refuseRefunds = false })))
        expect(r).toBe("refused")
        expect((yield* stored(order.id)).state).toMatchObject({ status: "refunding", refunds: [{ status: "failed", failure: "ACQ.SELLER_BALANCE_NOT_ENOUGH" }] })

        const late = yield* orderAtCashier
        yield* cancelOrder(late.user.id, late.order.id)
        received.length = 0
        yield* Effect.promise(() => standIn.pay(late.order.id))
        expect(yield* handlePaymentNotification(received[0]!)).toBe("late-refunded")
        expect((yield* stored(late.order.id)).state).toMatchObject({ status: "cancelled", payment: null, refunds: [{ amountFen: 59_000, status: "refunded" }] })
        expect(refundsAtAlipay(late.order.id)).toEqual(["590.00"])
      }))
  })
})
