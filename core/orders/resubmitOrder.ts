import { Effect, Schema } from "effect"
import type { UserId } from "../kernel/Ids.ts"
import { Application, type ApplicationDetails } from "./Application.ts"
import { applyEvent, loadOwnOrder } from "./applyEvent.ts"
import { checkLostCertificate } from "./lostCertificate.ts"
import { Order, type OrderId } from "./Order.ts"
import { InvalidApplication } from "./OrderErrors.ts"

/**
 * O7 修改订单: the buyer replaces the details of a rejected order and sends it
 * back to review. The package, quantity and business stay as paid for; only
 * the details (people, enterprise, materials) change.
 */
export const resubmitOrder = Effect.fn("orders.resubmit")(function*(userId: UserId, id: OrderId, details: ApplicationDetails) {
  const order = yield* loadOwnOrder(userId, id)
  const { business, applicant, packageId, quantity } = order.application
  // What was paid for comes last, so nothing in the edited details can override it.
  const application = yield* Schema.decodeUnknownEffect(Application)({ ...details, business, applicant, packageId, quantity }).pipe(
    Effect.mapError((e) => new InvalidApplication({ issue: e.message })),
  )
  yield* checkLostCertificate(application, order.id)
  return yield* applyEvent(order, { _tag: "Resubmit" }, { kind: "user", id: userId }, {}, (o) => new Order({ ...o, application }))
})
