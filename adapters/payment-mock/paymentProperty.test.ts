import { afterAll, describe, expect, it } from "vitest"
import fc from "fast-check"
import { Effect, Layer, ManagedRuntime, Option } from "effect"
import { layerOrderRepository } from "../sql/orders.ts"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence } from "../../fixtures/layers.ts"
import { layerDefaultCatalogue } from "../../core/orders/Catalogue.ts"
import { createOrder } from "../../core/orders/createOrder.ts"
import { yuanString } from "../../core/orders/Money.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { handlePaymentNotification } from "../../core/orders/payOrder.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { makeMockProvider } from "./index.ts"

const provider = makeMockProvider({ secret: "property-secret", checkoutBaseUrl: "http://shop.test/pay", deliver: async () => undefined })
const runtime = ManagedRuntime.make(Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, provider.layer).pipe(Layer.provideMerge(layerTestNoEvidence)))
afterAll(() => runtime.dispose())

/** What arrives at the notify endpoint: genuine or not, in any order and number. */
type Delivery = "genuine" | "genuine-again" | "other-trade" | "wrong-amount" | "pending" | "forged" | "other-order"
const arbDeliveries = fc.array(fc.constantFrom<Delivery>("genuine", "genuine-again", "other-trade", "wrong-amount", "pending", "forged", "other-order"), { maxLength: 8 })

describe("payment notifications, any sequence (O6)", () => {
  it("an order is paid at most once, only by a genuine paid notification of its exact amount, and stays paid by the first", async () => {
    await fc.assert(
      fc.asyncProperty(arbDeliveries, async (deliveries) => {
        const program = Effect.gen(function*() {
          const u = aUser()
          yield* (yield* UserRepository).insert(u)
          const order = yield* createOrder(u.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
          const base = { out_trade_no: order.id, total_amount: yuanString(order.price.payableFen), trade_status: "TRADE_SUCCESS", notify_id: "n", notify_time: "t" }
          const signed = (p: Record<string, string>) => ({ ...p, sign: provider.sign(p) })
          const make: Record<Delivery, () => Record<string, string>> = {
            genuine: () => signed({ ...base, trade_no: `TA${order.id}` }),
            "genuine-again": () => signed({ ...base, trade_no: `TA${order.id}`, notify_id: "n2" }),
            "other-trade": () => signed({ ...base, trade_no: `TB${order.id}` }),
            "wrong-amount": () => signed({ ...base, trade_no: `TC${order.id}`, total_amount: yuanString(order.price.payableFen + 1) }),
            pending: () => signed({ ...base, trade_no: `TD${order.id}`, trade_status: "WAIT_BUYER_PAY" }),
            forged: () => ({ ...base, trade_no: `TE${order.id}`, sign: "ab".repeat(32) }),
            "other-order": () => signed({ ...base, trade_no: `TF${order.id}`, out_trade_no: "1999999999999999999" }),
          }
          for (const d of deliveries) yield* Effect.exit(handlePaymentNotification(make[d]()))
          const repo = yield* OrderRepository
          const stored = Option.getOrThrow(yield* repo.find(order.id))
          const pays = (yield* repo.history(order.id)).filter((h) => h.event === "Pay").length
          return { stored, pays, payable: order.price.payableFen, id: order.id }
        })
        const { stored, pays, payable, id } = await runtime.runPromise(program)
        const firstGood = deliveries.find((d) => d === "genuine" || d === "genuine-again" || d === "other-trade")
        expect(pays).toBe(firstGood === undefined ? 0 : 1)
        expect(stored.state.status).toBe(firstGood === undefined ? "pending_payment" : "in_review")
        if (firstGood !== undefined) {
          expect(stored.state.payment?.tradeNo).toBe(`${firstGood === "other-trade" ? "TB" : "TA"}${id}`)
          expect(stored.state.payment?.amountFen).toBe(payable)
        }
      }),
      { numRuns: 60 },
    )
  })

  it("one provider trade never pays two orders", async () => {
    const program = Effect.gen(function*() {
      const u = aUser()
      yield* (yield* UserRepository).insert(u)
      const mk = () => createOrder(u.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })
      const [a, b] = [yield* mk(), yield* mk()]
      const note = (id: string) => {
        const p = { out_trade_no: id, trade_no: `SHARED${a.id}`, total_amount: yuanString(a.price.payableFen), trade_status: "TRADE_SUCCESS" }
        return { ...p, sign: provider.sign(p) }
      }
      const first = yield* handlePaymentNotification(note(a.id))
      const second = yield* Effect.match(handlePaymentNotification(note(b.id)), { onFailure: (e) => e._tag, onSuccess: (x) => x })
      const stored = Option.getOrThrow(yield* (yield* OrderRepository).find(b.id))
      return { first, second, b: stored.state.status }
    })
    expect(await runtime.runPromise(program)).toEqual({ first: "paid", second: "PaymentTradeReused", b: "pending_payment" })
  })
})
