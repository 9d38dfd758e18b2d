import { Schema } from "effect"
import { AddressId, UserId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { Application } from "./Application.ts"
import { Package } from "./Catalogue.ts"
import { Invoice } from "./Invoice.ts"
import { InvoiceRecord } from "./invoiceMachine.ts"
import { PriceBreakdown } from "./pricing.ts"
import { Millis, OrderState, OrderStatus } from "./OrderState.ts"

const Digits19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))

/** The order number users see (19 digits, time-ordered). */
export const OrderId = Digits19.pipe(Schema.brand("OrderId"))
export type OrderId = typeof OrderId.Type

/** Express delivery: a copy of the address-book entry at the time of ordering (later edits of the book do not move a parcel). */
export const ExpressDelivery = Schema.TaggedStruct("express", {
  addressId: AddressId,
  recipient: Schema.String,
  mobile: Mobile,
  region: Schema.String,
  detail: Schema.String,
})

/** Self-pickup at a configured point (copied likewise). */
export const PickupDelivery = Schema.TaggedStruct("pickup", {
  pointId: Schema.String,
  name: Schema.String,
  address: Schema.String,
  phone: Schema.String,
  hours: Schema.String,
})

export const Delivery = Schema.Union([ExpressDelivery, PickupDelivery])
export type Delivery = typeof Delivery.Type

/**
 * An order for a USB-Key with an e-seal certificate (O5-O9). The package is
 * copied in, and the price is computed once at creation: later catalogue
 * changes never change what an order costs, and nothing changes it after payment.
 */
export class Order extends Schema.Class<Order>("Order")({
  id: OrderId,
  userId: UserId,
  application: Application,
  package: Package,
  delivery: Delivery,
  invoice: Invoice,
  price: PriceBreakdown,
  state: OrderState,
  /** The invoice's own machine (invoiceMachine.ts), beside the order's. */
  invoiceRecord: InvoiceRecord,
  /** The certificate made onto the USB-Key (DER, base64), shown and downloadable on the order page. */
  certificateDer: Schema.NullOr(Schema.String),
  /** Incremented on every change; an update that finds another version writes nothing. */
  version: Schema.Number,
  createdAt: Millis,
  updatedAt: Millis,
}) {}

/** Who did something to an order: the buyer, a staff member, the payment provider, or the platform itself (an automatic refund). */
export const OrderActor = Schema.Struct({
  kind: Schema.Literals(["user", "staff", "payment", "system"]),
  id: Schema.String,
})
export type OrderActor = typeof OrderActor.Type

/** One entry of an order's timeline (O9 order detail; later an evidence event). */
export class OrderHistoryEntry extends Schema.Class<OrderHistoryEntry>("OrderHistoryEntry")({
  orderId: OrderId,
  seq: Schema.Number,
  event: Schema.String,
  status: OrderStatus,
  actor: OrderActor,
  /** Event specifics (reasons, tracking number, trade number), as shown on the timeline. */
  detail: Schema.Record(Schema.String, Schema.String),
  at: Millis,
}) {}

/** The tabs of 我的订单 (O9) and the statuses each shows. */
export const ORDER_TABS = {
  unpaid: ["pending_payment"],
  in_review: ["in_review", "rejected"],
  processing: ["approved", "certificate_made"],
  receiving: ["shipped", "awaiting_pickup"],
  completed: ["completed"],
  closed: ["cancelled", "refunding", "refunded"],
} as const satisfies Record<string, ReadonlyArray<OrderStatus>>
export type OrderTab = keyof typeof ORDER_TABS
