import { Clock, Effect } from "effect"
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
import { checkFields, defaultFields, type PartyKind } from "./fieldPlacement.ts"
import { initiatorOrg, resolveParties, type ContractPartyInput, type InitiatedFor } from "./parties.ts"
import { NotFound } from "../kernel/errors.ts"
import { applyEvent, contractEvent, notify, recordHistory, updateContract } from "./store.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import type { SigningMode } from "./contractMachine.ts"

/** C1: a contract document is a PDF of at most 50 MB. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

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
  /** The enterprise (and branch) the initiator acts for; absent: they initiate as a person. */
  readonly initiatedFor?: InitiatedFor | undefined
}

/** Person or enterprise, per party, for placing and checking boxes. */
export const partyKinds = (parties: ReadonlyArray<Party>): ReadonlyArray<PartyKind> => parties.map((p) => (isEnterpriseParty(p) ? "enterprise" : "person"))

/** The pages' areas, or why the bytes are not a PDF the signing engine can sign (read off the request thread). */
const checkDocument = (pdf: Uint8Array) =>
  pdf.length > MAX_DOCUMENT_BYTES
    ? Effect.fail(new ContractDocumentInvalid({ reason: "文件超过 50 MB" }))
    : untrusted("pdf.pages", pdf).pipe(
      Effect.mapError((e) => new ContractDocumentInvalid({ reason: workRefusedMessage(e) })),
      Effect.flatMap((r) => r.ok ? Effect.succeed(r.pages) : Effect.fail(new ContractDocumentInvalid({ reason: r.reason }))),
    )

const CHINA_OFFSET_MS = 8 * 60 * 60_000
/** 2026-11-30 18:00 (Beijing time), as texted to parties. */
export const beijingTime = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ")

/** C1 发起签约: stores the PDF and the draft; nothing is sent yet. */
export const createContract = Effect.fn("contracts.create")(function*(initiator: User, input: NewContract) {
  const pages = yield* checkDocument(input.pdf)
  const org = input.initiatedFor === undefined ? undefined : yield* initiatorOrg(initiator, input.initiatedFor)
  const parties = yield* resolveParties(input.parties)
  const fields = input.fields ?? defaultFields(pages, partyKinds(parties))
  yield* checkFields(pages, fields, partyKinds(parties))
  const sha = yield* (yield* BlobStore).put(input.pdf)
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
  const repo = yield* ContractRepository
  const created = (yield* UnitOfWork).transact(Effect.gen(function*() {
    yield* repo.insert(contract)
    yield* repo.addVersion(contract.id, 0, sha, now)
    yield* recordHistory(contract.id, now, initiator.id, "created", `${initiator.name ?? initiator.mobile} 创建合同`)
    return contract
  }))
  yield* withEvidence(created, contractEvent("contract.created", "initiator", initiator.id, {
    parties: contract.parties.length, mode: contract.mode, deadline: contract.deadline,
    enterpriseParties: contract.parties.filter(isEnterpriseParty).length, initiatorEnterpriseId: contract.initiatorEnterpriseId ?? null,
  }))
  return contract
})

/**
 * C1/C3: sends a draft: every party is texted a link to the signing page. Only
 * the initiator sends (anyone else is told it does not exist). The evidence
 * records what was sent: parties, mode, deadline (a draft may have been edited since it was created).
 */
export const sendContract = Effect.fn("contracts.send")(function*(initiator: User, id: NumericId) {
  const now = yield* Clock.currentTimeMillis
  const sent = yield* updateContract(id, (c): Effect.Effect<Contract, NotFound | ContractTransitionError> =>
    c.initiatorUserId !== initiator.id ? Effect.fail(new NotFound({ entity: "contract", id })) : applyEvent(c, { _tag: "Send", at: now }),
    (c) => contractEvent("contract.sent", "initiator", initiator.id, { parties: c.parties.length, mode: c.mode, deadline: c.deadline })(c))
  yield* recordHistory(id, now, initiator.id, "sent", "发起签约，已短信通知各签署方")
  const link = (yield* AppLinks).contract(id)
  const from = sent.initiatorOrgName === undefined ? initiator.name ?? initiator.mobile : `${sent.initiatorOrgName}（${initiator.name ?? initiator.mobile}）`
  for (const p of sent.parties) {
    // An enterprise party's contact is texted on the enterprise's behalf.
    const whom = isEnterpriseParty(p) ? `贵企业（${p.name}）` : "您"
    yield* notify(p.mobile, `【Signet】${from}邀请${whom}签署《${sent.name}》（签约编号 ${sent.id}），请于 ${beijingTime(sent.deadline)} 前签署：${link}`)
  }
  return sent
})
