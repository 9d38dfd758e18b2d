import { Effect } from "effect"
import { Base64 } from "effect/encoding"
import type { StaffId } from "../kernel/Ids.ts"
import { applyEvent, loadOrder } from "./applyEvent.ts"
import { Order, type OrderId } from "./Order.ts"
import { checkLostCertificate } from "./lostCertificate.ts"
import { OrderTransitionRefused } from "./OrderErrors.ts"
import { type CertificateHolder, UsbKeyIssuer } from "../ports/UsbKeyIssuer.ts"

const holderOf = (o: Order): CertificateHolder => {
  const a = o.application
  return a.applicant === "enterprise" && a.enterprise !== null
    ? { kind: "enterprise", name: a.enterprise.name, organization: a.enterprise.name, uscc: a.enterprise.creditCode }
    : { kind: "person", name: a.holder.name, idNumber: a.holder.idNumber }
}

/**
 * O8 制作 USB-Key: for an approved order, the key is made on a token labelled
 * with the order number and certified for the package's years. For a reissue
 * the lost certificate is revoked as soon as its replacement exists. A retry
 * after the order could not be written (the issuer is idempotent per token,
 * revocation per serial) finds the token made before and records its certificate.
 */
export const makeKey = Effect.fn("orders.makeKey")(function*(staffId: StaffId, id: OrderId) {
  const order = yield* loadOrder(id)
  // Checked before any token is touched: a key is made only for an approved order.
  if (order.state.status !== "approved") return yield* new OrderTransitionRefused({ status: order.state.status, event: "CertificateMade" })
  yield* checkLostCertificate(order.application, order.id)
  const issuer = yield* UsbKeyIssuer
  const issued = yield* issuer.issue({ tokenLabel: order.id, holder: holderOf(order), years: order.package.years })
  const lost = order.application.business === "reissue" ? order.application.lostCertificateSerial : null
  if (lost !== null) yield* issuer.revoke(lost)
  const certificateDer = Base64.encode(issued.certificateDer)
  return yield* applyEvent(order, { _tag: "CertificateMade", serialHex: issued.serialHex }, { kind: "staff", id: staffId }, {
    serial: issued.serialHex.toLowerCase(),
    token: order.id,
    ...(lost === null ? {} : { revoked: lost.toLowerCase() }),
  }, (o) => new Order({ ...o, certificateDer }))
})
