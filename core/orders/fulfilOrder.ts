import { Effect, Schema } from "effect"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import { applyEvent, loadOrder, loadOwnOrder } from "./applyEvent.ts"
import type { OrderId } from "./Order.ts"

const staff = (id: StaffId) => ({ kind: "staff", id }) as const

/** O8: the certificate was issued onto the order's USB-Key; `serialHex` is its serial number. */
export const markCertificateMade = Effect.fn("orders.certificateMade")(function*(staffId: StaffId, id: OrderId, serialHex: string) {
  return yield* applyEvent(yield* loadOrder(id), { _tag: "CertificateMade", serialHex }, staff(staffId), { serial: serialHex.toLowerCase() })
})

export const ShipmentInput = Schema.Struct({
  carrier: Schema.String.pipe(Schema.check(Schema.isTrimmed(), Schema.isBetweenLength(1, 30, { message: "carrier.length" }))),
  trackingNo: Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9-]{6,40}$/, { message: "trackingNo.invalid" }))),
})
export type ShipmentInput = typeof ShipmentInput.Type

/** O8: an express order leaves with a carrier and tracking number; the buyer waits for receipt (待收货). */
export const shipOrder = Effect.fn("orders.ship")(function*(staffId: StaffId, id: OrderId, shipment: ShipmentInput) {
  return yield* applyEvent(yield* loadOrder(id), { _tag: "Ship", ...shipment }, staff(staffId), { ...shipment })
})

/** O8: a self-pickup order is ready; the buyer is told where and when (自提通知). */
export const notifyPickup = Effect.fn("orders.notifyPickup")(function*(staffId: StaffId, id: OrderId) {
  return yield* applyEvent(yield* loadOrder(id), { _tag: "NotifyPickup" }, staff(staffId))
})

/** O8: staff hand the USB-Key over at the pickup point; the order is complete. */
export const confirmPickup = Effect.fn("orders.confirmPickup")(function*(staffId: StaffId, id: OrderId) {
  return yield* applyEvent(yield* loadOrder(id), { _tag: "ConfirmPickup" }, staff(staffId))
})

/** O9: the buyer confirms receipt of a shipped key (确认收货). */
export const confirmReceipt = Effect.fn("orders.confirmReceipt")(function*(userId: UserId, id: OrderId) {
  const order = yield* loadOwnOrder(userId, id)
  return yield* applyEvent(order, { _tag: "ConfirmReceipt" }, { kind: "user", id: userId })
})

/** O8: staff mark a shipped order completed (the seed completes express orders once shipped and delivered). */
export const completeShippedOrder = Effect.fn("orders.completeShipped")(function*(staffId: StaffId, id: OrderId) {
  return yield* applyEvent(yield* loadOrder(id), { _tag: "ConfirmReceipt" }, staff(staffId))
})
