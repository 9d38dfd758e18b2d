import { describe, expect } from "vitest"
import { Effect, Layer } from "effect"
import { itOnSqliteAndPostgres } from "../../fixtures/bothDatabases.ts"
import { Database } from "./Database.ts"
import { migrated } from "./migrations/index.ts"
import { sqlMockTradeStore } from "./mockPayments.ts"

const trade = (no: string) => ({
  outTradeNo: no, amountFen: 30_000, subject: "电子签章", returnUrl: "http://shop.test/r", notifyUrl: "http://shop.test/n",
  status: "pending" as const, tradeNo: null, method: null, bank: null, refundedFen: 0,
})

describe("the mock provider's books in the database (issue 18)", () => {
  itOnSqliteAndPostgres("mock-payments", (database) =>
    Effect.runPromise(Effect.gen(function*() {
      const { db } = yield* Database
      const store = sqlMockTradeStore(db)
      yield* Effect.promise(async () => {
        await store.open(trade("1000000000000000001"))
        expect(await store.addRefund({ outTradeNo: "1000000000000000001", refundNo: "R1", amountFen: 1 })).toBe(false) // not paid
        const paid = await store.markPaid("1000000000000000001", "MOCK1", "cfca", "招商银行")
        expect(paid).toMatchObject({ status: "paid", tradeNo: "MOCK1", method: "cfca", bank: "招商银行", amountFen: 30_000 })
        // Paying again keeps the first trade number; opening it again leaves it paid.
        expect((await store.markPaid("1000000000000000001", "MOCK2", "alipay", null))?.tradeNo).toBe("MOCK1")
        expect((await store.open(trade("1000000000000000001"))).status).toBe("paid")
        // Racing refunds: one number counts once; different numbers never exceed the trade.
        const same = await Promise.all([1, 2, 3].map(() => store.addRefund({ outTradeNo: "1000000000000000001", refundNo: "R1", amountFen: 10_000 })))
        expect(same.filter((x) => x).length).toBe(1)
        const many = await Promise.all(["R2", "R3", "R4"].map((refundNo) => store.addRefund({ outTradeNo: "1000000000000000001", refundNo, amountFen: 10_000 })))
        expect(many.filter((x) => x).length).toBe(2)
        expect((await store.get("1000000000000000001"))?.refundedFen).toBe(30_000)
        expect(await store.findRefund("1000000000000000001", "R1")).toEqual({ outTradeNo: "1000000000000000001", refundNo: "R1", amountFen: 10_000 })
        const refused = many.findIndex((x) => !x)
        expect(await store.findRefund("1000000000000000001", ["R2", "R3", "R4"][refused]!)).toBeUndefined()
      })
    }).pipe(Effect.provide(migrated(database as Layer.Layer<Database>)))))
})
