import { Clock, Effect, Schema } from "effect"
import type { User } from "../accounts/User.ts"
import type { NumericId } from "../kernel/Ids.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { AppLinks } from "../ports/AppLinks.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { openPdf, pageRefs } from "../signing/pdf/document.ts"
import { Contract, Party, SignField } from "./Contract.ts"
import { ContractDocumentInvalid, NotInitiator, type ContractTransitionError } from "./ContractErrors.ts"
import { applyEvent, contractEvent, notify, recordHistory, updateContract } from "./store.ts"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import type { SigningMode } from "./contractMachine.ts"

/** C1: a contract document is a PDF of at most 50 MB. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

export const PartyInput = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "name.trim" }), Schema.isBetweenLength(1, 40, { message: "name.length" }))),
  mobile: Mobile,
})
export type PartyInput = typeof PartyInput.Type

export interface NewContract {
  readonly name: string
  readonly pdf: Uint8Array
  readonly mode: SigningMode
  readonly deadline: number
  readonly parties: ReadonlyArray<PartyInput>
  readonly fields: ReadonlyArray<SignField>
}

/** The number of pages, or why the bytes are not a signable PDF. */
const checkDocument = (pdf: Uint8Array) =>
  Effect.try({
    try: () => {
      if (pdf.length > MAX_DOCUMENT_BYTES) throw new Error("文件超过 50 MB")
      return pageRefs(openPdf(pdf)).length
    },
    catch: (e) => new ContractDocumentInvalid({ reason: e instanceof Error ? e.message : String((e as { reason?: string }).reason ?? e) }),
  })

const CHINA_OFFSET_MS = 8 * 60 * 60_000
/** 2026-11-30 18:00 (Beijing time), as texted to parties. */
export const beijingTime = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ")

/** C1 发起签约: stores the PDF and the draft; nothing is sent yet. */
export const createContract = Effect.fn("contracts.create")(function*(initiator: User, input: NewContract) {
  const pages = yield* checkDocument(input.pdf)
  for (const f of input.fields) {
    if (f.page > pages) return yield* new ContractDocumentInvalid({ reason: `签署位置在第 ${f.page} 页，文件只有 ${pages} 页` })
    if (f.partyIndex < 0 || f.partyIndex >= input.parties.length) return yield* new ContractDocumentInvalid({ reason: "签署位置不属于任何签署方" })
  }
  const sha = yield* (yield* BlobStore).put(input.pdf)
  const now = yield* Clock.currentTimeMillis
  const contract = new Contract({
    id: yield* (yield* IdGenerator).next,
    name: input.name,
    initiatorUserId: initiator.id,
    mode: input.mode,
    deadline: input.deadline,
    status: "draft",
    parties: input.parties.map((p, index) => new Party({ index, name: p.name, mobile: p.mobile, status: "waiting", actedAt: null, lastRemindedAt: null, viewedAt: null })),
    fields: input.fields,
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
  yield* withEvidence(created, contractEvent("contract.created", "initiator", initiator.id, { parties: contract.parties.length, mode: contract.mode, deadline: contract.deadline }))
  return contract
})

/** C1/C3: sends a draft: every party is texted a link to the signing page. Only the initiator sends. */
export const sendContract = Effect.fn("contracts.send")(function*(initiator: User, id: NumericId) {
  const now = yield* Clock.currentTimeMillis
  const sent = yield* updateContract(id, (c): Effect.Effect<Contract, NotInitiator | ContractTransitionError> =>
    c.initiatorUserId !== initiator.id ? Effect.fail(new NotInitiator()) : applyEvent(c, { _tag: "Send", at: now }),
    contractEvent("contract.sent", "initiator", initiator.id))
  yield* recordHistory(id, now, initiator.id, "sent", "发起签约，已短信通知各签署方")
  const link = (yield* AppLinks).contract(id)
  const from = initiator.name ?? initiator.mobile
  for (const p of sent.parties) {
    yield* notify(p.mobile, `【Signet】${from}邀请您签署《${sent.name}》（签约编号 ${sent.id}），请于 ${beijingTime(sent.deadline)} 前签署：${link}`)
  }
  return sent
})
