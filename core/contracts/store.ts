import { Effect, Option, Result } from "effect"
import { runAct, type ActEvidence } from "../acts/aggregate.ts"
import type { RecordEventInput } from "../evidence/recordEvent.ts"
import type { Notice } from "../notifications/notify.ts"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { ContractEventSink } from "../ports/ContractEventSink.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { SMS_CAPS, smsVariable } from "../ports/SmsTemplates.ts"
import { Contract, ContractHistoryEntry, machineState, withState } from "./Contract.ts"
import { ContractBusy, type ContractTransitionError } from "./ContractErrors.ts"
import { openContract, personPartyOf } from "./access.ts"
import { contractBranches } from "./contractBranches.ts"
import { transition, type ContractEvent } from "./contractMachine.ts"

/** The party this user is on the contract as a person (matched by the mobile number invited), if any. */
export const partyOf = personPartyOf

/** A contract the user may see (see access.ts canSee). Anyone else gets "not found", so guessing numbers reveals nothing. */
export const visibleContract = Effect.fn("contracts.visible")(function*(id: NumericId, user: User) {
  return (yield* openContract(id, user)).contract
})

/** The evidence of a contract act, from the contract as saved: one event, or several in order (a signature and the completion it led to). */
export type ContractEvidence = (saved: Contract) => ActEvidence | ReadonlyArray<ActEvidence>

/** What else a contract act may bring to its write (core/acts/aggregate.ts). */
export interface ContractActOptions {
  /** The contract as the caller loaded it for its access checks: the first attempt decides on it without reading it again. */
  readonly loaded?: Contract | undefined
  /** Who is told of the act: the 提醒 rows commit with it, the texts go out after commit. */
  readonly notices?: ((saved: Contract) => ReadonlyArray<Notice>) | undefined
}

/** The contract as stored, or "not found". */
const loadContract = (id: NumericId) =>
  Effect.flatMap(ContractRepository.use((repo) => repo.find(id)), (found) =>
    Option.isNone(found) ? Effect.fail(new NotFound({ entity: "contract", id })) : Effect.succeed(found.value))

/**
 * A contract act through the aggregate write path (core/acts/aggregate.ts):
 * `change` decides the next contract from the current one (outside the
 * transaction: signing is slow, and on SQLite a transaction holds every
 * writer); the write is conditional on the revision read, and with it, in one
 * transaction, whoever is told of contract writes (webhooks), what
 * `alongside` writes for the saved contract (history, document versions),
 * the act's evidence and its notices' 提醒 rows: an act is there whole or
 * not at all. A lost race decides again on the newer contract; after too
 * many, ContractBusy.
 */
export const updateContract = <E, R, E2 = never, R2 = never>(
  id: NumericId,
  change: (c: Contract) => Effect.Effect<Contract, E, R>,
  evidence?: ContractEvidence,
  alongside?: (saved: Contract) => Effect.Effect<unknown, E2, R2>,
  options: ContractActOptions = {},
) =>
  Effect.gen(function*() {
    const repo = yield* ContractRepository
    const sink = yield* ContractEventSink
    const { saved } = yield* runAct({
      load: loadContract(id),
      save: (next: Contract, current: Contract) => repo.save(next, contractBranches(next), current),
      busy: () => new ContractBusy(),
    }, {
      loaded: options.loaded,
      decide: (current: Contract) =>
        Effect.map(change(current), (changed) => ({ next: new Contract({ ...changed, revision: current.revision + 1 }), result: undefined })),
      // Whoever is told of contract writes (webhooks) records in the write's transaction.
      within: (saved, current) => alongside === undefined ? sink.changed(current, saved) : Effect.andThen(sink.changed(current, saved), alongside(saved)),
      evidence: evidence === undefined ? undefined : (saved) => {
        const events = evidence(saved)
        return Array.isArray(events) ? events : [events as ActEvidence]
      },
      notices: options.notices,
    })
    return saved
  })

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16))

/** The evidence of an act by `actorId` in `role` on a contract, with the document version it left. */
export const contractEvent = (type: RecordEventInput["type"], role: string, actorId: string | null, data: RecordEventInput["data"] = {}) => (c: Contract): ActEvidence => ({
  type,
  subjectId: c.id,
  role,
  ...(actorId === null ? {} : { actor: actorId }),
  document: { sha256: hexBytes(c.documentSha256) },
  data: { status: c.status, version: c.documentVersion, ...data },
})

/** Applies a machine event to a contract (failing with the machine's refusal). */
export const applyEvent = (c: Contract, event: ContractEvent): Effect.Effect<Contract, ContractTransitionError> => {
  const r = transition(machineState(c), event)
  return Result.isSuccess(r) ? Effect.succeed(withState(c, r.success)) : Effect.fail(r.failure)
}

export const recordHistory = (contractId: NumericId, at: number, actorUserId: string | null, action: string, detail: string) =>
  ContractRepository.use((repo) => repo.addHistory(new ContractHistoryEntry({ contractId, at, actorUserId, action, detail })))

/** Tells a party (提醒 and SMS, core/notifications/notify.ts); a failure never undoes the act it reports (it is in the history either way). */
export { notify } from "../notifications/notify.ts"

/** The contract's name (user text: capped, no links or numbers) and number, as SMS variables. */
export const contractVars = (c: Pick<Contract, "name" | "id">) => ({ name: smsVariable(c.name, SMS_CAPS.contractName), id: c.id })
