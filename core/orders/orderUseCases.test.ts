import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layerOrderRepository } from "../../adapters/sql/orders.ts"
import { anApplication, anInvoice, aUser, creditCode } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { payAtMock, testMockProvider } from "../../fixtures/orders/mockPay.ts"
import { addAddress } from "../accounts/addressBook.ts"
import type { StaffId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { SmsNotDelivered, SmsSender } from "../ports/SmsSender.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { Application } from "./Application.ts"
import { applyEvent } from "./applyEvent.ts"
import { layerDefaultCatalogue } from "./Catalogue.ts"
import { cancelOrder } from "./cancelOrder.ts"
import { createOrder, CreateOrderInput } from "./createOrder.ts"
import { confirmPickup, confirmReceipt, markCertificateMade, notifyPickup, shipOrder } from "./fulfilOrder.ts"
import { refundOrder } from "./refundOrder.ts"
import { Invoice } from "./Invoice.ts"
import { getMyOrder, listMyOrders, staffQueue } from "./listOrders.ts"
import type { Order } from "./Order.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import { resubmitOrder } from "./resubmitOrder.ts"
import { approveOrder, rejectOrder } from "./reviewOrder.ts"

const provider = testMockProvider()
const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, provider.layer).pipe(Layer.provideMerge(layerTestNoEvidence))
const reviewer = "1300000000000000001" as StaffId

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const newBuyer = Effect.gen(function*() {
  const u = aUser()
  yield* (yield* UserRepository).insert(u)
  const address = yield* addAddress(u.id, { recipient: "李四", mobile: "13800138000" as Mobile, region: "江苏省 南京市", detail: "江东中路 100 号", isDefault: true })
  return { user: u, address }
})

/** The buyer's payment, as the payment use case will apply it once a provider confirmed it. */
const pay = (o: Order, amountFen = o.price.payableFen) =>
  applyEvent(o, { _tag: "Pay", tradeNo: `T${o.id}`, amountFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })

describe("order use cases (O5-O9) on SQLite", () => {
  it.layer(layer)((it) => {
    it.effect("the server prices the order; a price in the posted form is dropped", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user, address } = yield* newBuyer
        // A reissue names a certificate the platform made for the same holder.
        const earlier = yield* createOrder(user.id, { application: anApplication(), delivery: { _tag: "express", addressId: address.id }, invoice: anInvoice() })
        yield* pay(earlier)
        yield* approveOrder(reviewer, earlier.id)
        yield* markCertificateMade(reviewer, earlier.id, anApplication({ business: "reissue" }).lostCertificateSerial!)
        const posted = {
          application: { ...anApplication({ business: "reissue" }), priceFen: 1 },
          delivery: { _tag: "express", addressId: address.id, feeFen: 0 },
          invoice: anInvoice(),
          price: { payableFen: 1 },
          payableFen: 1,
        }
        const input = yield* Schema.decodeUnknownEffect(CreateOrderInput)(posted)
        const order = yield* createOrder(user.id, input)
        // main-2y 540 元 + express 15 元 + reissue service 50 元
        expect(order.price).toMatchObject({ goodsFen: 54_000, deliveryFeeFen: 1_500, serviceFeeFen: 5_000, payableFen: 60_500 })
        expect(order.state.payableFen).toBe(60_500)
        expect(order.delivery).toMatchObject({ _tag: "express", recipient: "李四", detail: "江东中路 100 号" })
        const stored = Option.getOrThrow(yield* (yield* OrderRepository).find(order.id))
        expect(stored.price.payableFen).toBe(60_500)
        expect((yield* listMyOrders(user.id, "unpaid")).map((o) => o.id)).toEqual([order.id])
      }))

    it.effect("express to another user's address, an unknown package or pickup point: refused, nothing created", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const a = yield* newBuyer
        const b = yield* newBuyer
        const base = { application: anApplication(), invoice: anInvoice() }
        expect(yield* outcome(createOrder(b.user.id, { ...base, delivery: { _tag: "express", addressId: a.address.id } }))).toBe("NotFound")
        expect(yield* outcome(createOrder(b.user.id, { ...base, delivery: { _tag: "pickup", pointId: "nowhere" } }))).toBe("UnknownPickupPoint")
        const odd = { ...base, application: { ...base.application, packageId: "gold-9y" }, delivery: { _tag: "pickup" as const, pointId: "nj-hq" } }
        expect(yield* outcome(createOrder(b.user.id, odd))).toBe("UnknownPackage")
        expect(yield* listMyOrders(b.user.id, "unpaid")).toEqual([])
      }))

    it.effect("full life cycle: pay, reject with reasons, edit and resubmit, approve, make, ship, receive", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user, address } = yield* newBuyer
        const created = yield* createOrder(user.id, { application: anApplication(), delivery: { _tag: "express", addressId: address.id }, invoice: anInvoice() })
        yield* pay(created)
        expect((yield* staffQueue("review")).map((o) => o.id)).toContain(created.id)
        const rejected = yield* rejectOrder(reviewer, created.id, ["授权委托书未加盖公章", ""])
        expect([rejected.state.status, rejected.state.rejectReasons]).toEqual(["rejected", ["授权委托书未加盖公章"]])
        expect((yield* listMyOrders(user.id, "in_review")).map((o) => o.state.status)).toEqual(["rejected"])
        const { business, applicant, packageId, quantity, ...details } = anApplication()
        void business, applicant, packageId, quantity
        const fixed = { ...details, materials: { ...details.materials, authorizationLetter: "1000000000000000099" } }
        const resubmitted = yield* resubmitOrder(user.id, created.id, fixed)
        expect([resubmitted.state.status, resubmitted.application.materials.authorizationLetter]).toEqual(["in_review", "1000000000000000099"])
        yield* approveOrder(reviewer, created.id)
        yield* markCertificateMade(reviewer, created.id, "7F3A")
        expect(yield* outcome(notifyPickup(reviewer, created.id))).toBe("WrongDeliveryMethod")
        yield* shipOrder(reviewer, created.id, { carrier: "顺丰速运", trackingNo: "SF1234567890" })
        const done = yield* confirmReceipt(user.id, created.id)
        expect(done.state).toMatchObject({ status: "completed", certificateSerial: "7f3a", shipment: { trackingNo: "SF1234567890" }, reviewRounds: 2 })
        expect(done.state.payment?.amountFen).toBe(created.price.payableFen)
        const { history } = yield* getMyOrder(user.id, created.id)
        expect(history.map((h) => h.event)).toEqual(["Create", "Pay", "Reject", "Resubmit", "Approve", "CertificateMade", "Ship", "ConfirmReceipt"])
        expect(history.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
        expect(history[2]?.detail).toEqual({ reasons: "授权委托书未加盖公章" })
        // O10: the agent got a text for every change, in order.
        const texts = (yield* (yield* SmsOutbox).recent(200, created.application.agent.mobile))
          .filter((m) => m.text.includes(created.id)).map((m) => m.text).reverse()
        expect(texts.map((t) => t.replace(/^【Signet】您的订单 \d{19} /, ""))).toEqual([
          "已提交，应付 555.00 元，请尽快支付。",
          "已支付 555.00 元，正在审核中。",
          "审核不通过：授权委托书未加盖公章。请登录个人中心修改订单后重新提交。",
          "已重新提交，正在审核中。",
          "已审核通过，正在为您制作数字证书 USB-Key。",
          "已发货：顺丰速运 运单号 SF1234567890。",
          "已完成，感谢您的使用。",
        ])
      }))

    it.effect("a text message that cannot be sent does not undo or fail the change", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user } = yield* newBuyer
        const o = yield* createOrder(user.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        const down = { send: () => Effect.fail(new SmsNotDelivered({ reason: "gateway down" })) }
        const cancelled = yield* cancelOrder(user.id, o.id).pipe(Effect.provideService(SmsSender, down))
        expect(cancelled.state.status).toBe("cancelled")
        expect(Option.getOrThrow(yield* (yield* OrderRepository).find(o.id)).state.status).toBe("cancelled")
      }))

    it.effect("self-pickup: notice then handover; refund only for approved or rejected orders", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user } = yield* newBuyer
        const mk = () => createOrder(user.id, { application: anApplication({ applicant: "personal" }), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        const o = yield* mk()
        expect(o.price.deliveryFeeFen).toBe(0)
        yield* pay(o)
        expect(yield* outcome(refundOrder(reviewer, o.id, { amountFen: null, reason: "无法制作" }))).toBe("OrderTransitionRefused")
        yield* approveOrder(reviewer, o.id)
        yield* markCertificateMade(reviewer, o.id, "01")
        expect(yield* outcome(shipOrder(reviewer, o.id, { carrier: "EMS", trackingNo: "EMS000111" }))).toBe("WrongDeliveryMethod")
        yield* notifyPickup(reviewer, o.id)
        const [notice] = yield* (yield* SmsOutbox).recent(1, o.application.agent.mobile)
        expect(notice?.text).toBe(`【Signet】您的订单 ${o.id} 的 USB-Key 已制作完成，请到南京总部服务大厅自提（江苏省南京市建邺区江东中路 1 号，电话 025-80000000，周一至周五 9:00-17:00）。`)
        expect((yield* confirmPickup(reviewer, o.id)).state.status).toBe("completed")
        const r = yield* mk()
        expect(yield* payAtMock(provider, r)).toBe("paid")
        yield* rejectOrder(reviewer, r.id, ["身份证已过期"])
        expect(yield* outcome(refundOrder(reviewer, r.id, { amountFen: null, reason: "  " }))).toBe("ReasonRequired")
        expect(yield* refundOrder(reviewer, r.id, { amountFen: null, reason: "用户放弃补正材料" })).toBe("refunded")
        expect(Option.getOrThrow(yield* (yield* OrderRepository).find(r.id)).state).toMatchObject({ status: "refunded", refundReason: "用户放弃补正材料" })
      }))

    it.effect("cancel: own unpaid orders only; another user's order is not found and stays as it was", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const a = yield* newBuyer
        const b = yield* newBuyer
        const o = yield* createOrder(a.user.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        expect(yield* outcome(cancelOrder(b.user.id, o.id))).toBe("NotFound")
        expect(yield* outcome(getMyOrder(b.user.id, o.id))).toBe("NotFound")
        expect(yield* outcome(resubmitOrder(b.user.id, o.id, anApplication()))).toBe("NotFound")
        expect(Option.getOrThrow(yield* (yield* OrderRepository).find(o.id)).state.status).toBe("pending_payment")
        expect((yield* cancelOrder(a.user.id, o.id)).state.status).toBe("cancelled")
        const p = yield* createOrder(a.user.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        yield* pay(p)
        expect(yield* outcome(cancelOrder(a.user.id, p.id))).toBe("OrderTransitionRefused")
      }))

    it.effect("two writers on the same version: one wins; the other is judged again on the winner's order and writes nothing", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user } = yield* newBuyer
        const o = yield* createOrder(user.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        const paid = yield* pay(o)
        // The stale writer's version check fails; decided again on the paid order, the machine refuses the cancellation.
        expect(yield* outcome(applyEvent(o, { _tag: "Cancel" }, { kind: "user", id: user.id }))).toBe("OrderTransitionRefused")
        const stored = Option.getOrThrow(yield* (yield* OrderRepository).find(o.id))
        expect([stored.state.status, stored.version]).toEqual([paid.state.status, 2])
        expect((yield* (yield* OrderRepository).history(o.id)).length).toBe(2)
      }))

    it.effect("a resubmission that breaks the application's rules is refused and changes nothing", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user } = yield* newBuyer
        const o = yield* createOrder(user.id, { application: anApplication({ applicant: "personal" }), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
        yield* pay(o)
        yield* rejectOrder(reviewer, o.id, ["照片不清晰"])
        const enterpriseDetails = anApplication({ applicant: "enterprise" })
        expect(yield* outcome(resubmitOrder(user.id, o.id, enterpriseDetails))).toBe("InvalidApplication")
        expect(Option.getOrThrow(yield* (yield* OrderRepository).find(o.id)).state.status).toBe("rejected")
        // Extra keys cannot change what was paid for.
        const sneaky = { ...anApplication({ applicant: "personal" }), packageId: "main-5y", quantity: 9 }
        const after = yield* resubmitOrder(user.id, o.id, sneaky)
        expect([after.application.packageId, after.application.quantity, after.price.payableFen]).toEqual([o.application.packageId, 1, o.price.payableFen])
      }))
  })
})

describe("application and invoice rules (O3-O5)", () => {
  const decode = <S extends Schema.Decoder<unknown>>(s: S) => (x: unknown) => Result.isSuccess(Schema.decodeUnknownResult(s)(x))
  it("an application is coherent with its kind", () => {
    const ok = anApplication({ business: "reissue", applicant: "personal" })
    expect(decode(Application)(ok)).toBe(true)
    expect(decode(Application)({ ...ok, lostCertificateSerial: null })).toBe(false)
    expect(decode(Application)({ ...ok, materials: { ...ok.materials, licence: "1000000000000000001" } })).toBe(false)
    expect(decode(Application)({ ...ok, userType: "政府机关" })).toBe(false)
    expect(decode(Application)({ ...ok, quantity: 2 })).toBe(false)
    const ent = anApplication({ applicant: "enterprise" })
    expect(decode(Application)({ ...ent, enterprise: null })).toBe(false)
    expect(decode(Application)({ ...ent, enterprise: { name: "某公司", creditCode: creditCode().slice(0, 17) + "0" } })).toBe(creditCode().endsWith("0"))
    expect(decode(Application)({ ...ent, agent: { ...ent.agent, idNumber: "320106199002022340" } })).toBe(ent.agent.idNumber === "320106199002022340")
  })

  it("invoice taxpayer id: a credit code with its check character, or an old 15/17/20-character number; required for companies only", () => {
    const inv = anInvoice()
    expect(decode(Invoice)(inv)).toBe(true)
    const last = inv.taxpayerId!.at(-1)!
    expect(decode(Invoice)({ ...inv, taxpayerId: inv.taxpayerId!.slice(0, 17) + (last === "1" ? "2" : "1") })).toBe(false)
    expect(decode(Invoice)({ ...inv, taxpayerId: "320106123456789" })).toBe(true)
    expect(decode(Invoice)({ ...inv, taxpayerId: "32010612345678" })).toBe(false)
    expect(decode(Invoice)({ ...inv, taxpayerId: null })).toBe(false)
    expect(decode(Invoice)({ kind: "personal", title: "王五", taxpayerId: null, email: "w@example.cn" })).toBe(true)
    expect(decode(Invoice)({ kind: "personal", title: "王五", taxpayerId: inv.taxpayerId, email: "w@example.cn" })).toBe(false)
  })
})
