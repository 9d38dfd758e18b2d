import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Result } from "effect"
import { transition } from "./orderMachine.ts"
import { initialOrderState, TERMINAL, type OrderEvent, type OrderState, type OrderStatus } from "./OrderState.ts"

/** The model: the allowed moves written as a table, independent of the machine's code. */
interface Model {
  status: OrderStatus
  delivery: "express" | "pickup"
  payable: number
  paidTimes: number
  paidAmount: number | null
  applied: number
  rejected: number
}
interface Real {
  state: OrderState
}

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
  Refund: { from: ["approved", "rejected"], to: "refunded", when: (_, e) => e._tag === "Refund" && e.reason.trim() !== "" },
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
    const allowed = move.from.includes(m.status) && (move.when?.(m, event) ?? true)
    const out = transition(r.state, event)
    expect(Result.isSuccess(out)).toBe(allowed)
    if (wasTerminal) expect(Result.isFailure(out)).toBe(true)
    if (Result.isSuccess(out)) {
      r.state = out.success
      m.status = move.to
      m.applied += 1
      if (event._tag === "Reject") m.rejected += 1
      if (event._tag === "Pay") {
        m.paidTimes += 1
        m.paidAmount = event.amountFen
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
  arbReason.map((reason) => new Apply(() => ({ _tag: "Refund", reason }), `Refund(${reason})`)),
]

describe("order state machine (O5-O9), model-based", () => {
  it("agrees with the table of allowed moves over 1,000 random sequences; invariants hold after every step", () => {
    let reachedCompleted = 0
    let completedAfterRejection = 0
    fc.assert(
      fc.property(fc.constantFrom("express" as const, "pickup" as const), fc.integer({ min: 1, max: 1_000_000 }), fc.commands(commands, { maxCommands: 25, size: "max" }), (delivery, payable, cmds) => {
        const model: Model = { status: "pending_payment", delivery, payable, paidTimes: 0, paidAmount: null, applied: 0, rejected: 0 }
        const real: Real = { state: initialOrderState(delivery, payable) }
        fc.modelRun(() => ({ model, real }), cmds)
        if (model.status === "completed") reachedCompleted += 1
        if (model.status === "completed" && model.rejected > 0) completedAfterRejection += 1
      }),
      { numRuns: 1_000 },
    )
    // The generator must actually reach the end of the life cycle, or the run proves little.
    expect(reachedCompleted).toBeGreaterThan(300)
    expect(completedAfterRejection).toBeGreaterThan(50)
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
})
