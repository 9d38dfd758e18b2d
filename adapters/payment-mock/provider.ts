/**
 * Development payment provider (O6): keeps trades in memory, and tells the
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
  type PaymentRequest,
  type ProviderPayment,
} from "../../core/ports/PaymentGateway.ts"

export type MockMethod = "alipay" | "cfca"

export interface MockTrade extends PaymentRequest {
  status: "pending" | "paid"
  tradeNo: string | null
  method: MockMethod | null
  bank: string | null
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
  const trades = new Map<string, MockTrade>()
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
      Effect.suspend(() => {
        const existing = trades.get(request.outTradeNo)
        if (existing?.status === "paid") return Effect.fail(new PaymentGatewayFailed({ reason: "trade already paid" }))
        trades.set(request.outTradeNo, { ...request, status: "pending", tradeNo: null, method: null, bank: null })
        return Effect.succeed({ redirectUrl: `${options.checkoutBaseUrl}/${encodeURIComponent(request.outTradeNo)}` })
      }),
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
    queryPayment: (outTradeNo) =>
      Effect.sync(() => {
        const t = trades.get(outTradeNo)
        return t === undefined ? null : read(t)
      }),
  }

  /**
   * The buyer pays on the checkout page. Paying a paid trade again changes
   * nothing (same trade number) but notifies again, as providers retry.
   */
  const pay = async (outTradeNo: string, method: MockMethod, bank: string | null, deliver: Deliver = defaultDeliver): Promise<Record<string, string> | null> => {
    const t = trades.get(outTradeNo)
    if (t === undefined) return null
    if (t.status !== "paid") {
      t.status = "paid"
      t.tradeNo = `MOCK${Date.now()}${randomBytes(4).toString("hex")}`
      t.method = method
      t.bank = bank
    }
    const params = notification(t)
    sent.push({ notifyUrl: t.notifyUrl, params })
    if (sent.length > 100) sent.shift()
    await deliver(t.notifyUrl, params).catch(() => undefined)
    return params
  }

  return { gateway, trades, sign, pay, sent, layer: Layer.succeed(PaymentGateway, gateway) }
}

export type MockProvider = ReturnType<typeof makeMockProvider>

/**
 * The mock provider the apps run with, for mounting its checkout pages (and
 * for tests reading its notify log); null when a real provider is wired.
 */
export class MockCheckout extends Context.Service<MockCheckout, { readonly provider: MockProvider | null }>()("adapters/payment-mock/MockCheckout") {}

/** PaymentGateway and MockCheckout from one mock provider. */
export const layerMock = (options: MockProviderOptions) =>
  Layer.effectContext(Effect.sync(() => {
    const provider = makeMockProvider(options)
    return Context.make(PaymentGateway, provider.gateway).pipe(Context.add(MockCheckout, { provider }))
  }))
