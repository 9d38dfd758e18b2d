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
  /**
   * When the notification is about a refund of the trade (Alipay's out_biz_no):
   * our refund number. It only prompts asking the provider about that refund;
   * the refund is settled by the verified answer, never by the notification.
   */
  readonly refundNo?: string
}

/** A refund of a paid trade, under our own refund number (Alipay's out_request_no): asking again with it refunds once. */
export interface RefundRequest {
  readonly outTradeNo: string
  readonly tradeNo: string
  readonly refundNo: string
  readonly amountFen: number
  readonly reason: string
}

/**
 * A provider's verified statement about one refund: "refunded" when the money
 * went back, "pending" when accepted but not yet final (ask again later).
 */
export interface ProviderRefund {
  readonly outTradeNo: string
  readonly refundNo: string
  readonly amountFen: number
  readonly status: "refunded" | "pending"
}

/** The provider verifiably declined the refund (trade closed, merchant balance short, more than the trade holds): staff must act. */
export class PaymentRefundRefused extends Schema.TaggedError<PaymentRefundRefused>()("PaymentRefundRefused", {
  reason: Schema.String,
}) {}

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
  /**
   * Pays back part or all of a paid trade. Idempotent by `refundNo`: the same
   * number again answers the first refund's result and moves no more money.
   * The answer is verified (signature, and it must be about this refund
   * number and amount); one that is not fails with PaymentGatewayFailed and the
   * refund stays open for a retry or a query.
   */
  readonly refund: (request: RefundRequest) => Effect.Effect<ProviderRefund, PaymentRefundRefused | PaymentGatewayFailed>
  /** Asks the provider about a refund; null when it does not know the number (nothing was refunded under it). */
  readonly queryRefund: (outTradeNo: string, refundNo: string) => Effect.Effect<ProviderRefund | null, PaymentGatewayFailed>
}>()("core/ports/PaymentGateway") {}

/** Where providers post their asynchronous notifications: the portal's public address + /payments/notify (config). */
export class PaymentCallbacks extends Context.Service<PaymentCallbacks, {
  readonly notifyUrl: string
}>()("core/ports/PaymentCallbacks") {}
