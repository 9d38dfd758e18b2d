import { Effect, Schema } from "effect"
import { PDFDocument } from "pdf-lib"
import { SignField } from "./Contract.ts"
import { ContractDocumentInvalid, ContractFieldsInvalid } from "./ContractErrors.ts"

/** A page's visible area (its CropBox) in PDF points, in the page's own coordinates (origin bottom-left). */
export interface PageBox {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** At most this many boxes on one contract (C1). */
export const MAX_FIELDS = 60

/** The boxes as the placement form sends them (a JSON array in one hidden input). */
export const FieldsJson = Schema.fromJsonString(Schema.Array(SignField).pipe(Schema.check(Schema.isMaxLength(MAX_FIELDS))))

/** Every page's visible area, read with pdf-lib (so a box can be checked against the page it sits on). */
export const pageBoxes = (pdf: Uint8Array): Effect.Effect<ReadonlyArray<PageBox>, ContractDocumentInvalid> =>
  Effect.tryPromise({
    try: () => PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false }).then((doc) => doc.getPages().map((p) => p.getCropBox())),
    catch: (e) => new ContractDocumentInvalid({ reason: `无法读取页面尺寸（${e instanceof Error ? e.message.slice(0, 80) : "格式错误"}）` }),
  }).pipe(Effect.filterOrFail((pages) => pages.length > 0, () => new ContractDocumentInvalid({ reason: "文件没有页面" })))

/** Does the rectangle lie wholly inside the page's visible area? (Written so that NaN fails too.) */
export const isInside = (page: PageBox, r: { readonly x: number; readonly y: number; readonly width: number; readonly height: number }) =>
  r.x >= page.x && r.y >= page.y && r.x + r.width <= page.x + page.width && r.y + r.height <= page.y + page.height

/** What kind of signer each party is: a person signs; an enterprise seals and its signatory signs (C4). */
export type PartyKind = "person" | "enterprise"

const kindsOf = (parties: number | ReadonlyArray<PartyKind>): ReadonlyArray<PartyKind> =>
  typeof parties === "number" ? Array.from({ length: parties }, () => "person" as const) : parties

/**
 * Why the boxes cannot be used, or null: each must be on a page the document
 * has, belong to one of the parties, and lie wholly inside its page; a
 * person has no seal to stamp (checked when the parties' kinds are given, not just their number).
 */
export const fieldProblem = (pages: ReadonlyArray<PageBox>, fields: ReadonlyArray<SignField>, parties: number | ReadonlyArray<PartyKind>): ContractFieldsInvalid | null => {
  const kinds = kindsOf(parties)
  for (const [index, f] of fields.entries()) {
    const refuse = (problem: ContractFieldsInvalid["problem"]) => new ContractFieldsInvalid({ problem, index, kind: f.kind, page: f.page, pages: pages.length })
    const page = pages[f.page - 1]
    if (page === undefined) return refuse("pageMissing")
    if (f.partyIndex < 0 || f.partyIndex >= kinds.length) return refuse("noParty")
    if (f.kind === "seal" && typeof parties !== "number" && kinds[f.partyIndex] === "person") return refuse("sealForPerson")
    if (!isInside(page, f)) return refuse("outsidePage")
  }
  return null
}

/** Fails with the first problem of `fields` on this document. */
export const checkFields = (pages: ReadonlyArray<PageBox>, fields: ReadonlyArray<SignField>, parties: number | ReadonlyArray<PartyKind>) => {
  const problem = fieldProblem(pages, fields, parties)
  return problem === null ? Effect.void : Effect.fail(problem)
}

/**
 * Where signatures go when nobody placed them (a form sent without
 * JavaScript): one signature box per person and a seal box plus a
 * signature box per enterprise, in rows at the foot of the last page, shrunk
 * to fit small pages.
 */
export const defaultFields = (pages: ReadonlyArray<PageBox>, parties: number | ReadonlyArray<PartyKind>): ReadonlyArray<SignField> => {
  const page = pages[pages.length - 1]
  const kinds = kindsOf(parties)
  const boxes = kinds.flatMap((k, partyIndex) => (k === "enterprise" ? (["seal", "signature"] as const) : (["signature"] as const)).map((kind) => ({ partyIndex, kind })))
  if (page === undefined || boxes.length === 0) return []
  const gap = 10
  const margin = Math.min(40, page.width / 10, page.height / 10)
  const cols = Math.max(1, Math.min(3, Math.floor((page.width - 2 * margin + gap) / (150 + gap))))
  const rows = Math.ceil(boxes.length / cols)
  const width = Math.max(1, Math.min(150, (page.width - 2 * margin + gap) / cols - gap))
  // Rows shrink their gaps too on a small page, so that every row still fits.
  const rowGap = Math.min(gap, (page.height - 2 * margin) / (rows * 4))
  // A seal needs a taller box than a signature line.
  const tallest = kinds.includes("enterprise") ? 100 : 60
  const height = Math.max(1, Math.min(tallest, (page.height - 2 * margin + rowGap) / rows - rowGap))
  return boxes.map((b, i) => {
    const side = Math.min(width, height)
    return new SignField({
      partyIndex: b.partyIndex,
      page: pages.length,
      x: page.x + margin + (i % cols) * (width + gap),
      y: page.y + margin + Math.floor(i / cols) * (height + rowGap),
      // A seal is round: a square box.
      width: b.kind === "seal" ? side : width,
      height: b.kind === "seal" ? side : Math.min(height, 60),
      kind: b.kind,
    })
  })
}

/**
 * Boxes made for persons (a template's 签章 boxes, the API's defaults) given
 * to enterprise parties: each enterprise party without a seal box gets one
 * over the left part of its signature box, as a seal is stamped over the
 * signing line.
 */
export const withSealBoxes = (pages: ReadonlyArray<PageBox>, fields: ReadonlyArray<SignField>, kinds: ReadonlyArray<PartyKind>): ReadonlyArray<SignField> => {
  const extra: Array<SignField> = []
  for (const [partyIndex, kind] of kinds.entries()) {
    if (kind !== "enterprise" || fields.some((f) => f.partyIndex === partyIndex && f.kind === "seal")) continue
    const line = fields.find((f) => f.partyIndex === partyIndex && f.kind === "signature")
    const page = line === undefined ? undefined : pages[line.page - 1]
    if (line === undefined || page === undefined) continue
    const side = Math.min(100, page.width / 4, page.height / 4)
    const x = Math.min(Math.max(page.x, line.x), page.x + page.width - side)
    const y = Math.min(Math.max(page.y, line.y + line.height / 2 - side / 2), page.y + page.height - side)
    extra.push(new SignField({ partyIndex, page: line.page, x, y, width: side, height: side, kind: "seal" }))
  }
  return [...fields, ...extra]
}
