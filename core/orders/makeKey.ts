import { Effect } from "effect"
import type { StaffId } from "../kernel/Ids.ts"
import { applyEvent, loadOrder } from "./applyEvent.ts"
import type { Order, OrderId } from "./Order.ts"
import { LostCertificateMismatch, OrderTransitionRefused } from "./OrderErrors.ts"
import { OrderRepository } from "./OrderRepository.ts"
import { type CertificateHolder, UsbKeyIssuer } from "./UsbKeyIssuer.ts"

const holderOf = (o: Order): CertificateHolder => {
  const a = o.application
  return a.applicant === "enterprise" && a.enterprise !== null
    ? { kind: "enterprise", name: a.enterprise.name, organization: a.enterprise.name, uscc: a.enterprise.creditCode }
    : { kind: "person", name: a.holder.name, idNumber: a.holder.idNumber }
}

/** The number that identifies a holder: the enterprise's credit code, or the person's ID number. */
const holderKey = (o: Order) => o.application.enterprise?.creditCode ?? `person:${o.application.holder.idNumber}`

/**
 * Where the platform issued the lost certificate itself, that order's holder
 * must be this order's: a reissue must never revoke someone else's key. A
 * serial the platform never issued (a key from before Signet) is for the
 * reviewer to check against the paper evidence.
 */
export const lostCertificateOrigin = Effect.fn("orders.lostCertificateOrigin")(function*(order: Order) {
  const serial = order.application.lostCertificateSerial
  if (serial === null) return null
  const issued = (yield* (yield* OrderRepository).findByCertificateSerial(serial)).filter((o) => o.id !== order.id)
  return { serial: serial.toLowerCase(), orders: issued.map((o) => o.id), sameHolder: issued.every((o) => holderKey(o) === holderKey(order)) }
})

/**
 * O8 制作 USB-Key: for an approved order, the key is made on a token labelled
 * with the order number and certified for the package's years. For a reissue
 * the lost certificate is revoked as soon as its replacement exists.
 */
export const makeKey = Effect.fn("orders.makeKey")(function*(staffId: StaffId, id: OrderId) {
  const order = yield* loadOrder(id)
  // Checked before any token is touched: a key is made only for an approved order.
  if (order.state.status !== "approved") return yield* new OrderTransitionRefused({ status: order.state.status, event: "CertificateMade" })
  const origin = yield* lostCertificateOrigin(order)
  if (origin !== null && !origin.sameHolder) return yield* new LostCertificateMismatch({ serialHex: origin.serial })
  const issuer = yield* UsbKeyIssuer
  const issued = yield* issuer.issue({ tokenLabel: order.id, holder: holderOf(order), years: order.package.years })
  const lost = order.application.business === "reissue" ? order.application.lostCertificateSerial : null
  if (lost !== null) yield* issuer.revoke(lost)
  return yield* applyEvent(order, { _tag: "CertificateMade", serialHex: issued.serialHex }, { kind: "staff", id: staffId }, {
    serial: issued.serialHex.toLowerCase(),
    token: order.id,
    ...(lost === null ? {} : { revoked: lost.toLowerCase() }),
  })
})
