import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { layerOrderRepository } from "../../adapters/sql/orders.ts"
import { aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { testMockProvider } from "../../fixtures/orders/mockPay.ts"
import type { StaffId } from "../kernel/Ids.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { layerDefaultCatalogue } from "./Catalogue.ts"
import { seedDemoOrders } from "./demoOrders.ts"
import { listMyOrders } from "./listOrders.ts"
import { ORDER_TABS, type OrderTab } from "./Order.ts"

const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, testMockProvider().layer).pipe(Layer.provideMerge(layerTestNoEvidence))

describe("demo orders (dev profile)", () => {
  it.layer(layer)((it) => {
    it.effect("fills every tab of 我的订单 once; a second run adds nothing", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const u = aUser()
        yield* (yield* UserRepository).insert(u)
        const staff = "1300000000000000009" as StaffId
        const ids = yield* seedDemoOrders(u.id, staff)
        expect(ids.length).toBe(7)
        const counts: Record<string, number> = {}
        for (const tab of Object.keys(ORDER_TABS) as Array<OrderTab>) counts[tab] = (yield* listMyOrders(u.id, tab)).length
        expect(counts).toEqual({ unpaid: 1, in_review: 2, processing: 1, receiving: 1, completed: 2, closed: 0 })
        expect(yield* seedDemoOrders(u.id, staff)).toEqual([])
        expect((yield* listMyOrders(u.id, "completed")).length).toBe(2)
      }))
  })
})
