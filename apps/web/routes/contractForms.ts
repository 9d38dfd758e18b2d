import { Schema } from "effect"
import { PartyInput } from "../../../core/contracts/createContract.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { describeContractError } from "../contractErrors.ts"
import { describeError, type Described, type DomainError } from "../errors.ts"
import { translate } from "../messages.ts"

/**
 * Any failure of a contract act, as the zh-CN message shown to the user.
 * (describeError is exhaustive over the domain errors it knows; infrastructure
 * failures of the signing engine fall outside it and read "系统繁忙".)
 */
export const messageOf = (e: { readonly _tag: string }): string =>
  (describeContractError(e as never) ?? (describeError(e as DomainError) as Described | undefined))?.message ?? "系统繁忙，请稍后重试"

/**
 * The party rows `partyName<i>` / `partyMobile<i>` of a form, decoded; errors
 * keyed by field. With `skipBlank`, rows left empty are not parties.
 */
export const decodePartyRows = (body: Record<string, unknown>, rows: number, skipBlank: boolean) => {
  const parties: Array<PartyInput> = []
  const errors: Record<string, string> = {}
  for (let i = 0; i < rows; i++) {
    const name = String(body[`partyName${i}`] ?? "").trim()
    const mobile = String(body[`partyMobile${i}`] ?? "").trim()
    if (skipBlank && name === "" && mobile === "") continue
    const p = decodeForm(PartyInput, { name, mobile })
    if (p.ok) {
      parties.push(p.value)
      continue
    }
    const t = translate(p.errors)
    if (t.name !== undefined) errors[`partyName${i}`] = t.name
    if (t.mobile !== undefined) errors[`partyMobile${i}`] = t.mobile
  }
  return { parties, errors }
}

export const NewContractBody = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "contractName.trim" }), Schema.isBetweenLength(1, 60, { message: "contractName.length" }))),
  mode: Schema.Literals(["sequential", "simultaneous"]),
  deadline: Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "deadline.format" }))),
})

/** End of the chosen day in Beijing time. */
export const deadlineOf = (day: string) => Date.parse(`${day}T23:59:59+08:00`)

