import { Clock, Effect, Option } from "effect"
import { runAct } from "../acts/aggregate.ts"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { Order, OrderHistoryEntry, type OrderActor, type OrderId } from "./Order.ts"
import { OrderChangedConcurrently } from "./OrderErrors.ts"
import { orderEvidence } from "./orderEvidence.ts"
import { mailOrderNotice, orderNotices } from "./orderNotices.ts"
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
 * The order as an aggregate (core/acts/aggregate.ts): loaded by id, written
 * only if its version is still the one read; a lost race decides again on the
 * newer order, and after too many, OrderChangedConcurrently.
 */
export const orderAggregate = (repo: OrderRepository["Service"], id: OrderId) => ({
  load: loadOrder(id),
  save: (next: Order) => repo.update(next),
  busy: () => new OrderChangedConcurrently({ orderId: id }),
})

/**
 * Runs the state machine on `order` and stores the result together with its
 * timeline entry, its evidence event and the agent's 提醒 row, in one
 * transaction, conditional on the version (see orderAggregate: two
 * concurrent requests, a double notification or two staff clicks, cannot
 * both apply; the second is judged by the machine on the first's result).
 * The agent is texted and e-mailed once it is committed (O10).
 */
export const applyEvent = Effect.fn("orders.applyEvent")(function*(
  order: Order,
  event: OrderEvent,
  actor: OrderActor,
  detail: Record<string, string> = {},
  edit: (o: Order) => Order = (o) => o,
) {
  const repo = yield* OrderRepository
  const { saved } = yield* runAct(orderAggregate(repo, order.id), {
    loaded: order,
    decide: (current: Order) =>
      Effect.gen(function*() {
        const next = yield* Effect.fromResult(transition(current.state, event))
        const now = yield* Clock.currentTimeMillis
        return { next: new Order({ ...edit(current), state: next, version: current.version + 1, updatedAt: now }), result: undefined }
      }),
    within: (saved) =>
      repo.appendHistory(new OrderHistoryEntry({ orderId: saved.id, seq: saved.version, event: event._tag, status: saved.state.status, actor, detail, at: saved.updatedAt })),
    evidence: (saved) => [orderEvidence(saved, event._tag, actor, detail)(undefined)],
    notices: (saved) => orderNotices(saved, event._tag, detail),
    afterCommit: (saved) => mailOrderNotice(saved, event._tag, detail),
  })
  return saved
})
