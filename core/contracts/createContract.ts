import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { untrusted, workRefusedMessage } from "../ports/UntrustedWork.ts"
import { Contract, isEnterpriseParty, type Party, type SignField } from "./Contract.ts"
import { ContractDocumentInvalid, type ContractTransitionError } from "./ContractErrors.ts"
import { contractBranches } from "./contractBranches.ts"
import { checkFields, defaultFields, type PartyKind } from "./fieldPlacement.ts"
import { initiatorOrg, resolveParties, type ContractPartyInput, type InitiatedFor } from "./parties.ts"
import { holdsInitiation } from "./access.ts"
import { mayTextOthers } from "./textingRights.ts"
import { NotFound } from "../kernel/errors.ts"
import { SMS_CAPS, smsVariable } from "../ports/SmsTemplates.ts"
import { applyEvent, contractEvent, contractVars, notify, recordHistory, updateContract } from "./store.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { documentSm3 } from "../evidence/recordEvent.ts"
import type { SigningMode } from "./contractMachine.ts"
import { beijingMinutes } from "../kernel/time.ts"

import { MAX_DOCUMENT_BYTES } from "./NewContract.ts"
import type { PageArea } from "../untrusted/tasks.ts"

export { PartyInput } from "./parties.ts"

export interface NewContract {
  readonly name: string
  readonly pdf: Uint8Array
  readonly mode: SigningMode
  readonly deadline: number
  /** Persons by mobile, enterprises by name (C1). */
  readonly parties: ReadonlyArray<ContractPartyInput>
  /**
   * Boxes placed on the pages (C1); omitted: a signature box per person and a
   * seal box plus a signature box per enterprise at the foot of the last page.
   */
  readonly fields?: ReadonlyArray<SignField> | undefined
  /**
   * The pages of a document the platform drew itself (a built-in template: renderTemplate), known without reading
   * the bytes again. Never given for bytes someone sent: those are read off the request thread (checkDocument).
   */
  readonly pages?: ReadonlyArray<PageArea> | undefined
  /** The enterprise (and branch) the initiator acts for; absent: they initiate as a person. */
  readonly initiatedFor?: InitiatedFor | undefined
}

/** Person or enterprise, per party, for placing and checking boxes. */
export const partyKinds = (parties: ReadonlyArray<Party>): ReadonlyArray<PartyKind> => parties.map((p) => (isEnterpriseParty(p) ? "enterprise" : "person"))

/** The pages' areas, or why the bytes are not a PDF the signing engine can sign (read off the request thread). */
export const checkDocument = (pdf: Uint8Array) =>
  pdf.length > MAX_DOCUMENT_BYTES
    ? Effect.fail(new ContractDocumentInvalid({ reason: "文件超过 50 MB" }))
    : untrusted("pdf.pages", pdf).pipe(
      Effect.mapError((e) => new ContractDocumentInvalid({ reason: workRefusedMessage(e) })),
      Effect.flatMap((r) => r.ok ? Effect.succeed(r.pages) : Effect.fail(new ContractDocumentInvalid({ reason: r.reason }))),
    )


/**
 * C1, before any transaction: the document checked (off the request thread), the parties resolved, the boxes placed
 * and checked, the PDF stored; returns the draft to record. Slow work stays out of the transaction that records it
 * (on SQLite a transaction holds the one connection, so every other request's queries wait for it).
 */
export const prepareContract = Effect.fn("contracts.prepare")(function*(initiator: User, input: NewContract) {
  const pages = input.pages ?? (yield* checkDocument(input.pdf))
  const org = input.initiatedFor === undefined ? undefined : yield* initiatorOrg(initiator, input.initiatedFor)
  const parties = yield* resolveParties(input.parties)
  const fields = input.fields ?? defaultFields(pages, partyKinds(parties))
  yield* checkFields(pages, fields, partyKinds(parties))
  const sha = yield* (yield* BlobStore).put(input.pdf)
  // The evidence names the document by SM3 too: from the bytes in hand, not read back from the store in the transaction.
  const sm3 = yield* documentSm3(input.pdf)
  const now = yield* Clock.currentTimeMillis
  const contract = new Contract({
    id: yield* (yield* IdGenerator).next,
    name: input.name,
    initiatorUserId: initiator.id,
    ...(org === undefined ? {} : org),
    mode: input.mode,
    deadline: input.deadline,
    status: "draft",
    parties,
    fields,
    documentSha256: sha,
    documentVersion: 0,
    createdAt: now,
    sentAt: null,
    endedAt: null,
    rejectionReason: null,
    revision: 0,
  })
  return { contract, sm3 } satisfies PreparedContract
})

/** A draft ready to record: the contract and its document's SM3 (its SHA-256 is the contract's documentSha256). */
export interface PreparedContract {
  readonly contract: Contract
  readonly sm3: Uint8Array
}

/** C1: writes a prepared draft (`prepareContract`), its first version and history, with its evidence, in one transaction. */
export const recordContract = Effect.fn("contracts.record")(function*(initiator: User, { contract, sm3 }: PreparedContract) {
  const repo = yield* ContractRepository
  const created = (yield* UnitOfWork).transact(Effect.gen(function*() {
    yield* repo.insert(contract, contractBranches(contract))
    yield* repo.addVersion(contract.id, 0, contract.documentSha256, contract.createdAt)
    yield* recordHistory(contract.id, contract.createdAt, initiator.id, "created", `${initiator.name ?? initiator.mobile} 创建合同`)
    return contract
  }))
  const event = contractEvent("contract.created", "initiator", initiator.id, {
    parties: contract.parties.length, mode: contract.mode, deadline: contract.deadline,
    enterpriseParties: contract.parties.filter(isEnterpriseParty).length, initiatorEnterpriseId: contract.initiatorEnterpriseId ?? null,
  })
  return yield* withEvidence(created, (c) => {
    const e = event(c)
    return { ...e, document: { sha256: e.document!.sha256, sm3 } }
  })
})

/** C1 发起签约: stores the PDF and the draft; nothing is sent yet. */
export const createContract = Effect.fn("contracts.create")(function*(initiator: User, input: NewContract) {
  return yield* recordContract(initiator, yield* prepareContract(initiator, input))
})

/**
 * C1/C3: sends a draft: every party is texted a link to the signing page. Only
 * the initiator sends (anyone else is told it does not exist). The evidence
 * records what was sent: parties, mode, deadline (a draft may have been edited since it was created).
 */
export const sendContract = Effect.fn("contracts.send")(function*(
  initiator: User,
  id: NumericId,
  /** The draft as the caller just recorded it (same id): not read again; the write's version check still guards it. */
  recorded?: Contract,
) {
  const draft = recorded !== undefined && recorded.id === id ? Option.some(recorded) : yield* ContractRepository.use((r) => r.find(id))
  // A draft for an enterprise the initiator no longer acts for (注销) is no longer theirs.
  if (Option.isNone(draft) || !(yield* holdsInitiation(draft.value, initiator.id))) return yield* new NotFound({ entity: "contract", id })
  // Texts go to numbers the initiator chose: a verified identity and today's quotas first (issue 16).
  if (draft.value.status === "draft") yield* mayTextOthers(initiator, draft.value.parties.map((p) => p.mobile))
  const now = yield* Clock.currentTimeMillis
  const sent = yield* updateContract(id, (c): Effect.Effect<Contract, NotFound | ContractTransitionError> =>
    c.initiatorUserId !== initiator.id ? Effect.fail(new NotFound({ entity: "contract", id })) : applyEvent(c, { _tag: "Send", at: now }),
    (c) => contractEvent("contract.sent", "initiator", initiator.id, { parties: c.parties.length, mode: c.mode, deadline: c.deadline })(c),
    () => recordHistory(id, now, initiator.id, "sent", "发起签约，已短信通知各签署方"),
    // Decided on the draft just read (a write in between fails the save's version check and the act reads it again).
    { loaded: draft.value })
  const link = (yield* AppLinks).contract(id)
  // Names are user text too: capped, and a mobile never stands for a missing name (no numbers in texts).
  const person = smsVariable(initiator.name ?? "Signet 用户", SMS_CAPS.name)
  const from = sent.initiatorOrgName === undefined ? person : `${smsVariable(sent.initiatorOrgName, SMS_CAPS.name)}（${person}）`
  for (const p of sent.parties) {
    // An enterprise party's contact is texted on the enterprise's behalf.
    const whom = isEnterpriseParty(p) ? `贵企业（${smsVariable(p.name, SMS_CAPS.name)}）` : "您"
    yield* notify(p.mobile, { template: "SIGNET_CONTRACT_SENT", vars: { ...contractVars(sent), from, whom, deadline: beijingMinutes(sent.deadline), link } })
  }
  return sent
})
