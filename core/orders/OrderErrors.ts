import { Schema } from "effect"

/** The action is not possible in the order's current state (e.g. approving an unpaid order, anything on a completed one). */
export class OrderTransitionRefused extends Schema.TaggedError<OrderTransitionRefused>()("OrderTransitionRefused", {
  status: Schema.String,
  event: Schema.String,
}) {}

/** A payment arrived for an order that is already paid (possibly by another trade). */
export class OrderAlreadyPaid extends Schema.TaggedError<OrderAlreadyPaid>()("OrderAlreadyPaid", {
  tradeNo: Schema.String,
}) {}

/** The amount the payment provider reports is not the order's amount payable. */
export class PaymentAmountMismatch extends Schema.TaggedError<PaymentAmountMismatch>()("PaymentAmountMismatch", {
  expectedFen: Schema.Number,
  reportedFen: Schema.Number,
}) {}

/** Shipping a self-pickup order, or sending a pickup notice for an express order. */
export class WrongDeliveryMethod extends Schema.TaggedError<WrongDeliveryMethod>()("WrongDeliveryMethod", {
  delivery: Schema.String,
  event: Schema.String,
}) {}

/** A rejection (审核不通过) or a refund was given without a reason. */
export class ReasonRequired extends Schema.TaggedError<ReasonRequired>()("ReasonRequired", {
  event: Schema.String,
}) {}

/** The invoice taxpayer id is neither a valid unified social credit code nor a 15/17/20-character tax registration number. */
export class InvalidTaxpayerId extends Schema.TaggedError<InvalidTaxpayerId>()("InvalidTaxpayerId", {
  value: Schema.String,
}) {}

/** The package id is not in the catalogue (a tampered or outdated form). */
export class UnknownPackage extends Schema.TaggedError<UnknownPackage>()("UnknownPackage", {
  packageId: Schema.String,
}) {}

/** The pickup point id is not in the configured list. */
export class UnknownPickupPoint extends Schema.TaggedError<UnknownPickupPoint>()("UnknownPickupPoint", {
  pointId: Schema.String,
}) {}

/** Another request changed the order first (optimistic concurrency); nothing was written. */
export class OrderChangedConcurrently extends Schema.TaggedError<OrderChangedConcurrently>()("OrderChangedConcurrently", {
  orderId: Schema.String,
}) {}

/** Edited application details that do not fit the order (e.g. a licence on a personal application); `issue` is the message key. */
export class InvalidApplication extends Schema.TaggedError<InvalidApplication>()("InvalidApplication", {
  issue: Schema.String,
}) {}

/** Initialising the USB-Key, generating its key, certifying it or revoking the lost certificate failed (fulfilment, O8). */
export class KeyMakingFailed extends Schema.TaggedError<KeyMakingFailed>()("KeyMakingFailed", {
  reason: Schema.String,
}) {}

/** A provider trade number that already paid another order was presented for this one. */
export class PaymentTradeReused extends Schema.TaggedError<PaymentTradeReused>()("PaymentTradeReused", {
  tradeNo: Schema.String,
}) {}

/** A reissue names a certificate the platform issued to another holder (another enterprise or person): it is not revoked, no key is made. */
export class LostCertificateMismatch extends Schema.TaggedError<LostCertificateMismatch>()("LostCertificateMismatch", {
  serialHex: Schema.String,
}) {}

/** A reissue names a certificate serial the platform has no record of issuing (typed wrong, or never a Signet certificate): refused at submission. */
export class LostCertificateUnknown extends Schema.TaggedError<LostCertificateUnknown>()("LostCertificateUnknown", {
  serialHex: Schema.String,
}) {}

/** A refund of nothing, or of more than its payment still holds (paid, less what is refunded or being refunded). */
export class InvalidRefundAmount extends Schema.TaggedError<InvalidRefundAmount>()("InvalidRefundAmount", {
  refundableFen: Schema.Number,
  requestedFen: Schema.Number,
}) {}
