import { Context, type Effect, Schema } from "effect"

/** What the buyer is asked to pay: our order number as the merchant's trade number, the amount in fen. */
export interface PaymentRequest {
  readonly outTradeNo: string
  readonly amountFen: number
  readonly subject: string
  /** Where the provider sends the browser back (the "支付成功 / 支付失败" page; proves nothing). */
  readonly returnUrl: string
  /** Where the provider posts its signed asynchronous notification (the only thing that pays an order, with status queries). */
  readonly notifyUrl: string
}

/** A provider's statement about one trade, after its signature was verified. */
export interface ProviderPayment {
  readonly outTradeNo: string
  /** The provider's own trade number. */
  readonly tradeNo: string
  readonly amountFen: number
  readonly status: "paid" | "pending" | "closed"
  /** How the buyer paid, when the provider says ("alipay", "cfca" bank transfer...), and through which bank. */
  readonly method?: string
  readonly bank?: string
}

/** A notification that is not from the provider, is not for us, or is malformed (bad signature, other app id, amount not a yuan string). */
export class PaymentNotificationRejected extends Schema.TaggedError<PaymentNotificationRejected>()("PaymentNotificationRejected", {
  reason: Schema.String,
}) {}

/** The provider could not be reached or answered with an error or an unverifiable response. */
export class PaymentGatewayFailed extends Schema.TaggedError<PaymentGatewayFailed>()("PaymentGatewayFailed", {
  reason: Schema.String,
}) {}

/**
 * A payment provider (O6): Alipay page pay, or the development mock. The
 * order is paid only on a verified notification or status query, never on
 * the browser coming back.
 */
export class PaymentGateway extends Context.Service<PaymentGateway, {
  /** Short provider name, recorded as who paid ("alipay", "mock"). */
  readonly name: string
  /** Registers the trade with the provider and gives the URL to send the browser to. */
  readonly createPayment: (request: PaymentRequest) => Effect.Effect<{ readonly redirectUrl: string }, PaymentGatewayFailed>
  /** Checks an asynchronous notification's parameters (form fields) and reads what it says. */
  readonly verifyNotification: (params: Readonly<Record<string, string>>) => Effect.Effect<ProviderPayment, PaymentNotificationRejected>
  /** Asks the provider about a trade; null when the provider does not know it (nothing was paid). */
  readonly queryPayment: (outTradeNo: string) => Effect.Effect<ProviderPayment | null, PaymentGatewayFailed>
}>()("core/ports/PaymentGateway") {}

/** Where providers post their asynchronous notifications: the portal's public address + /payments/notify (config). */
export class PaymentCallbacks extends Context.Service<PaymentCallbacks, {
  readonly notifyUrl: string
}>()("core/ports/PaymentCallbacks") {}
