import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Result } from "effect"
import { arbContractSetup, contractCommands, type ContractModel, type ContractReal } from "../../fixtures/contractCommands.ts"
import { draft, partiesDue, replay, transition, type ContractState } from "./contractMachine.ts"

const T0 = Date.parse("2026-11-23T09:00:00+08:00")
const H = 60 * 60_000

const ok = (r: Result.Result<ContractState, unknown>) => {
  if (Result.isFailure(r)) throw new Error(`refused: ${JSON.stringify(r.failure)}`)
  return r.success
}
const refusal = (r: Result.Result<ContractState, { _tag: string }>) => (Result.isFailure(r) ? r.failure._tag : "accepted")

describe("contract state machine (C5, C6)", () => {
  it("sequential: signs in order and completes with the last signature", () => {
    let s = ok(transition(draft("sequential", T0 + 72 * H, ["a", "b", "c"]), { _tag: "Send", at: T0 }))
    expect(partiesDue(s)).toEqual(["a"])
    expect(refusal(transition(s, { _tag: "Sign", party: "b", at: T0 + 1 }))).toBe("SignerOutOfTurn")
    s = ok(replay(s, [{ _tag: "Sign", party: "a", at: T0 + 1 }, { _tag: "Sign", party: "b", at: T0 + 2 }]))
    expect(s.status).toBe("inProgress")
    s = ok(transition(s, { _tag: "Sign", party: "c", at: T0 + 3 }))
    expect([s.status, s.endedAt]).toEqual(["completed", T0 + 3])
    expect(refusal(transition(s, { _tag: "Sign", party: "c", at: T0 + 4 }))).toBe("ContractNotInProgress")
  })

  it("refuses acts after the deadline; only expiry is left", () => {
    const s = ok(transition(draft("simultaneous", T0 + H, ["a", "b"]), { _tag: "Send", at: T0 }))
    expect(refusal(transition(s, { _tag: "Expire", at: T0 + H - 1 }))).toBe("DeadlineNotReached")
    expect(refusal(transition(s, { _tag: "Sign", party: "a", at: T0 + H }))).toBe("DeadlinePassed")
    expect(refusal(transition(s, { _tag: "Revoke", at: T0 + H }))).toBe("DeadlinePassed")
    expect(ok(transition(s, { _tag: "Expire", at: T0 + H })).status).toBe("expired")
  })

  it("one rejection ends the contract, with its reason; reminders once an hour", () => {
    let s = ok(transition(draft("simultaneous", T0 + 72 * H, ["a", "b"]), { _tag: "Send", at: T0 }))
    s = ok(transition(s, { _tag: "Remind", party: "b", at: T0 + 1 }))
    const tooSoon = transition(s, { _tag: "Remind", party: "b", at: T0 + 1 + 30 * 60_000 })
    expect(Result.isFailure(tooSoon) && tooSoon.failure._tag === "RemindTooSoon" ? tooSoon.failure.retryAfterSeconds : 0).toBe(1800)
    s = ok(transition(s, { _tag: "Reject", party: "b", reason: "金额有误", at: T0 + 2 * H }))
    expect([s.status, s.rejectionReason]).toEqual(["rejected", "金额有误"])
    expect(refusal(transition(s, { _tag: "Sign", party: "a", at: T0 + 3 * H }))).toBe("ContractNotInProgress")
  })

  it("a draft needs parties, distinct ones, and a future deadline", () => {
    expect(refusal(transition(draft("sequential", T0 + H, []), { _tag: "Send", at: T0 }))).toBe("ContractIncomplete")
    expect(refusal(transition(draft("sequential", T0 + H, ["a", "a"]), { _tag: "Send", at: T0 }))).toBe("ContractIncomplete")
    expect(refusal(transition(draft("sequential", T0, ["a"]), { _tag: "Send", at: T0 }))).toBe("ContractIncomplete")
    expect(refusal(transition(draft("sequential", T0 + H, ["a"]), { _tag: "Sign", party: "a", at: T0 }))).toBe("ContractNotInProgress")
  })

  it("model-based: 1,000 random command sequences agree with the model and keep the invariants", () => {
    let sequences = 0
    fc.assert(
      fc.property(arbContractSetup, fc.commands(contractCommands, { maxCommands: 40 }), (setup, cmds) => {
        sequences += 1
        const real: ContractReal = { state: draft(setup.mode, setup.start + setup.deadlineAfterMs, setup.parties), now: setup.start }
        const model: ContractModel = {
          status: "draft", mode: setup.mode, deadline: setup.start + setup.deadlineAfterMs, now: setup.start,
          parties: setup.parties, signed: setup.parties.map(() => false), lastReminded: setup.parties.map(() => null),
        }
        fc.modelRun(() => ({ model, real }), cmds)
      }),
      { numRuns: 1000 },
    )
    // The acceptance criterion counts sequences actually run (CI runs this same file).
    expect(sequences).toBeGreaterThanOrEqual(1000)
  })
})
