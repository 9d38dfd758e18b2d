import { Effect } from "effect"
import type { UserId } from "../kernel/Ids.ts"
import type { Application } from "./Application.ts"
import type { Order, OrderId } from "./Order.ts"
import { LostCertificateMismatch, LostCertificateUnknown } from "./OrderErrors.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"

/** The number that identifies a holder: the enterprise's credit code, or the person's ID number. */
export const holderKey = (a: Application) => a.enterprise?.creditCode ?? `person:${a.holder.idNumber}`

/**
 * Where a reissue's lost certificate came from: the platform's records of the
 * certificates it made (the orders that carry each serial), and whether they
 * name this application's holder.
 */
export const lostCertificateOrigin = Effect.fn("orders.lostCertificateOrigin")(function*(application: Application, self: OrderId | null = null) {
  const serial = application.lostCertificateSerial
  if (application.business !== "reissue" || serial === null) return null
  const issued = (yield* (yield* OrderRepository).findByCertificateSerial(serial)).filter((o) => o.id !== self)
  return {
    serial: serial.toLowerCase(),
    orders: issued.map((o) => o.id),
    sameHolder: issued.length > 0 && issued.every((o) => holderKey(o.application) === holderKey(application)),
  }
})

/**
 * The reissue rule (补办), checked at submission, at resubmission, at
 * approval and before a key is made: the lost certificate must be one the
 * platform issued, to this application's holder. An unknown serial and
 * another holder's certificate are refused: a reissue revokes the lost
 * certificate, and must never revoke someone else's.
 */
export const checkLostCertificate = Effect.fn("orders.checkLostCertificate")(function*(application: Application, self: OrderId | null = null) {
  const origin = yield* lostCertificateOrigin(application, self)
  if (origin === null) return
  if (origin.orders.length === 0) return yield* new LostCertificateUnknown({ serialHex: origin.serial })
  if (!origin.sameHolder) return yield* new LostCertificateMismatch({ serialHex: origin.serial })
})

/** Statuses in which an order's USB-Key carries a certificate. */
export const WITH_CERTIFICATE = ["certificate_made", "shipped", "awaiting_pickup", "completed"] as const

/** 我的证书: the certificates on the user's earlier orders, offered when a reissue is applied for. */
export const myCertificates = Effect.fn("orders.myCertificates")(function*(userId: UserId) {
  const orders = yield* (yield* OrderRepository).listByUser(userId, WITH_CERTIFICATE)
  return orders.flatMap((o: Order) =>
    o.state.certificateSerial === null ? [] : [{
      serial: o.state.certificateSerial,
      orderId: o.id,
      holder: o.application.enterprise?.name ?? o.application.holder.name,
      packageName: o.package.name,
      madeAt: o.updatedAt,
    }]
  )
})
