import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layerEvidenceStore } from "../../adapters/sql/evidence.ts"
import { layerTreeStore } from "../../adapters/sql/evidenceTree.ts"
import { layerOrderRepository } from "../../adapters/sql/orders.ts"
import { MailOutbox } from "../../adapters/mail-outbox/index.ts"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTest, TEST_EPOCH } from "../../fixtures/layers.ts"
import { EvidenceRecorder } from "../evidence/EvidenceRecorder.ts"
import { EventBody } from "../evidence/Event.ts"
import type { StaffId } from "../kernel/Ids.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { applyEvent } from "./applyEvent.ts"
import { cancelOrder } from "./cancelOrder.ts"
import { layerDefaultCatalogue } from "./Catalogue.ts"
import { createOrder } from "./createOrder.ts"
import { confirmPickup, markCertificateMade, notifyPickup } from "./fulfilOrder.ts"
import { refundOrder } from "./refundOrder.ts"
import { payAtMock, testMockProvider } from "../../fixtures/orders/mockPay.ts"
import { recordPayment } from "./payOrder.ts"
import { resubmitOrder } from "./resubmitOrder.ts"
import { approveOrder, rejectOrder } from "./reviewOrder.ts"

const provider = testMockProvider()
const layer = EvidenceRecorder.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(layerEvidenceStore, layerTreeStore, layerOrderRepository, layerDefaultCatalogue, provider.layer)),
  Layer.provideMerge(layerTest),
)
const reviewer = "1300000000000000007" as StaffId

const chain = (orderId: string) =>
  Effect.gen(function*() {
    const store = yield* EvidenceStore
    const events = yield* store.eventsOf(`order:${orderId}`)
    const openings = yield* store.openingsOf(events.map((e) => e.id))
    return events.map((e) => ({
      type: e.type,
      body: Schema.decodeUnknownSync(EventBody)(JSON.parse(e.body)),
      actor: openings.find((o) => o.eventId === e.id && o.field === "actor")?.value,
    }))
  })

const newOrder = Effect.gen(function*() {
  yield* TestClock.setTime(TEST_EPOCH)
  const u = aUser()
  yield* (yield* UserRepository).insert(u)
  const order = yield* createOrder(u.id, { application: anApplication({ applicant: "personal" }), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
  return { user: u, order }
})

const paid = (o: { id: string; price: { payableFen: number } }) =>
  recordPayment("mock", { outTradeNo: o.id, tradeNo: `T${o.id}`, amountFen: o.price.payableFen, status: "paid" })

describe("every order change is an evidence event in its own transaction (B1, X4)", () => {
  it.layer(layer)((it) => {
    it.effect("a whole life: one chain per order, staff decisions carry the staff member, buyer acts the buyer, no personal data in the open", () =>
      Effect.gen(function*() {
        const { user, order } = yield* newOrder
        yield* paid(order)
        yield* rejectOrder(reviewer, order.id, ["身份证照片不清晰", "授权书未盖章"])
        const { business, applicant, packageId, quantity, ...details } = order.application
        void business, applicant, packageId, quantity
        yield* resubmitOrder(user.id, order.id, details)
        yield* approveOrder(reviewer, order.id)
        yield* markCertificateMade(reviewer, order.id, "0a1b")
        yield* notifyPickup(reviewer, order.id)
        yield* confirmPickup(reviewer, order.id)
        const events = yield* chain(order.id)
        expect(events.map((e) => e.type)).toEqual([
          "order.created", "order.paid", "order.reviewed", "order.resubmitted", "order.reviewed", "order.key_made", "order.pickup_notified", "order.picked_up",
        ])
        expect(events.map((e) => e.body.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
        expect(events.map((e) => [e.body.role, e.actor])).toEqual([
          ["user", user.id], ["payment", "mock"], ["staff", reviewer], ["user", user.id], ["staff", reviewer], ["staff", reviewer], ["staff", reviewer], ["staff", reviewer],
        ])
        expect(events[2]!.body.data).toMatchObject({ decision: "rejected", reasons: 2, status: "rejected" })
        expect(events[4]!.body.data).toMatchObject({ decision: "approved", round: 2 })
        expect(events[1]!.body.data).toMatchObject({ tradeNo: `T${order.id}`, amountFen: order.price.payableFen })
        expect(events[5]!.body.data).toMatchObject({ serial: "0a1b" })
        const open = JSON.stringify(events.map((e) => e.body))
        for (const secret of [order.application.holder.name, order.application.holder.idNumber, order.application.agent.mobile, "身份证照片不清晰", user.id]) {
          expect(open).not.toContain(secret)
        }
      }))

    it.effect("cancel and refund are on the chain too; a change that lost the race leaves no event", () =>
      Effect.gen(function*() {
        const a = yield* newOrder
        yield* cancelOrder(a.user.id, a.order.id)
        const b = yield* newOrder
        yield* payAtMock(provider, b.order)
        // A second writer that read the unpaid version: judged again on the paid order, refused, and nothing recorded for it.
        expect(yield* Effect.match(applyEvent(b.order, { _tag: "Cancel" }, { kind: "user", id: b.user.id }), { onFailure: (e) => e._tag, onSuccess: () => "ok" }))
          .toBe("OrderTransitionRefused")
        yield* rejectOrder(reviewer, b.order.id, ["材料不全"])
        expect(yield* refundOrder(reviewer, b.order.id, { amountFen: 10_000, reason: "用户放弃" })).toBe("refunded")
        expect((yield* chain(a.order.id)).map((e) => e.type)).toEqual(["order.created", "order.cancelled"])
        expect((yield* chain(b.order.id)).map((e) => e.type)).toEqual(["order.created", "order.paid", "order.reviewed", "order.refund_requested", "order.refunded"])
        // The refund's numbers are on the chain; its free-text reason is not.
        const refunded = (yield* chain(b.order.id)).at(-1)!
        expect(JSON.stringify(refunded)).not.toContain("用户放弃")
        expect(JSON.stringify(refunded)).toContain(`${b.order.id}R1`)
      }))

    it.effect("O10: the agent gets an e-mail for every change that has a notice", () =>
      Effect.gen(function*() {
        const { order } = yield* newOrder
        yield* paid(order)
        yield* approveOrder(reviewer, order.id)
        const mails = (yield* (yield* MailOutbox).recent(50, order.application.agent.email)).filter((m) => m.subject.includes(order.id)).reverse()
        expect(mails.map((m) => m.subject.replace(`【Signet】订单 ${order.id}：`, ""))).toEqual(["订单已提交，待支付", "已支付，审核中", "审核通过，待处理"])
        expect(mails[1]!.text).toContain(`${order.application.agent.name}，您好`)
        expect(mails[1]!.text).toContain("已支付")
      }))
  })
})
