/**
 * Development payment provider (O6): keeps trades and refunds in a store (the
 * database in the apps, so a restart never asks a buyer to pay again), and tells the
 * shop about a payment the way a real provider does, with a signed
 * asynchronous notification (HMAC-SHA256 over the sorted key=value string).
 * Its checkout pages (checkout.tsx) imitate Alipay (QR code) and CFCA (bank
 * choice). Never for production: anyone who reaches the checkout can "pay".
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { Context, Effect, Layer } from "effect"
import { fenFromYuan, yuanString } from "../../core/orders/Money.ts"
import {
  PaymentGateway,
  PaymentGatewayFailed,
  PaymentNotificationRejected,
  PaymentRefundRefused,
  type PaymentRequest,
  type ProviderPayment,
  type ProviderRefund,
} from "../../core/ports/PaymentGateway.ts"
import { Database } from "../sql/Database.ts"
import { sqlMockTradeStore } from "../sql/mockPayments.ts"

export type MockMethod = "alipay" | "cfca"

export interface MockTrade extends PaymentRequest {
  readonly status: "pending" | "paid"
  readonly tradeNo: string | null
  readonly method: MockMethod | null
  readonly bank: string | null
  /** Paid back so far, in fen. */
  readonly refundedFen: number
}

export interface MockRefund {
  readonly outTradeNo: string
  readonly refundNo: string
  readonly amountFen: number
}

/** Where the mock provider keeps its books: the database in the apps (adapters/sql/mockPayments.ts), memory in unit tests. */
export interface MockTradeStore {
  /** Registers (or re-registers) an unpaid trade; a paid one is left alone and returned. */
  readonly open: (trade: MockTrade) => Promise<MockTrade>
  readonly get: (outTradeNo: string) => Promise<MockTrade | undefined>
  /** Marks a pending trade paid; a paid one keeps its first trade number. The trade as it now stands. */
  readonly markPaid: (outTradeNo: string, tradeNo: string, method: MockMethod, bank: string | null) => Promise<MockTrade | undefined>
  readonly findRefund: (outTradeNo: string, refundNo: string) => Promise<MockRefund | undefined>
  /** Records a refund unless the number is taken or the trade would give back more than it took; false when it did not. */
  readonly addRefund: (refund: MockRefund) => Promise<boolean>
}

/** The mock's books in memory (unit tests that have no database). */
export const memoryTradeStore = (): MockTradeStore => {
  const trades = new Map<string, MockTrade>()
  const refunds = new Map<string, MockRefund>()
  return {
    open: async (t) => {
      const existing = trades.get(t.outTradeNo)
      if (existing?.status === "paid") return existing
      trades.set(t.outTradeNo, t)
      return t
    },
    get: async (no) => trades.get(no),
    markPaid: async (no, tradeNo, method, bank) => {
      const t = trades.get(no)
      if (t === undefined || t.status === "paid") return t
      const paid: MockTrade = { ...t, status: "paid", tradeNo, method, bank }
      trades.set(no, paid)
      return paid
    },
    findRefund: async (no, refundNo) => refunds.get(`${no}/${refundNo}`),
    addRefund: async (r) => {
      const t = trades.get(r.outTradeNo)
      const key = `${r.outTradeNo}/${r.refundNo}`
      if (t === undefined || refunds.has(key) || t.refundedFen + r.amountFen > t.amountFen) return false
      refunds.set(key, r)
      trades.set(r.outTradeNo, { ...t, refundedFen: t.refundedFen + r.amountFen })
      return true
    },
  }
}

/** The string both sides sign: every non-empty parameter but `sign`, sorted by name, as k=v joined by &. */
export const signingString = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params).filter((k) => k !== "sign" && params[k] !== "").sort().map((k) => `${k}=${params[k]}`).join("&")

export interface MockProviderOptions {
  readonly secret: string
  /** Absolute URL the checkout sub-app is mounted at (no trailing slash). */
  readonly checkoutBaseUrl: string
  /** How notifications reach the shop; defaults to an HTTP form POST to the trade's notify URL. */
  readonly deliver?: Deliver
  /** Its books; memory when not given. */
  readonly store?: MockTradeStore
}

export type Deliver = (notifyUrl: string, params: Record<string, string>) => Promise<void>

/** A notification the provider sent (its "notify log", as providers show merchants). */
export interface SentNotification {
  readonly notifyUrl: string
  readonly params: Readonly<Record<string, string>>
}

const postForm = async (url: string, params: Record<string, string>) => {
  const res = await fetch(url, { method: "POST", body: new URLSearchParams(params), signal: AbortSignal.timeout(5_000) })
  await res.text()
}

export const makeMockProvider = (options: MockProviderOptions) => {
  const store = options.store ?? memoryTradeStore()
  const failed = (e: unknown) => new PaymentGatewayFailed({ reason: `mock store: ${String(e)}` })
  const io = <A>(run: () => Promise<A>) => Effect.tryPromise({ try: run, catch: failed })
  /** Development switch (tests, demos): refuse every refund as a provider does when the merchant's balance is short. */
  const control = { refuseRefunds: false }
  const sign = (params: Readonly<Record<string, string>>) => createHmac("sha256", options.secret).update(signingString(params)).digest("hex")
  const defaultDeliver = options.deliver ?? postForm
  const sent: Array<SentNotification> = []

  const notification = (t: MockTrade): Record<string, string> => {
    const params: Record<string, string> = {
      notify_id: randomBytes(12).toString("hex"),
      notify_time: new Date().toISOString(),
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo ?? "",
      total_amount: yuanString(t.amountFen),
      trade_status: t.status === "paid" ? "TRADE_SUCCESS" : "WAIT_BUYER_PAY",
      method: t.method ?? "",
      bank: t.bank ?? "",
    }
    return { ...params, sign: sign(params) }
  }

  const read = (t: { outTradeNo: string; tradeNo: string | null; amountFen: number; status: MockTrade["status"]; method?: string | null; bank?: string | null }): ProviderPayment => ({
    outTradeNo: t.outTradeNo, tradeNo: t.tradeNo ?? "", amountFen: t.amountFen, status: t.status,
    ...(t.method ? { method: t.method } : {}), ...(t.bank ? { bank: t.bank } : {}),
  })

  const gateway: PaymentGateway["Service"] = {
    name: "mock",
    createPayment: (request) =>
      Effect.flatMap(io(() => store.open({ ...request, status: "pending", tradeNo: null, method: null, bank: null, refundedFen: 0 })), (t) =>
        t.status === "paid"
          ? Effect.fail(new PaymentGatewayFailed({ reason: "trade already paid" }))
          : Effect.succeed({ redirectUrl: `${options.checkoutBaseUrl}/${encodeURIComponent(request.outTradeNo)}` })),
    verifyNotification: (params) =>
      Effect.suspend(() => {
        const given = Buffer.from(params.sign ?? "", "hex")
        const expected = Buffer.from(sign(params), "hex")
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return Effect.fail(new PaymentNotificationRejected({ reason: "signature" }))
        }
        const amountFen = fenFromYuan(params.total_amount ?? "")
        const outTradeNo = params.out_trade_no ?? ""
        const tradeNo = params.trade_no ?? ""
        if (amountFen === null || outTradeNo === "" || tradeNo === "") return Effect.fail(new PaymentNotificationRejected({ reason: "malformed" }))
        return Effect.succeed(read({ outTradeNo, tradeNo, amountFen, status: params.trade_status === "TRADE_SUCCESS" ? "paid" : "pending", method: params.method ?? null, bank: params.bank ?? null }))
      }),
    queryPayment: (outTradeNo) => Effect.map(io(() => store.get(outTradeNo)), (t) => (t === undefined ? null : read(t))),
    refund: (request) =>
      Effect.gen(function*() {
        // Refusals carry Alipay's codes, so that staff read the same words whichever provider refused.
        const refused = (reason: string) => Effect.fail(new PaymentRefundRefused({ reason }))
        const answer = (r: MockRefund): ProviderRefund => ({ outTradeNo: r.outTradeNo, refundNo: r.refundNo, amountFen: r.amountFen, status: "refunded" })
        const same = (r: MockRefund) => (r.amountFen === request.amountFen ? Effect.succeed(answer(r)) : refused("ACQ.DISCORDANT_REPEAT_REQUEST"))
        const earlier = yield* io(() => store.findRefund(request.outTradeNo, request.refundNo))
        if (earlier !== undefined) return yield* same(earlier)
        if (control.refuseRefunds) return yield* refused("ACQ.SELLER_BALANCE_NOT_ENOUGH")
        const t = yield* io(() => store.get(request.outTradeNo))
        if (t === undefined || t.status !== "paid" || t.tradeNo !== request.tradeNo) return yield* refused("ACQ.TRADE_STATUS_ERROR")
        if (!Number.isInteger(request.amountFen) || request.amountFen <= 0) return yield* refused("ACQ.REFUND_FEE_ERROR")
        const r: MockRefund = { outTradeNo: request.outTradeNo, refundNo: request.refundNo, amountFen: request.amountFen }
        if (yield* io(() => store.addRefund(r))) return answer(r)
        // Lost a race for the number, or more than the trade holds.
        const raced = yield* io(() => store.findRefund(request.outTradeNo, request.refundNo))
        return yield* (raced === undefined ? refused("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL") : same(raced))
      }),
    queryRefund: (outTradeNo, refundNo) =>
      Effect.map(io(() => store.findRefund(outTradeNo, refundNo)), (r) =>
        r === undefined ? null : { outTradeNo, refundNo, amountFen: r.amountFen, status: "refunded" as const }),
  }

  /**
   * The buyer pays on the checkout page. Paying a paid trade again changes
   * nothing (same trade number) but notifies again, as providers retry.
   */
  const pay = async (outTradeNo: string, method: MockMethod, bank: string | null, deliver: Deliver = defaultDeliver): Promise<Record<string, string> | null> => {
    const t = await store.markPaid(outTradeNo, `MOCK${Date.now()}${randomBytes(4).toString("hex")}`, method, bank)
    if (t === undefined) return null
    const params = notification(t)
    sent.push({ notifyUrl: t.notifyUrl, params })
    if (sent.length > 100) sent.shift()
    await deliver(t.notifyUrl, params).catch(() => undefined)
    return params
  }

  return { gateway, trade: store.get, control, sign, pay, sent, layer: Layer.succeed(PaymentGateway, gateway) }
}

export type MockProvider = ReturnType<typeof makeMockProvider>

/**
 * The mock provider the apps run with, for mounting its checkout pages (and
 * for tests reading its notify log); null when a real provider is wired.
 */
export class MockCheckout extends Context.Service<MockCheckout, { readonly provider: MockProvider | null }>()("adapters/payment-mock/MockCheckout") {}

/** PaymentGateway and MockCheckout from one mock provider, its books in the database. */
export const layerMock = (options: MockProviderOptions) =>
  Layer.effectContext(Effect.gen(function*() {
    const { db } = yield* Database
    const provider = makeMockProvider({ store: sqlMockTradeStore(db), ...options })
    return Context.make(PaymentGateway, provider.gateway).pipe(Context.add(MockCheckout, { provider }))
  }))
