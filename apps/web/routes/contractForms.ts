import { Result, Schema } from "effect"
import { isEnterpriseParty, type Contract, type SignField } from "../../../core/contracts/Contract.ts"
import { beijingDay, beijingDayEnd, beijingDayStart } from "../../../core/kernel/time.ts"
import { isEnterpriseInput, PartyInput, type ContractPartyInput, type InitiatedFor } from "../../../core/contracts/parties.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { cursorOf, CursorText, MAX_OFFSET_PAGE } from "../../../core/ports/ContractRepository.ts"
import { FieldsJson, MAX_FIELDS } from "../../../core/contracts/fieldPlacement.ts"
import { NewContractRules } from "../../../core/contracts/NewContract.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { translate } from "../messages.ts"

/** Any failure of a contract act, as the zh-CN message shown to the user (apps/web/catalogue.ts). */
export { messageOf } from "../catalogue.ts"

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
export const deadlineOf = beijingDayEnd

/**
 * The C1 rules of every new contract (core/contracts/NewContract.ts: deadline
 * ahead, distinct parties, a PDF within the size limit) over what a form
 * decoded, as zh-CN messages by field. A field that already has an error keeps it.
 */
export const withRuleErrors = (
  errors: Record<string, string>,
  now: number,
  input: { readonly deadline: number; readonly parties: ReadonlyArray<ContractPartyInput>; readonly document?: Uint8Array | undefined },
): Record<string, string> => {
  const checked = decodeForm(NewContractRules(now), input.document === undefined ? { deadline: input.deadline, parties: input.parties } : input)
  return checked.ok ? errors : Object.assign(errors, { ...translate(checked.errors), ...errors })
}


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
  readonly parties: ReadonlyArray<ContractPartyInput>
  readonly fields?: ReadonlyArray<SignField> | undefined
  readonly initiatedFor?: InitiatedFor | undefined
}

/** 发起身份: "person", or "<enterprise id>:<branch id>" of a branch the user may initiate for. */
const ActAs = Schema.Union([Schema.Literal("person"), Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}:[1-9]\d{18}$/, { message: "actAs.invalid" })))])

export const actAsValue = (f: InitiatedFor | undefined) => (f === undefined ? "person" : `${f.enterpriseId}:${f.branchId ?? f.enterpriseId}`)

const EnterpriseName = Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "enterpriseName.trim" }), Schema.isBetweenLength(2, 60, { message: "enterpriseName.length" })))

/**
 * The party rows of the 发起签约 form: `partyKind<i>` (person / enterprise),
 * `partyName<i>` (a person's name, or the enterprise's registered name) and
 * `partyMobile<i>` (a person's mobile, or optionally the member named to sign
 * for the enterprise). Blank rows are not parties.
 */
export const decodeMixedRows = (body: Record<string, unknown>, rows: number) => {
  const parties: Array<ContractPartyInput> = []
  const errors: Record<string, string> = {}
  for (let i = 0; i < rows; i++) {
    const name = String(body[`partyName${i}`] ?? "").trim()
    const mobile = String(body[`partyMobile${i}`] ?? "").trim()
    if (name === "" && mobile === "") continue
    if (body[`partyKind${i}`] !== "enterprise") {
      const row = decodePartyRows({ partyName0: name, partyMobile0: mobile }, 1, false)
      parties.push(...row.parties)
      for (const [k, v] of Object.entries(row.errors)) errors[k.replace(/0$/, String(i))] = v
      continue
    }
    const enterprise = decodeForm(Schema.Struct({ name: EnterpriseName }), { name })
    if (!enterprise.ok) errors[`partyName${i}`] = "请填写已在平台认证的企业全称（2-60 个字）"
    const signer = mobile === "" ? undefined : decodeForm(Mobile, mobile)
    if (signer !== undefined && !signer.ok) errors[`partyMobile${i}`] = "指定签署人手机号不正确（可不填，由企业成员签署）"
    if (enterprise.ok && (signer === undefined || signer.ok)) parties.push({ enterpriseName: name, signerMobile: signer?.ok ? signer.value : undefined })
  }
  return { parties, errors }
}

/**
 * The 发起签约 form (new or draft): name, mode, deadline, 发起身份 (a person,
 * or an enterprise branch), "我也签署", "本企业签署", up to four party rows
 * (persons or enterprises), and the placed boxes; the C1 rules at `now` (with the uploaded `document`, when there is one).
 */
export const decodeContractForm = (body: Record<string, unknown>, me: { readonly name: string; readonly mobile: string }, now: number, document?: Uint8Array):
  { readonly ok: true; readonly value: ContractFormValue } | { readonly ok: false; readonly errors: Record<string, string> } => {
  const form = decodeForm(NewContractBody, body)
  const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
  const actAs = decodeForm(ActAs, body.actAs === undefined || body.actAs === "" ? "person" : body.actAs)
  if (!actAs.ok) errors.actAs = "请选择发起身份"
  const [enterpriseId, branchId] = actAs.ok && actAs.value !== "person" ? actAs.value.split(":") : []
  const initiatedFor = enterpriseId === undefined ? undefined : { enterpriseId, branchId }
  const rows = decodeMixedRows(body, 4)
  Object.assign(errors, rows.errors)
  const ownOrg: ReadonlyArray<ContractPartyInput> = body.includeOrg === "on" && initiatedFor !== undefined
    ? [{ enterpriseName: "本企业", enterpriseId: initiatedFor.enterpriseId, branchId: initiatedFor.branchId }]
    : []
  if (body.includeOrg === "on" && initiatedFor === undefined) errors.actAs = "以企业身份发起时才能选择“本企业签署”"
  const parties: Array<ContractPartyInput> = [...(body.includeMe === "on" ? [{ name: me.name, mobile: me.mobile } as PartyInput] : []), ...ownOrg, ...rows.parties]
  withRuleErrors(errors, now, { deadline: form.ok ? deadlineOf(form.value.deadline) : Number.NaN, parties, document })
  const placed = decodeFieldsInput(body.fields)
  if (placed.error !== undefined) errors.fields = placed.error
  if (!form.ok || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { name: form.value.name, mode: form.value.mode, deadline: deadlineOf(form.value.deadline), parties, fields: placed.fields, initiatedFor } }
}

/** The form's values for a draft being resumed (the inverse of decodeContractForm). */
export const draftValues = (c: Contract, me: { readonly mobile: string }): Record<string, string> => {
  let rows = [...c.parties]
  const includeMe = rows[0] !== undefined && !isEnterpriseParty(rows[0]) && rows[0].mobile === me.mobile
  if (includeMe) rows = rows.slice(1)
  const includeOrg = rows[0] !== undefined && c.initiatorEnterpriseId !== undefined && rows[0].enterpriseId === c.initiatorEnterpriseId
  if (includeOrg) rows = rows.slice(1)
  const initiatedFor = c.initiatorEnterpriseId === undefined ? undefined : { enterpriseId: c.initiatorEnterpriseId, branchId: c.initiatorBranchId }
  return {
    name: c.name,
    mode: c.mode,
    deadline: beijingDay(c.deadline),
    actAs: actAsValue(initiatedFor),
    includeMe: includeMe ? "on" : "off",
    includeOrg: includeOrg ? "on" : "off",
    fields: c.fields.length === 0 ? "" : Schema.encodeSync(FieldsJson)(c.fields),
    ...Object.fromEntries(rows.flatMap((p, i) => [
      [`partyKind${i}`, isEnterpriseParty(p) ? "enterprise" : "person"],
      [`partyName${i}`, p.name],
      // An enterprise party's mobile is the named signer's, else its admin's (who was not typed in the form).
      [`partyMobile${i}`, isEnterpriseParty(p) && p.signerUserId === undefined ? "" : p.mobile],
    ])),
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
  after: Schema.optionalKey(CursorText),
})

/**
 * Where a list page starts (issue 23, keyset pagination): after the previous page's last contract (下一页 links carry
 * its cursor), so a page deep in the history reads `size` index entries; without a cursor, by page number up to
 * MAX_OFFSET_PAGE. Returns the page number shown and the repository's paging.
 */
export const pageStart = (asked: string | undefined, after: string | undefined, size: number) => {
  const page = after === undefined ? Math.min(Number(asked ?? "1"), MAX_OFFSET_PAGE) : Number(asked ?? "1")
  return after === undefined ? { page, after: undefined, offset: (page - 1) * size } : { page, after: cursorOf(after), offset: 0 }
}

/** Start of a day in Beijing time. */
export const dayStart = beijingDayStart

const Id19 = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))

/** C4 the signer's choice: which party they sign for, and for an enterprise party its seal and signatory. */
export const SignChoiceBody = Schema.Struct({
  party: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{1,2}$/, { message: "party.invalid" })))),
  sealId: Schema.optionalKey(Id19),
  signatoryUserId: Schema.optionalKey(Id19),
})

/** C10 / P3 企业合同管理 query string: search text, status, creator (P3), created-between dates, page. */
export const OrgListQuery = Schema.Struct({
  q: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(60, { message: "search.length" })))),
  status: Schema.optionalKey(Schema.Literals(["", "inProgress", "completed", "rejected", "revoked", "expired"])),
  creator: Schema.optionalKey(Schema.Union([Schema.Literal(""), Id19])),
  from: Schema.optionalKey(Schema.Union([Schema.Literal(""), Day])),
  to: Schema.optionalKey(Schema.Union([Schema.Literal(""), Day])),
  page: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{0,5}$/, { message: "page.format" })))),
  after: Schema.optionalKey(CursorText),
})

export interface OrgListFilter {
  readonly q: string
  readonly status: "" | Contract["status"]
  readonly creator: string
  readonly from: string
  readonly to: string
}

const orgListErrors: Record<string, string> = { q: "搜索内容不能超过 60 个字", status: "请选择合同状态", creator: "请选择合同创建人", from: "请选择正确的开始日期", to: "请选择正确的结束日期" }

/** The enterprise list's query string, decoded; a bad part is reported next to its input and left out of the search. */
export const decodeOrgListQuery = (raw: Record<string, string>) => {
  let r = decodeForm(OrgListQuery, raw)
  const errors: Record<string, string> = {}
  if (!r.ok) {
    const bad = r.errors
    for (const k of Object.keys(bad)) if (orgListErrors[k] !== undefined) errors[k] = orgListErrors[k]!
    r = decodeForm(OrgListQuery, Object.fromEntries(Object.entries(raw).filter(([k]) => bad[k] === undefined)))
  }
  const v = r.ok ? r.value : {}
  let filter: OrgListFilter = { q: (v.q ?? "").trim(), status: v.status ?? "", creator: v.creator ?? "", from: v.from ?? "", to: v.to ?? "" }
  if (filter.from !== "" && filter.to !== "" && filter.from > filter.to) {
    errors.to = "结束日期不能早于开始日期"
    filter = { ...filter, to: "" }
  }
  const page = pageStart(v.page, v.after, 1).page
  const DAY = 24 * 3600_000
  /** The repository filter of this query, for a page of `size`. */
  const query = (size: number) => {
    const { offset, after } = pageStart(v.page, v.after, size)
    return {
      search: filter.q, status: filter.status === "" ? undefined : [filter.status],
      initiatorUserId: filter.creator === "" ? undefined : filter.creator,
      createdFrom: filter.from === "" ? undefined : dayStart(filter.from),
      createdBefore: filter.to === "" ? undefined : dayStart(filter.to) + DAY,
      limit: size, offset, after,
    }
  }
  return { filter, page, errors, query }
}
