/**
 * Alipay page pay (电脑网站支付) behind the PaymentGateway port: signed
 * `alipay.trade.page.pay` redirect, asynchronous notification verification,
 * and `alipay.trade.query`. Amounts cross as yuan strings with two decimals and
 * are converted to fen exactly (never through floats).
 */
import { Clock, Config, Effect, Layer, Redacted } from "effect"
import { fenFromYuan, yuanString } from "../../core/orders/Money.ts"
import {
  PaymentGateway,
  PaymentGatewayFailed,
  PaymentNotificationRejected,
  type ProviderPayment,
} from "../../core/ports/PaymentGateway.ts"
import { NOTIFY_EXCLUDES, privateKeyOf, publicKeyOf, REQUEST_EXCLUDES, rsa2Sign, rsa2Verify, signedJsonOf, signingString } from "./rsa2.ts"

export interface AlipayConfig {
  readonly appId: string
  /** https://openapi.alipay.com/gateway.do in production, the sandbox or a stand-in otherwise. */
  readonly gatewayUrl: string
  readonly appPrivateKey: string
  readonly alipayPublicKey: string
  readonly timeoutMs?: number
}

/** "yyyy-MM-dd HH:mm:ss" in Beijing time, as the open platform wants its timestamp. */
export const beijingTimestamp = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19)

const statusOf = (tradeStatus: string | undefined): ProviderPayment["status"] | null => {
  switch (tradeStatus) {
    case "TRADE_SUCCESS":
    case "TRADE_FINISHED":
      return "paid"
    case "WAIT_BUYER_PAY":
      return "pending"
    case "TRADE_CLOSED":
      return "closed"
    default:
      return null
  }
}

export const makeAlipayGateway = (config: AlipayConfig): PaymentGateway["Service"] => {
  const privateKey = privateKeyOf(config.appPrivateKey)
  const alipayKey = publicKeyOf(config.alipayPublicKey)
  const timeoutMs = config.timeoutMs ?? 10_000

  const signedParams = (method: string, biz: object, extra: Record<string, string>) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const params: Record<string, string> = {
        app_id: config.appId,
        method,
        format: "JSON",
        charset: "utf-8",
        sign_type: "RSA2",
        timestamp: beijingTimestamp(now),
        version: "1.0",
        biz_content: JSON.stringify(biz),
        ...extra,
      }
      return { ...params, sign: rsa2Sign(signingString(params, REQUEST_EXCLUDES), privateKey) }
    })

  const reject = (reason: string) => Effect.fail(new PaymentNotificationRejected({ reason }))
  const failed = (reason: string) => new PaymentGatewayFailed({ reason })

  return {
    name: "alipay",
    createPayment: (request) =>
      Effect.map(
        signedParams("alipay.trade.page.pay", {
          out_trade_no: request.outTradeNo,
          product_code: "FAST_INSTANT_TRADE_PAY",
          total_amount: yuanString(request.amountFen),
          subject: request.subject,
        }, { return_url: request.returnUrl, notify_url: request.notifyUrl }),
        (params) => ({ redirectUrl: `${config.gatewayUrl}?${new URLSearchParams(params).toString()}` }),
      ),

    verifyNotification: (params) =>
      Effect.suspend(() => {
        if (params.sign_type !== "RSA2") return reject("sign_type")
        if (!rsa2Verify(signingString(params, NOTIFY_EXCLUDES), params.sign ?? "", alipayKey)) return reject("signature")
        // A genuine notification for another merchant app is not ours to act on.
        if (params.app_id !== config.appId) return reject("app_id")
        const amountFen = fenFromYuan(params.total_amount ?? "")
        const status = statusOf(params.trade_status)
        const outTradeNo = params.out_trade_no ?? ""
        const tradeNo = params.trade_no ?? ""
        if (amountFen === null || status === null || outTradeNo === "" || tradeNo === "") return reject("malformed")
        return Effect.succeed({ outTradeNo, tradeNo, amountFen, status })
      }),

    queryPayment: (outTradeNo) =>
      Effect.gen(function*() {
        const params = yield* signedParams("alipay.trade.query", { out_trade_no: outTradeNo }, {})
        const body = yield* Effect.tryPromise({
          try: async (signal) => {
            const res = await fetch(config.gatewayUrl, {
              method: "POST",
              body: new URLSearchParams(params),
              signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
            })
            if (!res.ok) throw new Error(`HTTP ${res.status}`)
            return res.text()
          },
          catch: (e) => failed(`query: ${String(e)}`),
        })
        const signed = signedJsonOf(body, "alipay_trade_query_response")
        const parsed = yield* Effect.try({ try: () => JSON.parse(body) as { sign?: unknown }, catch: () => failed("query: not JSON") })
        if (signed === null || typeof parsed.sign !== "string" || !rsa2Verify(signed, parsed.sign, alipayKey)) {
          return yield* Effect.fail(failed("query: response signature"))
        }
        const r = yield* Effect.try({ try: () => JSON.parse(signed) as Record<string, unknown>, catch: () => failed("query: not JSON") })
        const str = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : "")
        if (str("code") === "40004" && str("sub_code") === "ACQ.TRADE_NOT_EXIST") return null
        if (str("code") !== "10000") return yield* Effect.fail(failed(`query: ${str("code")} ${str("sub_code")}`))
        const amountFen = fenFromYuan(str("total_amount"))
        const status = statusOf(str("trade_status"))
        if (str("out_trade_no") !== outTradeNo || amountFen === null || status === null) return yield* Effect.fail(failed("query: malformed"))
        return { outTradeNo, tradeNo: str("trade_no"), amountFen, status } satisfies ProviderPayment
      }),
  }
}

/** Config: SIGNET_ALIPAY_APP_ID, SIGNET_ALIPAY_GATEWAY, SIGNET_ALIPAY_PRIVATE_KEY, SIGNET_ALIPAY_PUBLIC_KEY. */
export const layer = Layer.effect(
  PaymentGateway,
  Effect.gen(function*() {
    const appId = yield* Config.String("SIGNET_ALIPAY_APP_ID")
    const gatewayUrl = yield* Config.String("SIGNET_ALIPAY_GATEWAY").pipe(Config.withDefault("https://openapi.alipay.com/gateway.do"))
    const appPrivateKey = yield* Config.Redacted("SIGNET_ALIPAY_PRIVATE_KEY")
    const alipayPublicKey = yield* Config.String("SIGNET_ALIPAY_PUBLIC_KEY")
    return makeAlipayGateway({ appId, gatewayUrl, appPrivateKey: Redacted.value(appPrivateKey), alipayPublicKey })
  }),
)
