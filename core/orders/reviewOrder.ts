import { Effect } from "effect"
import type { StaffId } from "../kernel/Ids.ts"
import { applyEvent, loadOrder } from "./applyEvent.ts"
import { checkLostCertificate } from "./lostCertificate.ts"
import type { OrderId } from "./Order.ts"

/**
 * O7: staff approve a paid order's materials; it waits for processing (待处理).
 * A reissue whose lost certificate fails the check (unknown serial, another
 * holder's) cannot be approved: staff reject it with a reason instead.
 */
export const approveOrder = Effect.fn("orders.approve")(function*(staffId: StaffId, id: OrderId) {
  const order = yield* loadOrder(id)
  yield* checkLostCertificate(order.application, order.id)
  return yield* applyEvent(order, { _tag: "Approve" }, { kind: "staff", id: staffId })
})

/** O7: staff reject with at least one reason; the buyer sees 审核不通过 and the reasons, edits and resubmits. */
export const rejectOrder = Effect.fn("orders.reject")(function*(staffId: StaffId, id: OrderId, reasons: ReadonlyArray<string>) {
  return yield* applyEvent(yield* loadOrder(id), { _tag: "Reject", reasons }, { kind: "staff", id: staffId }, {
    reasons: reasons.map((r) => r.trim()).filter((r) => r !== "").join("；"),
  })
})
