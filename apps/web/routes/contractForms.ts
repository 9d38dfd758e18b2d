import { Result, Schema } from "effect"
import type { Contract, SignField } from "../../../core/contracts/Contract.ts"
import { beijingTime, PartyInput } from "../../../core/contracts/createContract.ts"
import { FieldsJson, MAX_FIELDS } from "../../../core/contracts/fieldPlacement.ts"
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


/** The placement boxes of a form (hidden input `fields`): undefined when none were placed (the default placement applies). */
export const decodeFieldsInput = (raw: unknown): { readonly fields?: ReadonlyArray<SignField> | undefined; readonly error?: string | undefined } => {
  if (typeof raw !== "string" || raw.trim() === "" || raw.trim() === "[]") return {}
  const r = Schema.decodeUnknownResult(FieldsJson)(raw)
  return Result.isSuccess(r) ? { fields: r.success } : { error: `签署位置数据无效（最多 ${MAX_FIELDS} 个，页码、位置和大小须为数字），请重新放置` }
}

export interface ContractFormValue {
  readonly name: string
  readonly mode: "sequential" | "simultaneous"
  readonly deadline: number
  readonly parties: ReadonlyArray<PartyInput>
  readonly fields?: ReadonlyArray<SignField> | undefined
}

/**
 * The 发起签约 form (new or draft): name, mode, deadline, "我也签署" plus up to
 * four party rows, and the placed boxes. `now` checks the deadline.
 */
export const decodeContractForm = (body: Record<string, unknown>, me: { readonly name: string; readonly mobile: string }, now: number):
  { readonly ok: true; readonly value: ContractFormValue } | { readonly ok: false; readonly errors: Record<string, string> } => {
  const form = decodeForm(NewContractBody, body)
  const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
  const rows = decodePartyRows(body, 4, true)
  Object.assign(errors, rows.errors)
  const parties: Array<PartyInput> = [...(body.includeMe === "on" ? [{ name: me.name, mobile: me.mobile } as PartyInput] : []), ...rows.parties]
  if (new Set(parties.map((p) => p.mobile)).size !== parties.length) errors.parties = "签署方手机号不能重复"
  if (form.ok && deadlineOf(form.value.deadline) <= now) errors.deadline = "签约截止日期必须晚于今天"
  const placed = decodeFieldsInput(body.fields)
  if (placed.error !== undefined) errors.fields = placed.error
  if (!form.ok || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { name: form.value.name, mode: form.value.mode, deadline: deadlineOf(form.value.deadline), parties, fields: placed.fields } }
}

/** The form's values for a draft being resumed (the inverse of decodeContractForm). */
export const draftValues = (c: Contract, me: { readonly mobile: string }): Record<string, string> => {
  const includeMe = c.parties[0]?.mobile === me.mobile
  const rows = includeMe ? c.parties.slice(1) : c.parties
  return {
    name: c.name,
    mode: c.mode,
    deadline: beijingTime(c.deadline).slice(0, 10),
    includeMe: includeMe ? "on" : "off",
    fields: c.fields.length === 0 ? "" : Schema.encodeSync(FieldsJson)(c.fields),
    ...Object.fromEntries(rows.flatMap((p, i) => [[`partyName${i}`, p.name], [`partyMobile${i}`, p.mobile]])),
  }
}

const Day = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "date.format" })))

/** 我的签约 query string: tab, search text, created-between dates, page. */
export const ListQuery = Schema.Struct({
  tab: Schema.optionalKey(Schema.Literals(["all", "mine", "others", "soon", "rejected", "drafts"])),
  q: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(60, { message: "search.length" })))),
  from: Schema.optionalKey(Schema.Union([Schema.Literal(""), Day])),
  to: Schema.optionalKey(Schema.Union([Schema.Literal(""), Day])),
  page: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{0,5}$/, { message: "page.format" })))),
})

/** Start of a day in Beijing time. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`)
