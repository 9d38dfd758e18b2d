import { Effect } from "effect"
import type { UserId } from "../kernel/Ids.ts"
import { loadOrder, loadOwnOrder } from "./applyEvent.ts"
import { ORDER_TABS, type OrderId, type OrderTab } from "./Order.ts"
import { type OrderSearch, OrderRepository } from "../ports/OrderRepository.ts"

/** O9 我的订单: one tab of the buyer's orders, newest first. */
export const listMyOrders = Effect.fn("orders.listMine")(function*(userId: UserId, tab: OrderTab) {
  return yield* (yield* OrderRepository).listByUser(userId, ORDER_TABS[tab])
})

/** O9 order detail with its timeline; another user's order is not found. */
export const getMyOrder = Effect.fn("orders.getMine")(function*(userId: UserId, id: OrderId) {
  const order = yield* loadOwnOrder(userId, id)
  return { order, history: yield* (yield* OrderRepository).history(id) }
})

/** X2 queues: paid orders to review, approved orders to fulfil, keys ready for pickup or on their way. */
export const STAFF_QUEUES = {
  review: ["in_review"],
  fulfil: ["approved", "certificate_made"],
  handover: ["shipped", "awaiting_pickup"],
} as const

/** 待退款: money not yet paid back (a refund refused or unanswered, late money). */
export type StaffQueue = keyof typeof STAFF_QUEUES | "refunds"

export const staffQueue = Effect.fn("orders.staffQueue")(function*(queue: StaffQueue, limit = 100) {
  const repo = yield* OrderRepository
  return queue === "refunds" ? yield* repo.listRefundDue(limit) : yield* repo.listByStatus(STAFF_QUEUES[queue], limit)
})

export const getOrderForStaff = Effect.fn("orders.getForStaff")(function*(id: OrderId) {
  const order = yield* loadOrder(id)
  return { order, history: yield* (yield* OrderRepository).history(id) }
})

/** Staff search results per page; with the repository's count cap this bounds how far paging goes. */
export const SEARCH_PAGE_SIZE = 20

/** X3 order search (number, applicant, company, mobile, status, date range), `page` from 1, newest first. */
export const searchOrders = Effect.fn("orders.search")(function*(criteria: OrderSearch, page: number) {
  const result = yield* (yield* OrderRepository).search(criteria, (Math.max(1, page) - 1) * SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE)
  return { ...result, page: Math.max(1, page), pages: Math.max(1, Math.ceil(result.total / SEARCH_PAGE_SIZE)) }
})
