import { Result } from "effect"
import {
  ContractAlreadySent, ContractIncomplete, ContractNotInProgress, DeadlineNotReached, DeadlinePassed,
  PartyAlreadyActed, PartyNotOnContract, RemindTooSoon, SignerOutOfTurn, type ContractTransitionError,
} from "./ContractErrors.ts"

/**
 * The contract state machine (C5, C6), as a pure function: no I/O, no clock
 * (every event carries its time). Use cases wrap it with persistence, the
 * signing engine and evidence; embedders and property tests drive it directly.
 */
export type ContractStatus = "draft" | "inProgress" | "completed" | "rejected" | "revoked" | "expired"
export type PartyStatus = "waiting" | "signed" | "rejected"
export type SigningMode = "simultaneous" | "sequential"

export interface PartyState {
  readonly id: string
  readonly status: PartyStatus
  readonly actedAt: number | null
  readonly lastRemindedAt: number | null
  readonly viewedAt: number | null
}

export interface ContractState {
  readonly status: ContractStatus
  readonly mode: SigningMode
  /** Epoch ms; at or after it an unfinished contract can only expire. */
  readonly deadline: number
  /** In signing order (the order matters only in sequential mode). */
  readonly parties: ReadonlyArray<PartyState>
  readonly sentAt: number | null
  readonly endedAt: number | null
  readonly rejectionReason: string | null
}

export type ContractEvent =
  | { readonly _tag: "Send"; readonly at: number }
  | { readonly _tag: "View"; readonly party: string; readonly at: number }
  | { readonly _tag: "Sign"; readonly party: string; readonly at: number }
  | { readonly _tag: "Reject"; readonly party: string; readonly reason: string; readonly at: number }
  | { readonly _tag: "Revoke"; readonly at: number }
  | { readonly _tag: "Remind"; readonly party: string; readonly at: number }
  | { readonly _tag: "Expire"; readonly at: number }

export const REMIND_INTERVAL_MS = 60 * 60_000

/** C1/C5: the deadline is still ahead at `at`; at or after it an unfinished contract can only expire (and a new one cannot be sent). */
export const beforeDeadline = (at: number, deadline: number): boolean => at < deadline

export const TERMINAL: ReadonlySet<ContractStatus> = new Set(["completed", "rejected", "revoked", "expired"])

/** A new draft. */
export const draft = (mode: SigningMode, deadline: number, partyIds: ReadonlyArray<string>): ContractState => ({
  status: "draft",
  mode,
  deadline,
  parties: partyIds.map((id) => ({ id, status: "waiting", actedAt: null, lastRemindedAt: null, viewedAt: null })),
  sentAt: null,
  endedAt: null,
  rejectionReason: null,
})

/** Who may sign now: every waiting party (simultaneous) or the first waiting one (sequential). */
export const partiesDue = (s: ContractState): ReadonlyArray<string> => {
  if (s.status !== "inProgress") return []
  const waiting = s.parties.filter((p) => p.status === "waiting").map((p) => p.id)
  return s.mode === "sequential" ? waiting.slice(0, 1) : waiting
}

/**
 * Why `party` (on the contract) may not sign now, or null when they may: the
 * contract is running, they are still waiting, and it is their turn. The one
 * home of "may sign now": the Sign event, the signing page and the acts ask it;
 * the SQL "needs me" tab is pinned to `partiesDue` by its contract test.
 */
export const signRefusal = (s: ContractState, party: string): ContractNotInProgress | PartyAlreadyActed | SignerOutOfTurn | null => {
  if (s.status !== "inProgress") return new ContractNotInProgress({ status: s.status })
  if (s.parties.find((p) => p.id === party)?.status !== "waiting") return new PartyAlreadyActed({ party })
  const due = partiesDue(s)
  return due.includes(party) ? null : new SignerOutOfTurn({ party, waitingFor: due[0] ?? "" })
}

type Step = Result.Result<ContractState, ContractTransitionError>

const updateParty = (s: ContractState, id: string, f: (p: PartyState) => PartyState): ContractState => ({
  ...s,
  parties: s.parties.map((p) => (p.id === id ? f(p) : p)),
})

/** Checks shared by every act on a running contract: a refusal, or the acting party (if any). */
const guard = (s: ContractState, at: number, party?: string): ContractTransitionError | PartyState | null => {
  if (s.status !== "inProgress") return new ContractNotInProgress({ status: s.status })
  if (!beforeDeadline(at, s.deadline)) return new DeadlinePassed()
  if (party === undefined) return null
  return s.parties.find((x) => x.id === party) ?? new PartyNotOnContract({ party })
}

const isRefusal = (g: ContractTransitionError | PartyState | null): g is ContractTransitionError => g !== null && "_tag" in g

const fail = (e: ContractTransitionError): Step => Result.fail(e)

export const transition = (s: ContractState, e: ContractEvent): Step => {
  if (e._tag === "Send") {
    if (s.status !== "draft") return fail(new ContractAlreadySent())
    if (s.parties.length === 0) return fail(new ContractIncomplete({ reason: "no-parties" }))
    if (new Set(s.parties.map((p) => p.id)).size !== s.parties.length) return fail(new ContractIncomplete({ reason: "duplicate-party" }))
    if (!beforeDeadline(e.at, s.deadline)) return fail(new ContractIncomplete({ reason: "deadline-passed" }))
    return Result.succeed({ ...s, status: "inProgress", sentAt: e.at })
  }
  if (e._tag === "Expire") {
    if (s.status !== "inProgress") return fail(new ContractNotInProgress({ status: s.status }))
    if (beforeDeadline(e.at, s.deadline)) return fail(new DeadlineNotReached())
    return Result.succeed({ ...s, status: "expired", endedAt: e.at })
  }
  // Revoking is the initiator's act on a running contract; past the deadline it can only expire.
  if (e._tag === "Revoke") {
    const g = guard(s, e.at)
    return isRefusal(g) ? fail(g) : Result.succeed({ ...s, status: "revoked", endedAt: e.at })
  }
  const g = guard(s, e.at, e.party)
  if (isRefusal(g)) return fail(g)
  const party = g!
  switch (e._tag) {
    case "View":
      return Result.succeed(updateParty(s, e.party, (p) => ({ ...p, viewedAt: p.viewedAt ?? e.at })))
    case "Sign": {
      const refused = signRefusal(s, party.id)
      if (refused !== null) return fail(refused)
      const next = updateParty(s, e.party, (x) => ({ ...x, status: "signed", actedAt: e.at }))
      // The last signature completes the contract (C6 签署成功).
      return Result.succeed(next.parties.every((x) => x.status === "signed") ? { ...next, status: "completed", endedAt: e.at } : next)
    }
    case "Reject":
      // Any waiting party may reject, in either mode; one rejection ends the contract (C5 拒签).
      if (party.status !== "waiting") return fail(new PartyAlreadyActed({ party: e.party }))
      return Result.succeed({
        ...updateParty(s, e.party, (x) => ({ ...x, status: "rejected", actedAt: e.at })),
        status: "rejected",
        endedAt: e.at,
        rejectionReason: e.reason,
      })
    case "Remind": {
      if (party.status !== "waiting") return fail(new PartyAlreadyActed({ party: e.party }))
      const wait = party.lastRemindedAt === null ? 0 : party.lastRemindedAt + REMIND_INTERVAL_MS - e.at
      if (wait > 0) return fail(new RemindTooSoon({ retryAfterSeconds: Math.ceil(wait / 1000) }))
      return Result.succeed(updateParty(s, e.party, (x) => ({ ...x, lastRemindedAt: e.at })))
    }
  }
}

/** Applies events in order, stopping at the first refusal. */
export const replay = (s: ContractState, events: ReadonlyArray<ContractEvent>): Step =>
  events.reduce<Step>((acc, e) => Result.flatMap(acc, (st) => transition(st, e)), Result.succeed(s))
