import { Clock, Effect, Option } from "effect"
import type { User } from "../accounts/User.ts"
import { SignField, type Contract } from "../contracts/Contract.ts"
import { downloadContract, remindParty, revokeContract } from "../contracts/contractActs.ts"
import { prepareContract, recordContract, sendContract } from "../contracts/createContract.ts"
import type { ContractPartyInput } from "../contracts/parties.ts"
import { AutoSignRepository } from "../ports/AutoSignRepository.ts"
import type { SigningMode } from "../contracts/contractMachine.ts"
import { renderTemplate, templates } from "../contracts/templates.ts"
import { exportBundle } from "../evidence/exportBundle.ts"
import { NotFound } from "../kernel/errors.ts"
import type { NumericId, UserId } from "../kernel/Ids.ts"
import type { EnterpriseId } from "../organizations/Enterprise.ts"
import { ContractRepository } from "../ports/ContractRepository.ts"
import { EnterpriseRepository } from "../ports/EnterpriseRepository.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import type { ApiKey } from "./Api.ts"
import { ApiRepository, type EnterpriseContractQuery } from "../ports/ApiRepository.ts"
import { TemplateInputInvalid } from "./ApiErrors.ts"
import { filledTemplate } from "../contracts/fillTemplate.ts"
import { orgScope } from "../organizations/orgScope.ts"

/** The document of a new API contract: an uploaded PDF, or a template filled in. */
export type ApiDocument =
  | { readonly _tag: "Upload"; readonly pdf: Uint8Array; readonly fields?: ReadonlyArray<SignField> | undefined }
  | { readonly _tag: "Template"; readonly templateId: string; readonly values: Readonly<Record<string, string>> }

export interface NewApiContract {
  readonly name: string
  readonly mode: SigningMode
  readonly deadline: number
  readonly parties: ReadonlyArray<ContractPartyInput>
  readonly document: ApiDocument
}

const userOf = (id: UserId) =>
  Effect.flatMap(UserRepository.use((r) => r.findById(id)), (u) => Option.isSome(u) ? Effect.succeed(u.value) : Effect.die(`user ${id} is gone`))

/**
 * The person an API contract is initiated as: the enterprise's admin (the
 * contract carries a person as initiator; which enterprise it was made for is
 * recorded beside it). Later acts through the API act as the contract's own
 * initiator, so an admin handover does not orphan older contracts.
 */
const enterpriseInitiator = (enterpriseId: EnterpriseId) =>
  Effect.flatMap(EnterpriseRepository.use((r) => r.findById(enterpriseId)), (e) =>
    Option.isSome(e) ? userOf(e.value.adminUserId) : Effect.die(`enterprise ${enterpriseId} is gone`))

/** One signature box per party on page 1, as the portal places them when none are given. */
const defaultFields = (parties: number): ReadonlyArray<SignField> =>
  Array.from({ length: parties }, (_, i) => new SignField({ partyIndex: i, page: 1, x: 50 + (i % 3) * 170, y: 60 + Math.floor(i / 3) * 80, width: 150, height: 60, kind: "signature" }))

/**
 * An enterprise template (模板, 19-digit id) of the key's enterprise, filled with the request's values; parties
 * of the API are persons. The template's own problems are the request's (422 invalid_template).
 */
const enterpriseTemplate = (initiator: User, enterpriseId: EnterpriseId, doc: Extract<ApiDocument, { _tag: "Template" }>, parties: number) =>
  orgScope(initiator.id, enterpriseId).pipe(
    Effect.flatMap((scope) => filledTemplate(scope, doc.templateId, doc.values, Array.from({ length: parties }, () => "person" as const))),
    Effect.map(({ pdf, fields }) => ({ pdf, fields: fields ?? defaultFields(parties), pages: undefined })),
    Effect.catchTags({
      NotFound: () => Effect.fail(new TemplateInputInvalid({ field: "template.id", reason: "unknown template of this enterprise" })),
      Forbidden: () => Effect.fail(new TemplateInputInvalid({ field: "template.id", reason: "the enterprise's admin may not initiate contracts" })),
      TemplateValuesInvalid: (e) => Effect.fail(new TemplateInputInvalid({ field: e.key === "parties" ? "parties" : `template.values.${e.key}`, reason: e.reason })),
    }),
  )

const documentOf = (initiator: User, enterpriseId: EnterpriseId, doc: ApiDocument, parties: number) =>
  Effect.gen(function*() {
    // Bytes someone sent (an upload, an enterprise's template filled in) are read off the request thread when the
    // contract is prepared; a built-in template's pages are known from drawing it.
    if (doc._tag === "Upload") return { pdf: doc.pdf, fields: doc.fields ?? defaultFields(parties), pages: undefined }
    if (/^[1-9]\d{18}$/.test(doc.templateId)) return yield* enterpriseTemplate(initiator, enterpriseId, doc, parties)
    const template = templates.find((t) => t.id === doc.templateId)
    if (template === undefined) return yield* new TemplateInputInvalid({ field: "template.id", reason: `unknown template; one of ${templates.map((t) => t.id).join(", ")}` })
    if (parties !== template.sides.length) return yield* new TemplateInputInvalid({ field: "parties", reason: `template ${template.id} is signed by exactly ${template.sides.length} parties` })
    for (const f of template.fields) {
      const v = doc.values[f.name]?.trim() ?? ""
      if (v === "" || v.length > 60) return yield* new TemplateInputInvalid({ field: `template.values.${f.name}`, reason: `${f.label}: 1-60 characters required` })
    }
    return yield* renderTemplate(template, doc.values)
  })

/** P4 create: the contract is made and sent as the enterprise's, in one go; it belongs to the key's enterprise. */
export const createEnterpriseContract = Effect.fn("api.createContract")(function*(key: ApiKey, input: NewApiContract) {
  const initiator = yield* enterpriseInitiator(key.enterpriseId)
  const { pdf, fields, pages } = yield* documentOf(initiator, key.enterpriseId, input.document, input.parties.length)
  // The document checked and stored before the transaction; the draft and the key's records of it commit together.
  const prepared = yield* prepareContract(initiator, { name: input.name, pdf, mode: input.mode, deadline: input.deadline, parties: input.parties, fields: [...fields], pages })
  const draft = yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const c = yield* recordContract(initiator, prepared)
    yield* ApiRepository.use((r) => Effect.flatMap(Clock.currentTimeMillis, (now) => r.assignContract(c.id, key.enterpriseId, key.id, now)))
    // Auto-signing authorizations may be scoped to templates.
    const doc = input.document
    if (doc._tag === "Template") yield* AutoSignRepository.use((r) => r.recordTemplate(c.id, doc.templateId))
    return c
  }))
  return yield* sendContract(initiator, draft.id, draft)
})

/**
 * A contract the enterprise initiated; any other id (another enterprise's, a
 * person's, none at all) is "not found", so ids reveal nothing.
 */
export const enterpriseContract = Effect.fn("api.contract")(function*(enterpriseId: EnterpriseId, id: NumericId) {
  const owner = yield* ApiRepository.use((r) => r.enterpriseOf(id))
  const found = Option.isSome(owner) && owner.value === enterpriseId ? yield* ContractRepository.use((r) => r.find(id)) : Option.none<Contract>()
  if (Option.isNone(found)) return yield* new NotFound({ entity: "contract", id })
  return found.value
})

export const listEnterpriseContracts = Effect.fn("api.listContracts")(function*(query: EnterpriseContractQuery) {
  const { ids, total, next } = yield* ApiRepository.use((r) => r.listContracts(query))
  // One round of queries for the page, not one per contract.
  const items = yield* ContractRepository.use((r) => r.findMany(ids as ReadonlyArray<NumericId>))
  return { items, total, next }
})

/** Runs a contract act as the contract's initiator, after checking the enterprise owns it. */
const asInitiator = <A, E, R>(enterpriseId: EnterpriseId, id: NumericId, act: (initiator: User, c: Contract) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const c = yield* enterpriseContract(enterpriseId, id)
    return yield* act(yield* userOf(c.initiatorUserId), c)
  })

export const revokeEnterpriseContract = (enterpriseId: EnterpriseId, id: NumericId) =>
  asInitiator(enterpriseId, id, (user) => revokeContract(user, id))

/** Reminds one party, or every party that may sign now when none is named. */
export const remindEnterpriseContract = (enterpriseId: EnterpriseId, id: NumericId, partyIndex: number | undefined) =>
  asInitiator(enterpriseId, id, (user, c) =>
    Effect.gen(function*() {
      const targets = partyIndex !== undefined ? [partyIndex] : c.parties.filter((p) => p.status === "waiting").map((p) => p.index)
      let after = c
      for (const p of targets) after = yield* remindParty(user, id, p)
      return after
    }))

export const downloadEnterpriseContract = (enterpriseId: EnterpriseId, id: NumericId) =>
  asInitiator(enterpriseId, id, (user) => downloadContract(user, id))

/** The contract's evidence bundle, without openings (personal data stays with the people it is about). */
export const enterpriseEvidenceBundle = (enterpriseId: EnterpriseId, id: NumericId) =>
  Effect.flatMap(enterpriseContract(enterpriseId, id), () => exportBundle(`contract:${id}`, { withOpenings: false }))
