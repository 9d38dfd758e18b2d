/**
 * The parts of a document a reader sees, read from the trailer's /Root down,
 * and a semantic comparison of two revisions' values: dictionary key order is
 * irrelevant, references are followed (which object number holds a value does
 * not matter, what it resolves to does), strings compare by their bytes and
 * streams by their decoded data. Pages, annotations and fields are "anchors":
 * the change analysis compares them itself, so anywhere else a reference to
 * one compares by identity (page index, annotation, field name).
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from "pdf-lib"
import { equalBytes } from "../pdf/bytes.ts"
import { formFields, getArray, name, pageRefs, type PdfDocument } from "../pdf/document.ts"
import { decodeStream } from "../pdf/objects.ts"
import { PdfMalformed } from "../pdf/PdfErrors.ts"

/** Keys a page inherits from its ancestors in the page tree. */
const INHERITED = ["Resources", "MediaBox", "CropBox", "Rotate"] as const

export interface PageView {
  readonly ref: PDFRef
  readonly dict: PDFDict
  /** The page's own keys plus the inherited ones it does not override. */
  readonly effective: ReadonlyMap<string, PDFObject>
}

/** A node of the form (field or widget) or an annotation of a page, keyed by object number. */
export interface NodeView {
  readonly key: string
  readonly dict: PDFDict
  /** Fully qualified field name, when the node is in the AcroForm's field tree. */
  readonly field: string | undefined
  /** Field type (inherited through /Parent), e.g. "Sig", "Tx". */
  readonly fieldType: string | undefined
  /** 1-based page whose /Annots lists the node. */
  readonly page: number | undefined
  readonly subtype: string | undefined
}

export interface GraphView {
  readonly doc: PdfDocument
  readonly pages: ReadonlyArray<PageView>
  readonly nodes: ReadonlyMap<string, NodeView>
  /** Object number -> 1-based page index. */
  readonly pageOf: ReadonlyMap<number, number>
  /** Object number -> node key, for annotations and fields. */
  readonly nodeOf: ReadonlyMap<number, string>
}

const nameOf = (o: PDFObject | undefined): string | undefined => (o instanceof PDFName ? o.decodeText() : undefined)

const inheritedType = (doc: PdfDocument, dict: PDFDict): string | undefined => {
  let d: PDFDict | undefined = dict
  for (let i = 0; d && i < 32; i++) {
    const ft = nameOf(doc.resolve(d.get(name("FT"))))
    if (ft) return ft
    const parent = doc.resolve(d.get(name("Parent")))
    d = parent instanceof PDFDict ? parent : undefined
  }
  return undefined
}

const pageView = (doc: PdfDocument, ref: PDFRef): PageView | undefined => {
  const dict = doc.resolve(ref)
  if (!(dict instanceof PDFDict)) return undefined
  const effective = new Map<string, PDFObject>()
  for (const [k, v] of dict.entries()) effective.set(k.decodeText(), v)
  let parent = doc.resolve(dict.get(name("Parent")))
  for (let i = 0; parent instanceof PDFDict && i < 64; i++) {
    for (const k of INHERITED) {
      const v = parent.get(name(k))
      if (!effective.has(k) && v !== undefined) effective.set(k, v)
    }
    parent = doc.resolve(parent.get(name("Parent")))
  }
  return { ref, dict, effective }
}

export const graphView = (doc: PdfDocument): GraphView => {
  let refs: ReadonlyArray<PDFRef> = []
  try {
    refs = pageRefs(doc)
  } catch (e) {
    if (!(e instanceof PdfMalformed && e.check === "page tree")) throw e // unreadable: the revision is reported as such
    refs = [] // no pages: every page of the other revision is reported as removed
  }
  const pages = refs.flatMap((r) => pageView(doc, r) ?? [])
  const pageOf = new Map(pages.map((p, i) => [p.ref.objectNumber, i + 1]))
  const nodes = new Map<string, NodeView>()
  const nodeOf = new Map<number, string>()
  const keyOf = (ref: PDFRef | undefined, fallback: string) => (ref ? `${ref.objectNumber}` : fallback)
  formFields(doc).forEach((f, i) => {
    const key = keyOf(f.ref, `field:${f.fullName}#${i}`)
    if (f.ref) nodeOf.set(f.ref.objectNumber, key)
    nodes.set(key, {
      key, dict: f.dict, field: f.fullName, fieldType: inheritedType(doc, f.dict), page: undefined,
      subtype: nameOf(doc.resolve(f.dict.get(name("Subtype")))),
    })
  })
  pages.forEach((p, i) => {
    const annots = getArray(doc, p.dict, "Annots")
    for (let j = 0; annots && j < annots.size(); j++) {
      const raw = annots.get(j)
      const dict = doc.resolve(raw)
      if (!(dict instanceof PDFDict)) continue
      const ref = raw instanceof PDFRef ? raw : undefined
      const key = keyOf(ref, `annot:${i + 1}#${j}`)
      if (ref) nodeOf.set(ref.objectNumber, key)
      const known = nodes.get(key)
      nodes.set(key, {
        key, dict, field: known?.field, fieldType: known?.fieldType, page: known?.page ?? i + 1,
        subtype: nameOf(doc.resolve(dict.get(name("Subtype")))),
      })
    }
  })
  return { doc, pages, nodes, pageOf, nodeOf }
}

/** Stream dictionary keys that describe the encoding, not the content. */
const ENCODING_KEYS = new Set(["Length", "Filter", "DecodeParms", "DL"])

/** Semantic equality of values of two revisions; memoised per pair of references, cycles assumed equal. */
export class Comparer {
  private readonly memo = new Map<string, boolean>()
  readonly a: GraphView
  readonly b: GraphView
  /**
   * Objects parsed once for every revision that reads them from the same bytes (keyed by number and
   * xref entry): a 5 MB content stream unchanged through ten revisions is parsed and held once.
   */
  private readonly shared: Map<string, PDFObject | undefined>
  constructor(a: GraphView, b: GraphView, shared = new Map<string, PDFObject | undefined>()) {
    this.a = a
    this.b = b
    this.shared = shared
  }

  same(x: PDFObject | undefined, y: PDFObject | undefined, depth = 0): boolean {
    if (depth > 200) return false
    if (x instanceof PDFRef || y instanceof PDFRef) return this.sameRef(x, y, depth)
    if (x === undefined || x === PDFNull) return y === undefined || y === PDFNull
    if (y === undefined) return x === PDFNull
    if (x instanceof PDFName || y instanceof PDFName) return nameOf(x) === nameOf(y)
    if (x instanceof PDFNumber) return y instanceof PDFNumber && x.asNumber() === y.asNumber()
    if (x instanceof PDFString || x instanceof PDFHexString) {
      return (y instanceof PDFString || y instanceof PDFHexString) && equalBytes(x.asBytes(), y.asBytes())
    }
    if (x instanceof PDFArray) {
      if (!(y instanceof PDFArray) || x.size() !== y.size()) return false
      for (let i = 0; i < x.size(); i++) if (!this.same(x.get(i), y.get(i), depth + 1)) return false
      return true
    }
    // The same parsed stream on both sides (same bytes in both revisions): only its references can differ.
    if (x instanceof PDFRawStream && x === y) return this.sameDict(x.dict, x.dict, ENCODING_KEYS, depth)
    if (x instanceof PDFRawStream) return y instanceof PDFRawStream && this.sameStream(x, y, depth)
    if (x instanceof PDFDict) return y instanceof PDFDict && this.sameDict(x, y, new Set(), depth)
    return !(y instanceof PDFDict) && !(y instanceof PDFArray) && !(y instanceof PDFRawStream) && x.toString() === y.toString()
  }

  /** Keys whose values differ (ignoring `skip`). */
  changedKeys(x: PDFDict | ReadonlyMap<string, PDFObject>, y: PDFDict | ReadonlyMap<string, PDFObject>, skip: ReadonlySet<string>): Array<string> {
    const mx = x instanceof PDFDict ? entriesOf(x) : x
    const my = y instanceof PDFDict ? entriesOf(y) : y
    const keys = new Set([...mx.keys(), ...my.keys()])
    return [...keys].filter((k) => !skip.has(k) && !this.same(mx.get(k), my.get(k)))
  }

  private sameDict(x: PDFDict, y: PDFDict, skip: ReadonlySet<string>, depth: number): boolean {
    const mx = entriesOf(x), my = entriesOf(y)
    for (const k of new Set([...mx.keys(), ...my.keys()])) {
      if (!skip.has(k) && !this.same(mx.get(k), my.get(k), depth + 1)) return false
    }
    return true
  }

  private sameStream(x: PDFRawStream, y: PDFRawStream, depth: number): boolean {
    if (!this.sameDict(x.dict, y.dict, ENCODING_KEYS, depth)) return false
    if (equalBytes(x.contents, y.contents) && this.same(x.dict.get(name("Filter")), y.dict.get(name("Filter")))) {
      return this.same(x.dict.get(name("DecodeParms")), y.dict.get(name("DecodeParms")))
    }
    try {
      return equalBytes(decodeStream(x), decodeStream(y))
    } catch {
      return false // undecodable and not byte-identical: treated as changed
    }
  }

  private sharedObject(doc: PdfDocument, num: number): PDFObject | undefined {
    const key = entryKey(doc, num)
    if (!this.shared.has(key)) this.shared.set(key, doc.resolve(PDFRef.of(num, doc.genOf(num))))
    return this.shared.get(key)
  }

  private sameRef(x: PDFObject | undefined, y: PDFObject | undefined, depth: number): boolean {
    const a = this.a, b = this.b
    const xn = x instanceof PDFRef ? x.objectNumber : undefined
    const yn = y instanceof PDFRef ? y.objectNumber : undefined
    // Anchors compare by identity; their content is compared by the change analysis.
    const xPage = xn === undefined ? undefined : a.pageOf.get(xn)
    const yPage = yn === undefined ? undefined : b.pageOf.get(yn)
    if (xPage !== undefined || yPage !== undefined) return xPage === yPage
    const xNode = xn === undefined ? undefined : a.nodes.get(a.nodeOf.get(xn) ?? "")
    const yNode = yn === undefined ? undefined : b.nodes.get(b.nodeOf.get(yn) ?? "")
    if (xNode !== undefined || yNode !== undefined) {
      return xNode !== undefined && yNode !== undefined && (xNode.field ?? xNode.key) === (yNode.field ?? yNode.key)
    }
    const key = `${xn ?? "d"}:${yn ?? "d"}`
    const known = xn !== undefined && yn !== undefined ? this.memo.get(key) : undefined
    if (known !== undefined) return known
    if (xn !== undefined && yn !== undefined) this.memo.set(key, true) // a cycle back here is not a difference
    // An object both revisions read from the same bytes is parsed once: large content streams are not compared.
    const result = xn !== undefined && xn === yn && sameEntry(a.doc, b.doc, xn)
      ? ((o) => this.same(o, o, depth + 1))(this.sharedObject(a.doc, xn))
      : this.same(a.doc.resolve(x), b.doc.resolve(y), depth + 1)
    if (xn !== undefined && yn !== undefined) this.memo.set(key, result)
    return result
  }
}

const entryKey = (doc: PdfDocument, num: number): string => {
  const e = doc.xref.entries.get(num)
  return e?.kind === "offset" ? `${num}@${e.offset}` : e?.kind === "compressed" ? `${num}@${e.stream}.${e.index}` : `${num}@free`
}

/** Both revisions' xref point object `num` at the same bytes (same offset, or same slot of an unchanged object stream). */
const sameEntry = (a: PdfDocument, b: PdfDocument, num: number, depth = 0): boolean => {
  const x = a.xref.entries.get(num), y = b.xref.entries.get(num)
  if (x?.kind === "offset" && y?.kind === "offset") return x.offset === y.offset && x.gen === y.gen
  if (x?.kind === "compressed" && y?.kind === "compressed") {
    return x.stream === y.stream && x.index === y.index && depth < 2 && sameEntry(a, b, x.stream, depth + 1)
  }
  return false
}

const entriesOf = (d: PDFDict): Map<string, PDFObject> => {
  const m = new Map<string, PDFObject>()
  for (const [k, v] of d.entries()) if (!(v === PDFNull)) m.set(k.decodeText(), v)
  return m
}

/** A field's signature dictionary (/V), when it is one. */
export const signatureOf = (doc: PdfDocument, dict: PDFDict): PDFDict | undefined => {
  const v = doc.resolve(dict.get(name("V")))
  return v instanceof PDFDict ? v : undefined
}

export const describeNode = (n: NodeView): { en: string; zh: string } => {
  if (n.field !== undefined) {
    const kind = n.fieldType === "Sig" ? "signature field" : `form field (${n.fieldType ?? "?"})`
    const zhKind = n.fieldType === "Sig" ? "签名域" : `表单域（${n.fieldType ?? "?"}）`
    return { en: `${kind} "${n.field}"`, zh: `${zhKind}“${n.field}”` }
  }
  const where = n.page === undefined ? "" : ` on page ${n.page}`
  const zhWhere = n.page === undefined ? "" : `第 ${n.page} 页的`
  return { en: `annotation ${n.subtype ?? "?"}${where}`, zh: `${zhWhere}${zhWhere ? " " : ""}${n.subtype ?? "?"} 注释` }
}
