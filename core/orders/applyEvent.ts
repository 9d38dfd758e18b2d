import { Clock, Effect, Option } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { Order, OrderHistoryEntry, type OrderActor, type OrderId } from "./Order.ts"
import { OrderChangedConcurrently } from "./OrderErrors.ts"
import { orderEvidence } from "./orderEvidence.ts"
import { sendOrderNotice } from "./orderNotices.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import { transition } from "./orderMachine.ts"
import type { OrderEvent } from "./OrderState.ts"

export const loadOrder = Effect.fn("orders.load")(function*(id: OrderId) {
  const found = yield* (yield* OrderRepository).find(id)
  if (Option.isNone(found)) return yield* new NotFound({ entity: "order", id })
  return found.value
})

/** Another user's order is "not found", never "forbidden": order numbers reveal nothing. */
export const loadOwnOrder = Effect.fn("orders.loadOwn")(function*(userId: UserId, id: OrderId) {
  const order = yield* loadOrder(id)
  if (order.userId !== userId) return yield* new NotFound({ entity: "order", id })
  return order
})

/**
 * Runs the state machine on `order` and stores the result together with its
 * timeline entry and its evidence event, in one transaction. The write is conditional on the version
 * read, so two concurrent requests (a double notification, two staff clicks)
 * cannot both apply: the loser gets OrderChangedConcurrently and writes nothing.
 * The agent is texted about the change once it is committed (O10).
 */
export const applyEvent = Effect.fn("orders.applyEvent")(function*(
  order: Order,
  event: OrderEvent,
  actor: OrderActor,
  detail: Record<string, string> = {},
  edit: (o: Order) => Order = (o) => o,
) {
  const next = yield* Effect.fromResult(transition(order.state, event))
  const now = yield* Clock.currentTimeMillis
  const updated = new Order({ ...edit(order), state: next, version: order.version + 1, updatedAt: now })
  const repo = yield* OrderRepository
  yield* withEvidence((yield* UnitOfWork).transact(Effect.gen(function*() {
    if (!(yield* repo.update(updated))) return yield* new OrderChangedConcurrently({ orderId: order.id })
    yield* repo.appendHistory(
      new OrderHistoryEntry({ orderId: order.id, seq: updated.version, event: event._tag, status: next.status, actor, detail, at: now }),
    )
  })), orderEvidence(updated, event._tag, actor, detail))
  yield* sendOrderNotice(updated, event._tag, detail)
  return updated
})
