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

const kindLabel = { signature: "签名", seal: "印章", date: "日期" } as const

/**
 * Why the boxes cannot be used, or null: each must be on a page the document
 * has, belong to one of the parties, and lie wholly inside its page.
 */
export const fieldProblem = (pages: ReadonlyArray<PageBox>, fields: ReadonlyArray<SignField>, parties: number): string | null => {
  for (const [i, f] of fields.entries()) {
    const what = `第 ${i + 1} 个签署位置（${kindLabel[f.kind]}）`
    const page = pages[f.page - 1]
    if (page === undefined) return `${what}在第 ${f.page} 页，文件只有 ${pages.length} 页`
    if (f.partyIndex < 0 || f.partyIndex >= parties) return `${what}不属于任何签署方`
    // Written so that NaN fails too.
    const inside = f.x >= page.x && f.y >= page.y && f.x + f.width <= page.x + page.width && f.y + f.height <= page.y + page.height
    if (!inside) return `${what}超出第 ${f.page} 页的范围，请拖回页面内`
  }
  return null
}

/** Fails with the first problem of `fields` on this document. */
export const checkFields = (pages: ReadonlyArray<PageBox>, fields: ReadonlyArray<SignField>, parties: number) => {
  const problem = fieldProblem(pages, fields, parties)
  return problem === null ? Effect.void : Effect.fail(new ContractFieldsInvalid({ reason: problem }))
}

/**
 * Where signatures go when nobody placed them (a form sent without
 * JavaScript): one signature box per party, in rows at the foot of the last
 * page, shrunk to fit small pages.
 */
export const defaultFields = (pages: ReadonlyArray<PageBox>, parties: number): ReadonlyArray<SignField> => {
  const page = pages[pages.length - 1]
  if (page === undefined || parties === 0) return []
  const gap = 10
  const margin = Math.min(40, page.width / 10, page.height / 10)
  const cols = Math.max(1, Math.min(3, Math.floor((page.width - 2 * margin + gap) / (150 + gap))))
  const rows = Math.ceil(parties / cols)
  const width = Math.max(1, Math.min(150, (page.width - 2 * margin + gap) / cols - gap))
  const height = Math.max(1, Math.min(60, (page.height - 2 * margin + gap) / rows - gap))
  return Array.from({ length: parties }, (_, i) => new SignField({
    partyIndex: i,
    page: pages.length,
    x: page.x + margin + (i % cols) * (width + gap),
    y: page.y + margin + Math.floor(i / cols) * (height + gap),
    width,
    height,
    kind: "signature",
  }))
}
