import { Effect } from "effect"
import type { UserId } from "../kernel/Ids.ts"
import { applyEvent, loadOwnOrder } from "./applyEvent.ts"
import type { OrderId } from "./Order.ts"

/** O9: the buyer cancels an unpaid order (取消); a paid one can only be refunded by staff. */
export const cancelOrder = Effect.fn("orders.cancel")(function*(userId: UserId, id: OrderId) {
  const order = yield* loadOwnOrder(userId, id)
  return yield* applyEvent(order, { _tag: "Cancel" }, { kind: "user", id: userId })
})
