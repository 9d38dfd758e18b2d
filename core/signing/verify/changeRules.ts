/**
 * What one revision changed compared with the one before, judged by the rules
 * Adobe and pyHanko apply after a signature (PDF 2.0 §12.8.2.2 DocMDP):
 * - always allowed: new signature fields with their widgets and signature
 *   dictionaries, filling an empty signature field, the DSS (validation data)
 *   and document timestamps;
 * - with a certification signature P=2: also filling existing non-signature
 *   form fields; P=3: also adding, changing and removing annotations;
 *   P=1: nothing but the DSS and document timestamps;
 * - a signed field (its /V, /AP, /Rect, /F, its page) never changes.
 * Anything else is a modification after signing, listed in words.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFObject } from "pdf-lib"
import { getDict, name, textOf, type PdfDocument } from "../pdf/document.ts"
import { Comparer, describeNode, graphView, signatureOf, type GraphView, type NodeView } from "./objectGraph.ts"

export type Rule = "signature" | "docTimestamp" | "dss" | "metadata" | "formFilling" | "annotations" | "forbidden"

export interface Change {
  readonly en: string
  readonly zh: string
  readonly allowed: boolean
  /** The rule that allows it, or "forbidden". */
  readonly rule: Rule
}

export interface RevisionBounds {
  readonly eofAt: number
  readonly end: number
}

const forbidden = (en: string, zh: string): Change => ({ en, zh, allowed: false, rule: "forbidden" })
const allowed = (rule: Rule, en: string, zh: string): Change => ({ en, zh, allowed: true, rule })

/** DocMDP permission of the document's certification signature (undefined: not certified). */
export const docMdpOf = (doc: PdfDocument): 1 | 2 | 3 | undefined => {
  const perms = getDict(doc, doc.catalog, "Perms")
  const sig = perms && getDict(doc, perms, "DocMDP")
  // /Perms naming a signature without a DocMDP reference certifies nothing.
  return sig ? docMdpOfSignature(doc, sig) : undefined
}

/** The /P of a signature dictionary's DocMDP reference, when it certifies. */
export const docMdpOfSignature = (doc: PdfDocument, sig: PDFDict): 1 | 2 | 3 | undefined => {
  const refs = doc.resolve(sig.get(name("Reference")))
  if (!(refs instanceof PDFArray)) return undefined
  for (let i = 0; i < refs.size(); i++) {
    const r = doc.resolve(refs.get(i))
    if (!(r instanceof PDFDict) || doc.resolve(r.get(name("TransformMethod"))) !== name("DocMDP")) continue
    const params = getDict(doc, r, "TransformParams")
    const p = params && doc.resolve(params.get(name("P")))
    const v = p instanceof PDFNumber ? p.asNumber() : 2
    return v === 1 || v === 3 ? v : 2
  }
  return undefined
}

const isDocTimestamp = (doc: PdfDocument, sig: PDFDict) => doc.resolve(sig.get(name("Type"))) === name("DocTimeStamp")

/** A signature added in a revision must sign exactly that revision (a copied value signs an older one). */
const signsRevision = (doc: PdfDocument, sig: PDFDict, rev: RevisionBounds): boolean => {
  const br = doc.resolve(sig.get(name("ByteRange")))
  if (!(br instanceof PDFArray) || br.size() !== 4) return false
  const n = (i: number) => {
    const v = doc.resolve(br.get(i))
    return v instanceof PDFNumber ? v.asNumber() : NaN
  }
  const end = n(2) + n(3)
  return end >= rev.eofAt + 5 && end <= rev.end
}

const CATALOG_ALLOWED: Record<string, Rule> = { DSS: "dss", Extensions: "dss", Metadata: "metadata" }
const FILLING_KEYS = new Set(["V", "AP", "AS"])
const SIGNING_KEYS = new Set(["V", "AP", "AS", "Lock"])
const NODE_SKIP = new Set(["Parent", "Kids", "P"])

/** Every change `after` makes to `before`, each allowed by a rule or forbidden. */
export const revisionChanges = (
  beforeDoc: PdfDocument,
  afterDoc: PdfDocument,
  rev: RevisionBounds,
  /** Objects already parsed for other revisions read from the same bytes (see Comparer). */
  shared?: Map<string, PDFObject | undefined>,
): ReadonlyArray<Change> => {
  const before = graphView(beforeDoc)
  const after = graphView(afterDoc)
  const cmp = new Comparer(before, after, shared)
  const p = docMdpOf(beforeDoc)
  return [...catalogChanges(cmp, before, after), ...pageChanges(cmp, before, after), ...nodeChanges(cmp, before, after, p, rev)]
}

const catalogChanges = (cmp: Comparer, before: GraphView, after: GraphView): Array<Change> => {
  const out: Array<Change> = []
  if (before.doc.catalogRef.objectNumber !== after.doc.catalogRef.objectNumber) {
    out.push(forbidden("/Root replaced: the trailer points at another catalog", "/Root 被替换：文件尾指向了另一个文档目录"))
  }
  for (const k of cmp.changedKeys(before.doc.catalog, after.doc.catalog, new Set(["Pages", "AcroForm"]))) {
    const rule = CATALOG_ALLOWED[k]
    out.push(rule ? allowed(rule, `catalog /${k} added or updated`, `文档目录的 /${k} 被添加或更新`) : forbidden(`catalog /${k} changed`, `文档目录的 /${k} 被修改`))
  }
  const formB = getDict(before.doc, before.doc.catalog, "AcroForm")
  const formA = getDict(after.doc, after.doc.catalog, "AcroForm")
  const empty = new Map()
  for (const k of cmp.changedKeys(formB ?? empty, formA ?? empty, new Set(["Fields"]))) {
    out.push(
      (k === "SigFlags" || k === "DR" || k === "DA") && formA?.get(name(k)) !== undefined
        ? allowed("signature", `AcroForm /${k} updated for a signature`, `表单的 /${k} 因签名而更新`)
        : forbidden(`AcroForm /${k} changed`, `表单的 /${k} 被修改`),
    )
  }
  return out
}

const pageChanges = (cmp: Comparer, before: GraphView, after: GraphView): Array<Change> => {
  const out: Array<Change> = []
  const n = Math.max(before.pages.length, after.pages.length)
  for (let i = 0; i < n; i++) {
    const b = before.pages[i], a = after.pages[i]
    if (!b) out.push(forbidden(`page ${i + 1} added`, `新增了第 ${i + 1} 页`))
    else if (!a) out.push(forbidden(`page ${i + 1} removed`, `第 ${i + 1} 页被删除`))
    else {
      for (const k of cmp.changedKeys(b.effective, a.effective, new Set(["Annots", "Parent"]))) {
        if (k === "Contents") out.push(forbidden(`page ${i + 1} content changed`, `第 ${i + 1} 页内容被修改`))
        else if (k === "Resources") out.push(forbidden(`page ${i + 1} resources (fonts, images) changed`, `第 ${i + 1} 页的资源（字体、图片）被修改`))
        else out.push(forbidden(`page ${i + 1} /${k} changed`, `第 ${i + 1} 页的 /${k} 被修改`))
      }
    }
  }
  return out
}

/**
 * Fields locked by signed signature fields (FieldMDP: the field's /Lock, or a
 * FieldMDP reference in its signature): /Action /All, /Include [names], /Exclude [names].
 * A locked field cannot be filled in even where the certification allows form filling.
 */
const lockedBy = (g: GraphView): ((field: string) => string | undefined) => {
  const locks: Array<{ by: string; action: string; fields: ReadonlyArray<string> }> = []
  const doc = g.doc
  const names = (d: PDFDict) => {
    const arr = doc.resolve(d.get(name("Fields")))
    return arr instanceof PDFArray ? [...Array(arr.size()).keys()].flatMap((i) => textOf(doc.resolve(arr.get(i))) ?? []) : []
  }
  const add = (by: string, d: PDFDict | undefined) => {
    const action = d && doc.resolve(d.get(name("Action")))
    if (d && action instanceof PDFName) locks.push({ by, action: action.decodeText(), fields: names(d) })
  }
  for (const n of g.nodes.values()) {
    const sig = n.fieldType === "Sig" && n.field !== undefined ? signatureOf(doc, n.dict) : undefined
    if (!sig || n.field === undefined) continue
    add(n.field, getDict(doc, n.dict, "Lock"))
    const refs = doc.resolve(sig.get(name("Reference")))
    for (let i = 0; refs instanceof PDFArray && i < refs.size(); i++) {
      const r = doc.resolve(refs.get(i))
      if (r instanceof PDFDict && doc.resolve(r.get(name("TransformMethod"))) === name("FieldMDP")) add(n.field, getDict(doc, r, "TransformParams"))
    }
  }
  return (field) =>
    locks.find((l) => l.action === "All" || (l.action === "Include" && l.fields.includes(field)) || (l.action === "Exclude" && !l.fields.includes(field)))?.by
}

const signedFields = (g: GraphView): Set<string> =>
  new Set([...g.nodes.values()].flatMap((n) => (n.fieldType === "Sig" && n.field !== undefined && signatureOf(g.doc, n.dict) ? [n.field] : [])))

const nodeChanges = (cmp: Comparer, before: GraphView, after: GraphView, p: 1 | 2 | 3 | undefined, rev: RevisionBounds): Array<Change> => {
  const out: Array<Change> = []
  const signed = signedFields(before)
  const locked = lockedBy(before)
  const newSigFields = new Set(
    [...after.nodes.values()].flatMap((n) => (n.fieldType === "Sig" && n.field !== undefined && !before.nodes.has(n.key) && !signed.has(n.field) ? [n.field] : [])),
  )
  for (const [key, b] of before.nodes) {
    if (after.nodes.has(key)) continue
    const d = describeNode(b)
    if (b.field !== undefined && signed.has(b.field)) out.push(forbidden(`${d.en} removed: its signature is no longer in the document`, `${d.zh}被删除：其签名已不在文档中`))
    else if (b.field === undefined && b.subtype !== "Widget" && p === 3) out.push(allowed("annotations", `${d.en} removed`, `${d.zh}被删除`))
    else out.push(forbidden(`${d.en} removed`, `${d.zh}被删除`))
  }
  for (const [key, a] of after.nodes) {
    const b = before.nodes.get(key)
    if (b) out.push(...changedNode(cmp, b, a, signed, p, rev, locked))
    else out.push(addedNode(after.doc, a, signed, newSigFields, p, rev))
  }
  return out
}

const addedNode = (doc: PdfDocument, a: NodeView, signed: Set<string>, newSigFields: Set<string>, p: 1 | 2 | 3 | undefined, rev: RevisionBounds): Change => {
  const d = describeNode(a)
  const where = a.page === undefined ? { en: "", zh: "" } : { en: ` on page ${a.page}`, zh: `（第 ${a.page} 页）` }
  if (a.field !== undefined && signed.has(a.field)) return forbidden(`widget added to the signed ${d.en}`, `已签名的${d.zh}被添加了控件`)
  if (a.fieldType === "Sig" && a.field !== undefined) {
    const sig = signatureOf(doc, a.dict)
    const timestamp = sig !== undefined && isDocTimestamp(doc, sig)
    if (sig && !signsRevision(doc, sig, rev)) {
      return forbidden(`${d.en} added with a signature value that was not made for this revision (copied from another signature)`, `${d.zh}被添加，但其签名值并非为此版本所签（复制自其他签名）`)
    }
    if (p === 1 && !timestamp) return forbidden(`${d.en} added, but the certification (P=1) forbids any change`, `${d.zh}被添加，但认证签名（P=1）禁止任何修改`)
    return timestamp ? allowed("docTimestamp", `document timestamp ${d.en} added`, `添加了文档时间戳${d.zh}`) : allowed("signature", `${d.en} added${where.en}`, `添加了${d.zh}${where.zh}`)
  }
  if (a.field !== undefined) return forbidden(`${d.en} added${where.en}`, `添加了${d.zh}${where.zh}`)
  // Signet's images placed with a signature (cross-page seal slices, the signing date): locked Stamps written in the
  // same revision as their signature, so covered by it, and named after it (/NM "<field>/stamp-N"; older slices by
  // their /Contents "<field> cross-page seal").
  const contents = textOf(doc.resolve(a.dict.get(name("Contents")))) ?? ""
  const sealOf = contents.endsWith(" cross-page seal") ? contents.slice(0, -" cross-page seal".length) : undefined
  const stampOf = /^(.+)\/stamp-\d+$/.exec(textOf(doc.resolve(a.dict.get(name("NM")))) ?? "")?.[1]
  const owner = sealOf ?? stampOf
  if (a.subtype === "Stamp" && owner !== undefined && newSigFields.has(owner)) {
    return sealOf !== undefined
      ? allowed("signature", `cross-page seal slice of signature "${owner}"${where.en}`, `签名“${owner}”的骑缝章${where.zh}`)
      : allowed("signature", `image "${contents}" placed with signature "${owner}"${where.en}`, `签名“${owner}”附带的图像“${contents}”${where.zh}`)
  }
  if (p === 3) return allowed("annotations", `${d.en} added`, `添加了${d.zh}`)
  return forbidden(`${d.en} added`, `添加了${d.zh}`)
}

const changedNode = (
  cmp: Comparer,
  b: NodeView,
  a: NodeView,
  signed: Set<string>,
  p: 1 | 2 | 3 | undefined,
  rev: RevisionBounds,
  locked: (field: string) => string | undefined,
): Array<Change> => {
  const keys = cmp.changedKeys(b.dict, a.dict, NODE_SKIP)
  const moved = b.page !== a.page
  const d = describeNode(b)
  const signedField = b.field !== undefined && signed.has(b.field)
  const out: Array<Change> = []
  // Leaving the form (or being renamed) hides a field's value from every form-aware reader.
  if (b.field !== a.field) {
    out.push(forbidden(`${signedField ? "signed " : ""}${d.en} ${a.field === undefined ? "taken out of the form" : `renamed to "${a.field}"`}`, `${signedField ? "已签名的" : ""}${d.zh}${a.field === undefined ? "被移出表单" : `被改名为“${a.field}”`}`))
  }
  if (moved) {
    out.push(forbidden(
      `${signedField ? "signed " : ""}${d.en} ${a.page === undefined ? `removed from page ${b.page}` : `moved to page ${a.page}`}`,
      `${signedField ? "已签名的" : ""}${d.zh}${a.page === undefined ? `从第 ${b.page} 页移除` : `被移到第 ${a.page} 页`}`,
    ))
  }
  if (keys.length === 0 || out.length > 0) return out.length > 0 && !signedField && b.field === undefined && p === 3 ? out.map((c) => ({ ...c, allowed: true, rule: "annotations" as const })) : out
  const list = keys.map((k) => `/${k}`).join(", ")
  const what = { en: `${d.en}: ${list} changed`, zh: `${d.zh}的 ${list} 被修改` }
  if (signedField) return [forbidden(`signed ${what.en}`, `已签名的${what.zh}`)]
  const only = (set: ReadonlySet<string>) => keys.every((k) => set.has(k))
  if (b.fieldType === "Sig" && b.field !== undefined) {
    const sig = signatureOf(cmp.b.doc, a.dict)
    if (!only(SIGNING_KEYS)) return [forbidden(what.en, what.zh)]
    if (sig && !signsRevision(cmp.b.doc, sig, rev)) {
      return [forbidden(`${d.en} filled with a signature value that was not made for this revision (copied from another signature)`, `${d.zh}被填入并非为此版本所签的签名值（复制自其他签名）`)]
    }
    const timestamp = sig !== undefined && isDocTimestamp(cmp.b.doc, sig)
    if (p === 1 && !timestamp) return [forbidden(`${d.en} signed, but the certification (P=1) forbids any change`, `${d.zh}被签署，但认证签名（P=1）禁止任何修改`)]
    return [allowed(timestamp ? "docTimestamp" : "signature", `empty ${d.en} signed`, `空${d.zh}被签署`)]
  }
  if (b.field !== undefined) {
    const lock = locked(b.field)
    if (lock !== undefined) return [forbidden(`${what.en} (locked by signature "${lock}")`, `${what.zh}（已被签名“${lock}”锁定）`)]
    return p !== undefined && p >= 2 && only(FILLING_KEYS)
      ? [allowed("formFilling", `${d.en} filled in`, `${d.zh}被填写`)]
      : [forbidden(what.en, what.zh)]
  }
  return p === 3 ? [allowed("annotations", what.en, what.zh)] : [forbidden(what.en, what.zh)]
}
