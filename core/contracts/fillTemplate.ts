/**
 * Initiating a contract from an enterprise template: the values of its
 * fill-in fields are checked (one rule for the portal form and the API's
 * variables), written into the PDF with the shipped CJK font at each field's
 * rectangle, and the form layer is flattened, so no AcroForm field is left
 * that anyone could edit after signing; this happens before the first
 * signature (pdf-lib re-saves the file). The template's roles become the
 * contract's parties, persons or enterprises, with the boxes placed for them.
 */
import { Effect, Option, Schema } from "effect"
import { PDFDict, PDFDocument, PDFName, rgb } from "pdf-lib"
import type { User } from "../accounts/User.ts"
import type { OrgScope } from "../organizations/orgScope.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { CjkFont } from "../ports/CjkFont.ts"
import { SignField } from "./Contract.ts"
import { ContractDocumentInvalid, TemplateValuesInvalid } from "./ContractErrors.ts"
import { createContract, sendContract } from "./createContract.ts"
import type { SigningMode } from "./contractMachine.ts"
import { withSealBoxes, type PartyKind } from "./fieldPlacement.ts"
import { TEMPLATE_LIMITS, type OrgTemplate, type TemplateFillField } from "./OrgTemplate.ts"
import { isEnterpriseInput, type ContractPartyInput } from "./parties.ts"
import { TemplateCharactersUnsupported } from "./templates.ts"
import { usableTemplate } from "./orgTemplates.ts"

/** A checked value: the text to write (dates as 2026年12月7日), or a checkbox's state. */
export type FilledValue = { readonly kind: "text"; readonly text: string } | { readonly kind: "checkbox"; readonly checked: boolean }

const Day = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "date.format" })))
const TICKED = new Set(["on", "true", "1", "yes"])
const UNTICKED = new Set(["", "off", "false", "0", "no"])

const dateText = (v: string) => {
  const [y, m, d] = v.split("-").map(Number) as [number, number, number]
  const at = new Date(Date.UTC(y, m - 1, d))
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d ? `${y}年${m}月${d}日` : null
}

/**
 * The template's values from raw input (form fields or API variables, by key): text 1-60 characters, a date as
 * YYYY-MM-DD, a checkbox on/true/1 or off/false/0/absent. Every problem, by key, in zh-CN.
 */
export const checkTemplateValues = (fields: ReadonlyArray<TemplateFillField>, raw: Readonly<Record<string, unknown>>):
  { readonly ok: true; readonly values: ReadonlyMap<string, FilledValue> } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> } => {
  const values = new Map<string, FilledValue>()
  const errors: Record<string, string> = {}
  for (const f of fields) {
    const v = raw[f.key]
    const text = typeof v === "string" ? v.trim() : typeof v === "boolean" ? String(v) : v === undefined ? "" : null
    if (f.kind === "checkbox") {
      if (text !== null && TICKED.has(text.toLowerCase())) values.set(f.key, { kind: "checkbox", checked: true })
      else if (text !== null && UNTICKED.has(text.toLowerCase())) values.set(f.key, { kind: "checkbox", checked: false })
      else errors[f.key] = `${f.label}：请勾选或不勾选`
      continue
    }
    if (text === null || text === "") {
      errors[f.key] = `请填写${f.label}`
      continue
    }
    if (f.kind === "date") {
      const d = Schema.is(Day)(text) ? dateText(text) : null
      if (d === null) errors[f.key] = `${f.label}：请选择正确的日期`
      else values.set(f.key, { kind: "text", text: d })
      continue
    }
    if (text.length > TEMPLATE_LIMITS.valueLength) errors[f.key] = `${f.label}不能超过 ${TEMPLATE_LIMITS.valueLength} 个字`
    else values.set(f.key, { kind: "text", text })
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values }
}

/**
 * Writes the values into the PDF (each on one line inside its field's rectangle, shrunk to fit, a checkbox as √)
 * and flattens the form layer. Fails when a character is not in the font or a text does not fit its field.
 */
export const fillTemplatePdf = Effect.fn("contracts.fillTemplatePdf")(function*(pdf: Uint8Array, fields: ReadonlyArray<TemplateFillField>, values: ReadonlyMap<string, FilledValue>) {
  const font = yield* CjkFont
  const writes = fields.flatMap((f) => {
    const v = values.get(f.key)
    const text = v === undefined ? "" : v.kind === "text" ? v.text : v.checked ? "√" : ""
    return text === "" ? [] : [{ field: f, text }]
  })
  const missing = font.missingGlyphs(writes.map((w) => w.text).join(""))
  if (missing.length > 0) return yield* new TemplateCharactersUnsupported({ characters: missing.join("") })
  const result = yield* Effect.tryPromise({
    try: async () => {
      const doc = await PDFDocument.load(pdf, { updateMetadata: false })
      doc.registerFontkit(font.fontkit)
      // No form field survives: one filled in later could change what the parties signed.
      const form = doc.getForm()
      if (form.getFields().length > 0) form.flatten()
      doc.catalog.delete(PDFName.of("AcroForm"))
      // pdf-lib's flatten deletes the widgets but leaves the pages' /Annots naming them (poppler then reports a
      // broken xref): keep only annotations that still exist and are not form widgets.
      for (const page of doc.getPages()) {
        const annots = page.node.Annots()
        if (annots === undefined) continue
        const kept = annots.asArray().filter((ref) => {
          const a = doc.context.lookup(ref)
          return a instanceof PDFDict && a.get(PDFName.of("Subtype")) !== PDFName.of("Widget")
        })
        if (kept.length === 0) page.node.delete(PDFName.of("Annots"))
        else page.node.set(PDFName.of("Annots"), doc.context.obj(kept))
      }
      const cjk = await doc.embedFont(font.bytes, { subset: true })
      for (const { field: f, text } of writes) {
        let size = Math.min(12, f.height * 0.75)
        while (size > 6 && cjk.widthOfTextAtSize(text, size) > f.width - 4) size -= 0.5
        if (cjk.widthOfTextAtSize(text, size) > f.width - 4) return { tooLong: f }
        const page = doc.getPage(f.page - 1)
        page.drawText(text, { x: f.x + 2, y: f.y + (f.height - size) / 2 + size * 0.12, size, font: cjk, color: rgb(0, 0, 0) })
      }
      return { pdf: await doc.save({ useObjectStreams: false }) }
    },
    catch: (e) => new ContractDocumentInvalid({ reason: `模板文件无法填写（${e instanceof Error ? e.message.slice(0, 80) : "格式错误"}）` }),
  })
  if ("tooLong" in result) return yield* new TemplateValuesInvalid({ key: result.tooLong.key, reason: `${result.tooLong.label}内容过长，填写位置放不下` })
  return result.pdf
})

/**
 * The signing boxes of a contract from the template: each role's boxes for the party bound to it, a person's
 * seal boxes left out (a person has no seal), and a seal box added for an enterprise whose role has none.
 */
export const boxesFor = (t: Pick<OrgTemplate, "boxes" | "pages">, kinds: ReadonlyArray<PartyKind>): ReadonlyArray<SignField> => {
  const fields = t.boxes
    .filter((b) => !(b.kind === "seal" && kinds[b.role] === "person"))
    .map((b) => new SignField({ partyIndex: b.role, page: b.page, x: b.x, y: b.y, width: b.width, height: b.height, kind: b.kind }))
  return withSealBoxes(t.pages, fields, kinds)
}

export interface FromTemplate {
  readonly templateId: string
  /** The fill-in values by field key, as typed (checked here). */
  readonly values: Readonly<Record<string, unknown>>
  /** One party per role, in the template's role order. */
  readonly parties: ReadonlyArray<ContractPartyInput>
  readonly mode: SigningMode
  readonly deadline: number
  /** Defaults to the template's name. */
  readonly name?: string | undefined
  /** Send at once (default) or keep the draft. */
  readonly send?: boolean | undefined
}

/**
 * The document of a contract from one of the scope's enterprise templates: the values checked and written, the
 * form flattened, and the boxes for parties of these kinds (undefined: the template has none, so the default
 * placement applies). Shared by the portal and the partner API.
 */
export const filledTemplate = Effect.fn("contracts.filledTemplate")(function*(scope: OrgScope, templateId: string, raw: Readonly<Record<string, unknown>>, kinds: ReadonlyArray<PartyKind>) {
  const t = yield* usableTemplate(scope, templateId)
  if (kinds.length !== t.roles.length) {
    return yield* new TemplateValuesInvalid({ key: "parties", reason: `该模板须有 ${t.roles.length} 个签署方（${t.roles.join("、")}）` })
  }
  const checked = checkTemplateValues(t.fields, raw)
  if (!checked.ok) {
    const [key, reason] = Object.entries(checked.errors)[0]!
    return yield* new TemplateValuesInvalid({ key, reason })
  }
  const original = yield* (yield* BlobStore).get(t.documentSha256)
  if (Option.isNone(original)) return yield* new ContractDocumentInvalid({ reason: "模板文件已丢失" })
  const pdf = yield* fillTemplatePdf(original.value, t.fields, checked.values)
  // A template without boxes signs where a contract without placed boxes does.
  return { template: t, pdf, fields: t.boxes.length === 0 ? undefined : boxesFor(t, kinds) }
})

/**
 * Initiates a contract for the scope's enterprise (at the member's branch) from one of its templates: values
 * checked and written, fields flattened, roles bound to the given parties, then sent or kept as a draft.
 */
export const initiateFromTemplate = Effect.fn("contracts.initiateFromTemplate")(function*(user: User, scope: OrgScope, input: FromTemplate) {
  const kinds = input.parties.map((p): PartyKind => (isEnterpriseInput(p) ? "enterprise" : "person"))
  const { template, pdf, fields } = yield* filledTemplate(scope, input.templateId, input.values, kinds)
  const draft = yield* createContract(user, {
    name: input.name ?? template.name, pdf, mode: input.mode, deadline: input.deadline, parties: input.parties,
    fields, initiatedFor: { enterpriseId: scope.org.enterpriseId, branchId: scope.member.branchId },
  })
  return input.send === false ? draft : yield* sendContract(user, draft.id)
})
