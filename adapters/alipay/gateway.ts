/**
 * Alipay page pay (电脑网站支付) behind the PaymentGateway port: signed
 * `alipay.trade.page.pay` redirect, asynchronous notification verification,
 * `alipay.trade.query`, and refunds: `alipay.trade.refund` (out_request_no is
 * our refund number, so Alipay refunds once whatever the retries) confirmed by
 * `alipay.trade.fastpay.refund.query`. Every answer's signature is checked, and
 * an answer about another trade, refund number or amount is refused. Amounts cross as yuan strings with two decimals and
 * are converted to fen exactly (never through floats).
 */
import { Clock, Config, Effect, Layer, Redacted } from "effect"
import { fenFromYuan, yuanString } from "../../core/orders/Money.ts"
import {
  PaymentGateway,
  PaymentGatewayFailed,
  PaymentNotificationRejected,
  PaymentRefundRefused,
  type ProviderPayment,
  type ProviderRefund,
} from "../../core/ports/PaymentGateway.ts"
import { NOTIFY_EXCLUDES, privateKeyOf, publicKeyOf, REQUEST_EXCLUDES, rsa2Sign, rsa2Verify, signedJsonOf, signingString } from "./rsa2.ts"
import { beijingSeconds } from "../../core/kernel/time.ts"

export interface AlipayConfig {
  readonly appId: string
  /** https://openapi.alipay.com/gateway.do in production, the sandbox or a stand-in otherwise. */
  readonly gatewayUrl: string
  readonly appPrivateKey: string
  readonly alipayPublicKey: string
  readonly timeoutMs?: number
}

/** "yyyy-MM-dd HH:mm:ss" in Beijing time, as the open platform wants its timestamp. */
export const beijingTimestamp = beijingSeconds

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

/**
 * Refund error codes that are Alipay's decision about this refund (staff must
 * act), as opposed to a system error to retry: the trade is not refundable,
 * the amount exceeds it, the merchant's balance is short, the number was used
 * with other content.
 */
const REFUND_REFUSALS = new Set([
  "ACQ.TRADE_NOT_EXIST", "ACQ.TRADE_STATUS_ERROR", "ACQ.TRADE_HAS_CLOSE", "ACQ.TRADE_HAS_FINISHED", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
  "ACQ.SELLER_BALANCE_NOT_ENOUGH", "ACQ.REFUND_FEE_ERROR", "ACQ.REASON_TRADE_REFUND_FEE_ERR", "ACQ.REQUEST_AMOUNT_EXCEED", "ACQ.DISCORDANT_REPEAT_REQUEST",
  "ACQ.TRADE_NOT_ALLOW_REFUND", "ACQ.BUYER_ERROR", "ACQ.CHECK_PARTNER_ERROR",
])

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

  /** One OpenAPI call: signed request, response signature checked over the exact bytes Alipay signed, its fields as strings. */
  const call = (method: string, biz: object, responseKey: string) =>
    Effect.gen(function*() {
      const op = method.replace(/^alipay\.trade\./, "")
      const params = yield* signedParams(method, biz, {})
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
        catch: (e) => failed(`${op}: ${String(e)}`),
      })
      const signed = signedJsonOf(body, responseKey)
      const parsed = yield* Effect.try({ try: () => JSON.parse(body) as { sign?: unknown }, catch: () => failed(`${op}: not JSON`) })
      if (signed === null || typeof parsed.sign !== "string" || !rsa2Verify(signed, parsed.sign, alipayKey)) {
        return yield* Effect.fail(failed(`${op}: response signature`))
      }
      const r = yield* Effect.try({ try: () => JSON.parse(signed) as Record<string, unknown>, catch: () => failed(`${op}: not JSON`) })
      return (k: string) => (typeof r[k] === "string" ? (r[k] as string) : "")
    })

  const queryRefund = (outTradeNo: string, refundNo: string) =>
    Effect.gen(function*() {
      const str = yield* call("alipay.trade.fastpay.refund.query", { out_trade_no: outTradeNo, out_request_no: refundNo }, "alipay_trade_fastpay_refund_query_response")
      if (str("code") !== "10000") return yield* Effect.fail(failed(`refund.query: ${str("code")} ${str("sub_code")}`))
      // Alipay answers success without the refund's fields when no refund was made under this number.
      if (str("out_request_no") === "" && str("refund_amount") === "") return null
      // A signed answer about another trade or refund (a replayed response) says nothing about this one.
      if (str("out_trade_no") !== outTradeNo || str("out_request_no") !== refundNo) return yield* Effect.fail(failed("refund.query: answer for another refund"))
      const amountFen = fenFromYuan(str("refund_amount"))
      if (amountFen === null) return yield* Effect.fail(failed("refund.query: malformed"))
      const status = str("refund_status")
      return { outTradeNo, refundNo, amountFen, status: status === "REFUND_SUCCESS" ? "refunded" : "pending" } satisfies ProviderRefund
    })

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
        const refundNo = params.out_biz_no ?? ""
        return Effect.succeed({ outTradeNo, tradeNo, amountFen, status, ...(refundNo === "" ? {} : { refundNo }) })
      }),

    queryPayment: (outTradeNo) =>
      Effect.gen(function*() {
        const str = yield* call("alipay.trade.query", { out_trade_no: outTradeNo }, "alipay_trade_query_response")
        if (str("code") === "40004" && str("sub_code") === "ACQ.TRADE_NOT_EXIST") return null
        if (str("code") !== "10000") return yield* Effect.fail(failed(`query: ${str("code")} ${str("sub_code")}`))
        const amountFen = fenFromYuan(str("total_amount"))
        const status = statusOf(str("trade_status"))
        if (str("out_trade_no") !== outTradeNo || amountFen === null || status === null) return yield* Effect.fail(failed("query: malformed"))
        return { outTradeNo, tradeNo: str("trade_no"), amountFen, status } satisfies ProviderPayment
      }),

    refund: (request) =>
      Effect.gen(function*() {
        const str = yield* call("alipay.trade.refund", {
          out_trade_no: request.outTradeNo,
          trade_no: request.tradeNo,
          refund_amount: yuanString(request.amountFen),
          out_request_no: request.refundNo,
          refund_reason: request.reason,
        }, "alipay_trade_refund_response")
        if (str("code") !== "10000") {
          const sub = str("sub_code")
          return yield* (REFUND_REFUSALS.has(sub) ? Effect.fail(new PaymentRefundRefused({ reason: sub })) : Effect.fail(failed(`refund: ${str("code")} ${sub}`)))
        }
        if (str("out_trade_no") !== request.outTradeNo) return yield* Effect.fail(failed("refund: answer for another trade"))
        // The refund answer gives the trade's running total only: what this number refunded is read back by the refund query.
        const found = yield* queryRefund(request.outTradeNo, request.refundNo)
        if (found === null) return yield* Effect.fail(failed("refund: accepted but unknown to the refund query"))
        if (found.amountFen !== request.amountFen) return yield* Effect.fail(failed("refund: amount differs from the request"))
        return found
      }),

    queryRefund,
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
