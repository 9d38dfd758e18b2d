import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { Contract, type SignField } from "./Contract.ts"
import { ContractNotDraft } from "./ContractErrors.ts"
import type { SigningMode } from "./contractMachine.ts"
import { partyKinds } from "./createContract.ts"
import { initiatorOrg, resolveParties, type ContractPartyInput, type InitiatedFor } from "./parties.ts"
import { checkFields, defaultFields, pageBoxes } from "./fieldPlacement.ts"
import { recordHistory, updateContract, visibleContract } from "./store.ts"
import { myContracts } from "./access.ts"

/** What can change while a contract is a draft: everything but its document. */
export interface DraftChanges {
  readonly name: string
  readonly mode: SigningMode
  readonly deadline: number
  readonly parties: ReadonlyArray<ContractPartyInput>
  /** Omitted: the default boxes (a signature per person, a seal and a signature per enterprise) at the foot of the last page. */
  readonly fields?: ReadonlyArray<SignField> | undefined
  /** The enterprise the initiator acts for; absent: as a person. */
  readonly initiatedFor?: InitiatedFor | undefined
}

/** The user's own draft: anyone else is told it does not exist; a sent contract is no draft. */
const ownDraft = (c: Contract, user: User): Effect.Effect<Contract, NotFound | ContractNotDraft> =>
  c.initiatorUserId !== user.id
    ? Effect.fail(new NotFound({ entity: "contract", id: c.id }))
    : c.status !== "draft" ? Effect.fail(new ContractNotDraft({ status: c.status })) : Effect.succeed(c)

/** C1 草稿: the initiator's drafts, newest first. */
export const listDrafts = Effect.fn("contracts.listDrafts")(function*(user: User, limit: number, offset: number) {
  return yield* myContracts(user, { tab: "drafts", limit, offset })
})

/**
 * C1 resume a draft: replaces its name, parties, mode, deadline and boxes
 * (checked against the document's pages). Nothing is sent; the draft's
 * history notes the edit. Only its initiator may.
 */
export const updateDraft = Effect.fn("contracts.updateDraft")(function*(user: User, id: NumericId, changes: DraftChanges) {
  const current = yield* ownDraft(yield* visibleContract(id, user), user)
  const bytes = yield* BlobStore.use((b) => b.get(current.documentSha256))
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "contract document", id })
  const pages = yield* pageBoxes(bytes.value)
  const org = changes.initiatedFor === undefined ? undefined : yield* initiatorOrg(user, changes.initiatedFor)
  const parties = yield* resolveParties(changes.parties)
  const fields = changes.fields ?? defaultFields(pages, partyKinds(parties))
  yield* checkFields(pages, fields, partyKinds(parties))
  const saved = yield* updateContract(id, (c) =>
    Effect.map(ownDraft(c, user), (draft) => {
      const { initiatorOrgName: _n, initiatorEnterpriseId: _e, initiatorBranchId: _b, ...rest } = draft
      return new Contract({ ...rest, ...(org ?? {}), name: changes.name, mode: changes.mode, deadline: changes.deadline, parties, fields })
    }), undefined, () => Effect.flatMap(Clock.currentTimeMillis, (now) => recordHistory(id, now, user.id, "edited", "修改草稿")))
  return saved
})

/** C1 delete a draft: the initiator's own, before it is sent. Its document stays in the blob store (content-addressed, maybe shared). */
export const deleteDraft = Effect.fn("contracts.deleteDraft")(function*(user: User, id: NumericId) {
  const c = yield* ownDraft(yield* visibleContract(id, user), user)
  // The repository deletes only while it is still a draft: a send racing this delete wins or loses as a whole.
  if (!(yield* ContractRepository.use((r) => r.removeDraft(id)))) return yield* new ContractNotDraft({ status: "inProgress" })
  return c
})

/** The user's own draft, to resume editing it (anyone else: not found). */
export const openDraft = Effect.fn("contracts.openDraft")(function*(user: User, id: NumericId) {
  return yield* ownDraft(yield* visibleContract(id, user), user)
})
