import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Result } from "effect"
import { transition } from "./orderMachine.ts"
import { moneyIn, moneyKept, moneyRefunded, refundDue } from "./orderMoney.ts"
import { initialOrderState, MONEY_EVENTS, TERMINAL, type OrderEvent, type OrderState, type OrderStatus } from "./OrderState.ts"

/** The model: the allowed moves written as a table, independent of the machine's code. */
interface Model {
  status: OrderStatus
  delivery: "express" | "pickup"
  payable: number
  paidTimes: number
  paidAmount: number | null
  applied: number
  rejected: number
  /** Money, kept by the model's own book: every trade's amount, every refund asked for. */
  trades: Map<string, number>
  refunds: Map<string, { trade: string; amount: number; status: "pending" | "refunded" | "failed" }>
  moneyIn: number
  refunded: number
  /** Refunds paid back outside the provider after it refused. */
  offline: number
}
interface Real {
  state: OrderState
}

const ALL: ReadonlyArray<OrderStatus> = [
  "pending_payment", "in_review", "rejected", "approved", "certificate_made", "shipped", "awaiting_pickup", "completed", "cancelled", "refunding", "refunded",
]

type Move = { from: ReadonlyArray<OrderStatus>; to: OrderStatus; when?: (m: Model, e: OrderEvent) => boolean }
const MOVES: Record<OrderEvent["_tag"], Move> = {
  Pay: { from: ["pending_payment"], to: "in_review", when: (m, e) => e._tag === "Pay" && e.amountFen === m.payable && m.paidTimes === 0 },
  Cancel: { from: ["pending_payment"], to: "cancelled" },
  Approve: { from: ["in_review"], to: "approved" },
  Reject: { from: ["in_review"], to: "rejected", when: (_, e) => e._tag === "Reject" && e.reasons.some((r) => r.trim() !== "") },
  Resubmit: { from: ["rejected"], to: "in_review" },
  CertificateMade: { from: ["approved"], to: "certificate_made" },
  Ship: { from: ["certificate_made"], to: "shipped", when: (m) => m.delivery === "express" },
  NotifyPickup: { from: ["certificate_made"], to: "awaiting_pickup", when: (m) => m.delivery === "pickup" },
  ConfirmPickup: { from: ["awaiting_pickup"], to: "completed" },
  ConfirmReceipt: { from: ["shipped"], to: "completed" },
  // Money after the life cycle, written from the model's book (see `moneyAllowed`); `to` is where the status goes.
  LatePayment: { from: ["cancelled", "refunding", "refunded"], to: "cancelled" },
  RequestRefund: { from: ALL, to: "refunding" },
  RefundSettled: { from: ALL, to: "refunded" },
  RefundFailed: { from: ALL, to: "refunding" },
  RefundOffline: { from: ALL, to: "refunded" },
}

/** The order's own trade (the model pays with "T"); a "T" reported for an order never paid is a late payment. */
const own = (m: Model) => (m.paidTimes > 0 ? "T" : null)

const held = (m: Model, trade: string) =>
  (m.trades.get(trade) ?? 0) - [...m.refunds.values()].filter((r) => r.trade === trade && r.status !== "failed").reduce((n, r) => n + r.amount, 0)

/** The money rules as the model sees them: which money events are allowed. */
const moneyAllowed = (m: Model, e: OrderEvent): boolean => {
  switch (e._tag) {
    case "LatePayment":
      return !m.trades.has(e.tradeNo) && e.amountFen > 0
    case "RequestRefund":
    case "RefundOffline": {
      if (!m.trades.has(e.tradeNo)) return false
      if (e._tag === "RefundOffline" && [...m.refunds.values()].filter((r) => r.trade === e.tradeNo).at(-1)?.status !== "failed") return false
      if (e.tradeNo === own(m) && !["approved", "rejected", "refunding"].includes(m.status)) return false
      if (m.refunds.has(e.refundNo) || [...m.refunds.values()].some((r) => r.trade === e.tradeNo && r.status === "pending")) return false
      return e.reason.trim() !== "" && e.amountFen > 0 && e.amountFen <= held(m, e.tradeNo)
    }
    case "RefundSettled":
    case "RefundFailed":
      return m.refunds.get(e.refundNo)?.status === "pending"
    default:
      return true
  }
}

/** Applies an allowed money event to the model's book and says where the status goes. */
const moneyApply = (m: Model, e: OrderEvent): OrderStatus => {
  switch (e._tag) {
    case "LatePayment":
      m.trades.set(e.tradeNo, e.amountFen)
      m.moneyIn += e.amountFen
      return m.status
    case "RequestRefund":
      m.refunds.set(e.refundNo, { trade: e.tradeNo, amount: e.amountFen, status: "pending" })
      return e.tradeNo === own(m) ? "refunding" : m.status
    case "RefundSettled": {
      const r = m.refunds.get(e.refundNo)!
      r.status = "refunded"
      m.refunded += r.amount
      return r.trade === own(m) && m.status === "refunding" ? "refunded" : m.status
    }
    case "RefundFailed":
      m.refunds.get(e.refundNo)!.status = "failed"
      return m.status
    case "RefundOffline":
      m.refunds.set(e.refundNo, { trade: e.tradeNo, amount: e.amountFen, status: "refunded" })
      m.refunded += e.amountFen
      m.offline += 1
      return e.tradeNo === own(m) ? "refunded" : m.status
    default:
      return m.status
  }
}

const invariants = (m: Model, s: OrderState) => {
  expect(s.status).toBe(m.status)
  expect(m.paidTimes).toBeLessThanOrEqual(1)
  // Paid exactly once, for exactly the amount payable, and that never changes afterwards.
  expect(s.payment === null).toBe(m.paidTimes === 0)
  if (s.payment !== null) expect([s.payment.amountFen, s.payableFen]).toEqual([m.paidAmount, m.payable])
  expect(s.payableFen).toBe(m.payable)
  // Nothing beyond review without a payment.
  if (s.payment === null) expect(["pending_payment", "cancelled"]).toContain(s.status)
  if (s.status === "rejected") expect(s.rejectReasons.length).toBeGreaterThan(0)
  if (["shipped", "awaiting_pickup", "completed"].includes(s.status)) expect(s.certificateSerial).not.toBeNull()
  if (s.status === "shipped") expect(s.shipment).not.toBeNull()
  // Money: in = kept + refunded at every step, each figure as the model's own book has it.
  expect([moneyIn(s), moneyRefunded(s), moneyKept(s)]).toEqual([m.moneyIn, m.refunded, m.moneyIn - m.refunded])
  expect(moneyIn(s)).toBe(moneyKept(s) + moneyRefunded(s))
  expect(moneyKept(s)).toBeGreaterThanOrEqual(0)
  // No trade gives back more than it paid, counting refunds in flight.
  for (const trade of m.trades.keys()) expect(held(m, trade)).toBeGreaterThanOrEqual(0)
  // A closed order with money not yet paid back is in the staff queue 待退款; a settled one is not.
  const lateOwed = [...m.trades].filter(([t]) => t !== own(m)).reduce((n, [t, a]) =>
    n + a - [...m.refunds.values()].filter((r) => r.trade === t && r.status === "refunded").reduce((k, r) => k + r.amount, 0), 0)
  expect(refundDue(s)).toBe(m.status === "refunding" || lateOwed > 0)
  if (s.status === "cancelled") expect(s.payment).toBeNull()
  if (s.status === "refunded") expect(moneyRefunded(s)).toBeGreaterThan(0)
}

class Apply implements fc.Command<Model, Real> {
  readonly make: (m: Model) => OrderEvent
  readonly label: string
  constructor(make: (m: Model) => OrderEvent, label: string) {
    this.make = make
    this.label = label
  }
  check = () => true
  run(m: Model, r: Real) {
    const event = this.make(m)
    const wasTerminal = TERMINAL.includes(m.status)
    const move = MOVES[event._tag]
    const money = MONEY_EVENTS.includes(event._tag)
    const allowed = move.from.includes(m.status) && (move.when?.(m, event) ?? true) && moneyAllowed(m, event)
    const out = transition(r.state, event)
    expect(Result.isSuccess(out)).toBe(allowed)
    if (wasTerminal && !money) expect(Result.isFailure(out)).toBe(true)
    if (Result.isSuccess(out)) {
      r.state = out.success
      m.status = money ? moneyApply(m, event) : move.to
      m.applied += 1
      if (event._tag === "Reject") m.rejected += 1
      if (event._tag === "Pay") {
        m.paidTimes += 1
        m.paidAmount = event.amountFen
        m.trades.set(event.tradeNo, event.amountFen)
        m.moneyIn += event.amountFen
      }
    }
    invariants(m, r.state)
  }
  toString = () => this.label
}

/** The happy-path step from the model's state, so that random runs reach the end of the life cycle often. */
const advance = (m: Model, reject: boolean): OrderEvent => {
  switch (m.status) {
    case "pending_payment": return { _tag: "Pay", tradeNo: "T", amountFen: m.payable, at: 1 }
    case "in_review": return reject ? { _tag: "Reject", reasons: ["经办人身份证照片模糊"] } : { _tag: "Approve" }
    case "rejected": return { _tag: "Resubmit" }
    case "approved": return { _tag: "CertificateMade", serialHex: "0A1B" }
    case "certificate_made": return m.delivery === "express" ? { _tag: "Ship", carrier: "顺丰速运", trackingNo: "SF1" } : { _tag: "NotifyPickup" }
    case "shipped": return { _tag: "ConfirmReceipt" }
    case "awaiting_pickup": return { _tag: "ConfirmPickup" }
    default: return { _tag: "Approve" }
  }
}
/** A money step from the model's book: settle or fail what is in flight, pay back what is held, or pay a closed order late. */
const advanceMoney = (m: Model, n: number): OrderEvent => {
  const pending = [...m.refunds].filter(([, r]) => r.status === "pending")
  if (pending.length > 0 && n !== 9) {
    const [refundNo] = pending[n % pending.length]!
    return n < 3 ? { _tag: "RefundFailed", refundNo, reason: "ACQ.SELLER_BALANCE_NOT_ENOUGH" } : { _tag: "RefundSettled", refundNo }
  }
  // Money arriving on a closed order, sometimes while its own refund is still open or refused.
  const late = { _tag: "LatePayment", tradeNo: `L${m.trades.size}`, amountFen: m.payable, at: 2 } as const
  if (n >= 8 && ["cancelled", "refunding", "refunded"].includes(m.status) && m.trades.size < 3) return late
  const owed = [...m.trades.keys()].filter((t) =>
    (t !== own(m) || ["approved", "rejected", "refunding"].includes(m.status)) && held(m, t) > 0 && ![...m.refunds.values()].some((r) => r.trade === t && r.status === "pending"))
  if (owed.length > 0) {
    const trade = owed[n % owed.length]!
    const refusedLast = [...m.refunds.values()].filter((r) => r.trade === trade).at(-1)?.status === "failed"
    if (refusedLast && n % 2 === 0) return { _tag: "RefundOffline", refundNo: `R${m.refunds.size + 1}`, tradeNo: trade, amountFen: held(m, trade), reason: "银行转账退回" }
    return { _tag: "RequestRefund", refundNo: `R${m.refunds.size + 1}`, tradeNo: trade, amountFen: n % 2 === 0 ? Math.max(1, Math.floor(held(m, trade) / 2)) : held(m, trade), reason: "无法制证" }
  }
  return late
}
const moneyCommand = fc.integer({ min: 0, max: 9 }).map((n) => new Apply((m) => advanceMoney(m, n), `Money(${n})`))

const arbTrade = fc.constantFrom("T", "L1", "L2", "X")
const arbRefundNo = fc.constantFrom("R1", "R2", "R3", "R4")
const arbAmount = fc.constantFrom("all", "half", "over", "zero", "negative")
const amountOf = (m: Model, trade: string, a: string) => {
  const h = held(m, trade)
  return a === "all" ? h : a === "half" ? Math.floor(h / 2) : a === "over" ? h + 1 : a === "zero" ? 0 : -1
}

const advanceCommand = fc.integer({ min: 0, max: 9 }).map((n) => new Apply((m) => advance(m, n < 3), n < 3 ? "Advance(reject)" : "Advance"))

const arbReason = fc.constantFrom("", "  ", "营业执照照片不清晰", "授权委托书未盖章")
const commands = [
  ...Array.from({ length: 10 }, () => advanceCommand),
  fc.constantFrom(0, 0, 0, 1, -1, 100).map((d) => new Apply((m) => ({ _tag: "Pay", tradeNo: "T", amountFen: Math.max(0, m.payable + d), at: 1 }), `Pay(${d})`)),
  fc.constant(new Apply(() => ({ _tag: "Cancel" }), "Cancel")),
  fc.constant(new Apply(() => ({ _tag: "Approve" }), "Approve")),
  fc.array(arbReason, { maxLength: 2 }).map((reasons) => new Apply(() => ({ _tag: "Reject", reasons }), `Reject(${reasons})`)),
  fc.constant(new Apply(() => ({ _tag: "Resubmit" }), "Resubmit")),
  fc.constant(new Apply(() => ({ _tag: "CertificateMade", serialHex: "0A1B" }), "CertificateMade")),
  fc.constant(new Apply(() => ({ _tag: "Ship", carrier: "顺丰速运", trackingNo: "SF1234567890" }), "Ship")),
  fc.constant(new Apply(() => ({ _tag: "NotifyPickup" }), "NotifyPickup")),
  fc.constant(new Apply(() => ({ _tag: "ConfirmPickup" }), "ConfirmPickup")),
  fc.constant(new Apply(() => ({ _tag: "ConfirmReceipt" }), "ConfirmReceipt")),
  ...Array.from({ length: 4 }, () => moneyCommand),
  fc.tuple(fc.constantFrom("L1", "L2", "T"), fc.constantFrom(1, 100, 0)).map(([tradeNo, factor]) =>
    new Apply((m) => ({ _tag: "LatePayment", tradeNo, amountFen: factor === 100 ? m.payable : factor, at: 3 }), `LatePayment(${tradeNo},${factor})`)),
  fc.tuple(arbRefundNo, arbTrade, arbAmount, arbReason).map(([refundNo, tradeNo, a, reason]) =>
    new Apply((m) => ({ _tag: "RequestRefund", refundNo, tradeNo, amountFen: amountOf(m, tradeNo, a), reason }), `RequestRefund(${refundNo},${tradeNo},${a},${reason})`)),
  arbRefundNo.map((refundNo) => new Apply(() => ({ _tag: "RefundSettled", refundNo }), `RefundSettled(${refundNo})`)),
  arbRefundNo.map((refundNo) => new Apply(() => ({ _tag: "RefundFailed", refundNo, reason: "ACQ.TRADE_HAS_CLOSE" }), `RefundFailed(${refundNo})`)),
  fc.tuple(arbRefundNo, arbTrade, arbAmount, arbReason).map(([refundNo, tradeNo, a, reason]) =>
    new Apply((m) => ({ _tag: "RefundOffline", refundNo, tradeNo, amountFen: amountOf(m, tradeNo, a), reason }), `RefundOffline(${refundNo},${tradeNo},${a},${reason})`)),
]

describe("order state machine (O5-O9), model-based", () => {
  it("agrees with the table of allowed moves over 1,000 random sequences; invariants hold after every step", () => {
    let reachedCompleted = 0
    let completedAfterRejection = 0
    let partlyRefunded = 0
    let lateRefunded = 0
    let refusedThenRefunded = 0
    let offline = 0
    fc.assert(
      fc.property(fc.constantFrom("express" as const, "pickup" as const), fc.integer({ min: 1, max: 1_000_000 }), fc.commands(commands, { maxCommands: 35, size: "max" }), (delivery, payable, cmds) => {
        const model: Model = {
          status: "pending_payment", delivery, payable, paidTimes: 0, paidAmount: null, applied: 0, rejected: 0, trades: new Map(), refunds: new Map(), moneyIn: 0, refunded: 0, offline: 0,
        }
        const real: Real = { state: initialOrderState(delivery, payable) }
        fc.modelRun(() => ({ model, real }), cmds)
        if (model.status === "completed") reachedCompleted += 1
        if (model.status === "completed" && model.rejected > 0) completedAfterRejection += 1
        if (model.status === "refunded" && model.refunded < (model.paidAmount ?? 0)) partlyRefunded += 1
        const refunds = [...model.refunds.values()]
        if (refunds.some((r) => r.trade !== own(model) && r.status === "refunded")) lateRefunded += 1
        if (refunds.some((r) => r.status === "failed") && refunds.some((r) => r.status === "refunded")) refusedThenRefunded += 1
        if (model.offline > 0) offline += 1
      }),
      { numRuns: 1_000 },
    )
    // The generator must actually reach the end of the life cycle, or the run proves little.
    expect(reachedCompleted).toBeGreaterThan(300)
    expect(completedAfterRejection).toBeGreaterThan(50)
    // ... and the money paths: partial refunds, late payments paid back, a refused refund retried.
    expect(partlyRefunded).toBeGreaterThan(20)
    expect(lateRefunded).toBeGreaterThan(20)
    expect(refusedThenRefunded).toBeGreaterThan(20)
    expect(offline).toBeGreaterThan(10)
  })

  it("a rejected order is edited, resubmitted and approved; its reasons are cleared on approval", () => {
    const steps: ReadonlyArray<OrderEvent> = [
      { _tag: "Pay", tradeNo: "T1", amountFen: 60_500, at: 5 },
      { _tag: "Reject", reasons: ["法定代表人身份证反面缺失", " "] },
      { _tag: "Resubmit" },
      { _tag: "Approve" },
    ]
    let s = initialOrderState("express", 60_500)
    const seen: Array<OrderState> = []
    for (const e of steps) {
      s = Result.getOrThrow(transition(s, e))
      seen.push(s)
    }
    expect(seen.map((x) => x.status)).toEqual(["in_review", "rejected", "in_review", "approved"])
    expect(seen[1]?.rejectReasons).toEqual(["法定代表人身份证反面缺失"])
    expect([s.rejectReasons, s.reviewRounds, s.payment?.tradeNo]).toEqual([[], 2, "T1"])
  })

  it("a second payment is refused with OrderAlreadyPaid, a wrong amount with PaymentAmountMismatch", () => {
    const s0 = initialOrderState("pickup", 100)
    const wrong = transition(s0, { _tag: "Pay", tradeNo: "T", amountFen: 99, at: 1 })
    expect(Result.isFailure(wrong) && wrong.failure._tag).toBe("PaymentAmountMismatch")
    const s1 = Result.getOrThrow(transition(s0, { _tag: "Pay", tradeNo: "T", amountFen: 100, at: 1 }))
    const again = transition(s1, { _tag: "Pay", tradeNo: "T2", amountFen: 100, at: 2 })
    expect(Result.isFailure(again) && again.failure._tag).toBe("OrderAlreadyPaid")
  })

  it("late money paid back while the order's own refund was refused leaves it 退款中 and in 待退款; its own refund then closes it", () => {
    const steps: ReadonlyArray<OrderEvent> = [
      { _tag: "Pay", tradeNo: "T", amountFen: 30_000, at: 1 },
      { _tag: "Approve" },
      { _tag: "RequestRefund", refundNo: "R1", tradeNo: "T", amountFen: 10_000, reason: "无法制证" },
      { _tag: "RefundFailed", refundNo: "R1", reason: "ACQ.SELLER_BALANCE_NOT_ENOUGH" },
      { _tag: "LatePayment", tradeNo: "L1", amountFen: 30_000, at: 2 },
      { _tag: "RequestRefund", refundNo: "R2", tradeNo: "L1", amountFen: 30_000, reason: "订单已关闭后收到的付款" },
      { _tag: "RefundSettled", refundNo: "R2" },
    ]
    let s = initialOrderState("pickup", 30_000)
    for (const e of steps) s = Result.getOrThrow(transition(s, e))
    expect([s.status, refundDue(s), moneyIn(s), moneyRefunded(s), moneyKept(s)]).toEqual(["refunding", true, 60_000, 30_000, 30_000])
    s = Result.getOrThrow(transition(s, { _tag: "RequestRefund", refundNo: "R3", tradeNo: "T", amountFen: 10_000, reason: "无法制证" }))
    s = Result.getOrThrow(transition(s, { _tag: "RefundSettled", refundNo: "R3" }))
    expect([s.status, refundDue(s), moneyKept(s)]).toEqual(["refunded", false, 20_000])
  })
})
