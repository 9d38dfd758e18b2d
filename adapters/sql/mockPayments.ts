import type { Kysely } from "kysely"
import type { MockMethod, MockRefund, MockTrade, MockTradeStore } from "../payment-mock/provider.ts"
import type { DB, MockPaymentTradesTable } from "./schema.ts"

const toTrade = (r: MockPaymentTradesTable): MockTrade => ({
  outTradeNo: r.out_trade_no, amountFen: Number(r.amount_fen), subject: r.subject, returnUrl: r.return_url, notifyUrl: r.notify_url,
  status: r.status === "paid" ? "paid" : "pending", tradeNo: r.trade_no,
  method: r.method === "alipay" || r.method === "cfca" ? (r.method satisfies MockMethod) : null, bank: r.bank, refundedFen: Number(r.refunded_fen),
})

/**
 * The development payment provider's books in the database (both dialects).
 * A refund is one insert (its number is the key, so a repeated number is
 * never counted twice) and one conditional update (the trade never gives back
 * more than it took); a refund the update refuses is taken out again.
 */
export const sqlMockTradeStore = (db: Kysely<DB>): MockTradeStore => {
  const get = async (no: string) => {
    const r = await db.selectFrom("mock_payment_trades").selectAll().where("out_trade_no", "=", no).executeTakeFirst()
    return r === undefined ? undefined : toTrade(r)
  }
  const findRefund = async (no: string, refundNo: string): Promise<MockRefund | undefined> => {
    const r = await db.selectFrom("mock_payment_refunds").selectAll().where("out_trade_no", "=", no).where("refund_no", "=", refundNo).executeTakeFirst()
    return r === undefined ? undefined : { outTradeNo: r.out_trade_no, refundNo: r.refund_no, amountFen: Number(r.amount_fen) }
  }
  return {
    get,
    findRefund,
    open: async (t) => {
      const row = { amount_fen: t.amountFen, subject: t.subject, return_url: t.returnUrl, notify_url: t.notifyUrl }
      await db.insertInto("mock_payment_trades")
        .values({ ...row, out_trade_no: t.outTradeNo, status: "pending", trade_no: null, method: null, bank: null, refunded_fen: 0 })
        .onConflict((oc) => oc.column("out_trade_no").doNothing()).execute()
      await db.updateTable("mock_payment_trades").set(row).where("out_trade_no", "=", t.outTradeNo).where("status", "=", "pending").execute()
      return (await get(t.outTradeNo))!
    },
    markPaid: async (no, tradeNo, method, bank) => {
      await db.updateTable("mock_payment_trades").set({ status: "paid", trade_no: tradeNo, method, bank })
        .where("out_trade_no", "=", no).where("status", "=", "pending").execute()
      return get(no)
    },
    addRefund: async (r) => {
      const inserted = await db.insertInto("mock_payment_refunds").values({ out_trade_no: r.outTradeNo, refund_no: r.refundNo, amount_fen: r.amountFen })
        .onConflict((oc) => oc.columns(["out_trade_no", "refund_no"]).doNothing()).executeTakeFirst()
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return false
      const updated = await db.updateTable("mock_payment_trades")
        .set((eb) => ({ refunded_fen: eb("refunded_fen", "+", r.amountFen) }))
        .where("out_trade_no", "=", r.outTradeNo)
        .where("status", "=", "paid")
        .where((eb) => eb(eb("refunded_fen", "+", r.amountFen), "<=", eb.ref("amount_fen")))
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 1) return true
      await db.deleteFrom("mock_payment_refunds").where("out_trade_no", "=", r.outTradeNo).where("refund_no", "=", r.refundNo).execute()
      return false
    },
  }
}
