/**
 * C1: the rules every new contract meets, whichever door it comes through (the
 * portal's 发起签约 and template forms, the partner platform pages, the REST
 * API): one Schema, decoded by each app after its own input shape. Issues are
 * message codes ("deadline.past"); each app's catalogue says them in zh-CN.
 */
import { Schema } from "effect"
import { isPdf, MIB } from "../kernel/bytes.ts"
import { beforeDeadline } from "./contractMachine.ts"
import { isEnterpriseInput, type ContractPartyInput } from "./parties.ts"

/** C1: a contract document is a PDF of at most 50 MB. */
export const MAX_DOCUMENT_BYTES = 50 * MIB

/** The codes the new-contract rules report, by field. */
export const NEW_CONTRACT_ISSUES = {
  deadline: ["deadline.past"],
  parties: ["parties.duplicate", "parties.enterpriseDuplicate"],
  document: ["document.tooLarge", "document.notPdf"],
} as const
export type NewContractIssue = (typeof NEW_CONTRACT_ISSUES)[keyof typeof NEW_CONTRACT_ISSUES][number]

const issue = (code: NewContractIssue) => code

/**
 * Who is named twice: a person is on a contract once (by mobile), as is an
 * enterprise (by id when known, else by registered name). Resolving names may
 * still find two names of one enterprise: `resolveParties` refuses that.
 */
export const repeatedParty = (parties: ReadonlyArray<ContractPartyInput>): "person" | "enterprise" | undefined => {
  const persons = parties.filter((p) => !isEnterpriseInput(p)).map((p) => (p as { readonly mobile: string }).mobile)
  if (new Set(persons).size !== persons.length) return "person"
  const enterprises = parties.filter(isEnterpriseInput).map((p) => p.enterpriseId ?? p.enterpriseName)
  return new Set(enterprises).size !== enterprises.length ? "enterprise" : undefined
}

const isPartyInput = (u: unknown): u is ContractPartyInput =>
  typeof u === "object" && u !== null && (typeof (u as { mobile?: unknown }).mobile === "string" || typeof (u as { enterpriseName?: unknown }).enterpriseName === "string")

/** The document's bytes: at most 50 MB, a PDF by its magic bytes (whether the engine can sign it is checked when the contract is created). */
export const ContractDocument = Schema.Uint8Array.check(
  Schema.makeFilter((b: Uint8Array) => b.length <= MAX_DOCUMENT_BYTES || issue("document.tooLarge"), undefined, true),
  Schema.makeFilter((b: Uint8Array) => isPdf(b) || issue("document.notPdf")),
)

/** The new contract's deadline (epoch ms), parties and (when uploaded) document, checked at `now`. */
export const NewContractRules = (now: number) =>
  Schema.Struct({
    deadline: Schema.Finite.check(Schema.makeFilter((d: number) => beforeDeadline(now, d) || issue("deadline.past"))),
    parties: Schema.Array(Schema.declare(isPartyInput)).check(Schema.makeFilter((ps: ReadonlyArray<ContractPartyInput>) => {
      const repeated = repeatedParty(ps)
      return repeated === undefined || issue(repeated === "person" ? "parties.duplicate" : "parties.enterpriseDuplicate")
    })),
    document: Schema.optionalKey(ContractDocument),
  })
export type NewContractRules = ReturnType<typeof NewContractRules>["Type"]
