import { Data, Effect, Option, Result } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import type { RecordEventInput } from "../evidence/recordEvent.ts"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { ContractEventSink } from "../ports/ContractEventSink.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
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

const MAX_ATTEMPTS = 8

/** Someone else wrote the contract between our read and our write (internal: the update retries). */
class RevisionConflict extends Data.TaggedError("RevisionConflict")<{}> {}

/** The evidence event of a contract act, from the contract as saved. */
export type ContractEvidence = (saved: Contract) => Omit<RecordEventInput, "ip" | "userAgent">

/**
 * Reads the contract, applies `change`, and writes it back only if nobody
 * wrote in between (revision check); otherwise reads again and retries. This
 * serializes all acts on one contract across processes without locks. The
 * write, the act's evidence event, and what `alongside` writes for the saved
 * contract (history, document versions, a following event) commit in one
 * transaction: an act is there whole or not at all. `change` runs outside it
 * (signing is slow, and on SQLite a transaction holds every writer).
 */
export const updateContract = <E, R, E2 = never, R2 = never>(
  id: NumericId,
  change: (c: Contract) => Effect.Effect<Contract, E, R>,
  evidence?: ContractEvidence,
  alongside?: (saved: Contract) => Effect.Effect<unknown, E2, R2>,
) =>
  Effect.gen(function*() {
    const repo = yield* ContractRepository
    const uow = yield* UnitOfWork
    const sink = yield* Effect.serviceOption(ContractEventSink)
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = yield* repo.find(id)
      if (Option.isNone(current)) return yield* new NotFound({ entity: "contract", id })
      const next = new Contract({ ...(yield* change(current.value)), revision: current.value.revision + 1 })
      const save = Effect.flatMap(repo.save(next, contractBranches(next)), (ok) => (ok ? Effect.succeed(next) : Effect.fail(new RevisionConflict())))
      // Whoever is told of contract writes (webhooks) records in the write's transaction.
      const write = Option.isNone(sink) ? save : Effect.tap(save, (after) => sink.value.changed(current.value, after))
      const act = evidence === undefined ? write : withEvidence(write, evidence)
      const saved = yield* uow.transact(alongside === undefined ? act : Effect.tap(act, alongside)).pipe(
        Effect.map(Option.some),
        Effect.catchTag("RevisionConflict", () => Effect.succeedNone),
      )
      if (Option.isSome(saved)) return saved.value
    }
    return yield* new ContractBusy()
  })

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16))

/** The evidence of an act by `actorId` in `role` on a contract, with the document version it left. */
export const contractEvent = (type: RecordEventInput["type"], role: string, actorId: string | null, data: RecordEventInput["data"] = {}): ContractEvidence => (c) => ({
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
