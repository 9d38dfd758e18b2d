import type { OrderState, Refund } from "./OrderState.ts"

const sum = (xs: ReadonlyArray<{ readonly amountFen: number }>) => xs.reduce((n, x) => n + x.amountFen, 0)

/** Money the provider took for the order: its payment and any late payments. */
export const moneyIn = (s: OrderState): number => (s.payment?.amountFen ?? 0) + sum(s.latePayments)

/** Money the provider verifiably paid back. */
export const moneyRefunded = (s: OrderState): number => sum(s.refunds.filter((r) => r.status === "refunded"))

/** Money in that is not paid back (a refund asked for but not confirmed is still kept). money in = kept + refunded, always. */
export const moneyKept = (s: OrderState): number => moneyIn(s) - moneyRefunded(s)

/** What a trade of this order paid, or null when the trade is not this order's. */
export const paidOn = (s: OrderState, tradeNo: string): number | null =>
  s.payment?.tradeNo === tradeNo ? s.payment.amountFen : (s.latePayments.find((p) => p.tradeNo === tradeNo)?.amountFen ?? null)

const onTrade = (s: OrderState, tradeNo: string): ReadonlyArray<Refund> => s.refunds.filter((r) => r.tradeNo === tradeNo)

/** What may still be refunded on a trade: paid, less what is refunded or being refunded (a failed refund gave nothing back). */
export const refundableOn = (s: OrderState, tradeNo: string): number =>
  (paidOn(s, tradeNo) ?? 0) - sum(onTrade(s, tradeNo).filter((r) => r.status !== "failed"))

/** The refund in flight on a trade (one at a time per trade), if any. */
export const pendingOn = (s: OrderState, tradeNo: string): Refund | undefined => onTrade(s, tradeNo).find((r) => r.status === "pending")

/** Late money not yet verifiably paid back. */
export const lateOutstanding = (s: OrderState): number =>
  s.latePayments.reduce((n, p) => n + p.amountFen - sum(onTrade(s, p.tradeNo).filter((r) => r.status === "refunded")), 0)

/**
 * The staff queue 待退款: a refund of the order's payment not yet confirmed
 * (退款中, asked or refused), or late money not yet paid back (being refunded
 * automatically, or refused by the provider).
 */
export const refundDue = (s: OrderState): boolean => s.status === "refunding" || lateOutstanding(s) > 0

/** The refund number for the order's next refund: unique per order, what the provider deduplicates by. */
export const nextRefundNo = (orderId: string, s: OrderState): string => `${orderId}R${s.refunds.length + 1}`

/** Trades whose last refund the provider refused and that still hold money: what staff may pay back outside it (已线下退款). */
export const refusedTrades = (s: OrderState): ReadonlyArray<string> =>
  [...(s.payment === null ? [] : [s.payment.tradeNo]), ...s.latePayments.map((p) => p.tradeNo)]
    .filter((t) => onTrade(s, t).at(-1)?.status === "failed" && refundableOn(s, t) > 0)
