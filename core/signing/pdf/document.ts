/**
 * A read-only view of an existing PDF: resolves objects on demand through the
 * xref index, never parses what signing does not need (large content streams
 * are left untouched).
 */
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, PDFHexString, type PDFObject } from "pdf-lib"
import { latin1 } from "./bytes.ts"
import { attachMeter, workMeter, type WorkMeter } from "./limits.ts"
import { parseIndirectAt, readObjectStream } from "./objects.ts"
import { PdfEncrypted, PdfMalformed } from "./PdfErrors.ts"
import { readXref, type XrefIndex } from "./xref.ts"

export interface PdfDocument {
  readonly bytes: Uint8Array
  readonly xref: XrefIndex
  /** Resolves a reference (or returns a direct object as is); undefined for free/missing objects. */
  readonly resolve: (obj: PDFObject | undefined) => PDFObject | undefined
  readonly catalogRef: PDFRef
  readonly catalog: PDFDict
  /** Generation number of an object as found in the xref (0 for compressed objects). */
  readonly genOf: (num: number) => number
  /** The work this document has cost so far, against its caps (shared when passed in). */
  readonly meter: WorkMeter
}

export const name = (n: string): PDFName => PDFName.of(n)

/** Opens `bytes`; `meter` (default: a fresh one with the default caps) is charged for everything read through the document. */
export const openPdf = (bytes: Uint8Array, meter: WorkMeter = workMeter()): PdfDocument => {
  if (latin1(bytes, 0, 1024).indexOf("%PDF-") < 0) {
    throw new PdfMalformed({ check: "header", reason: "no %PDF- header in the first 1024 bytes" })
  }
  const context = PDFContext.create()
  attachMeter(context, meter)
  const xref = readXref(bytes, context)
  if (xref.trailer.get(name("Encrypt")) !== undefined) {
    throw new PdfEncrypted({ reason: "the trailer has an /Encrypt dictionary" })
  }
  const cache = new Map<number, PDFObject | undefined>()
  const streams = new Map<number, ReadonlyArray<{ num: number; object: PDFObject }>>()

  const load = (num: number): PDFObject | undefined => {
    const entry = xref.entries.get(num)
    if (!entry || entry.kind === "free") return undefined
    if (entry.kind === "offset") {
      const found = parseIndirectAt(bytes, entry.offset, context)
      if (found.num !== num) {
        throw new PdfMalformed({ check: "xref offset", reason: `xref says object ${num} is at ${entry.offset}, found ${found.num}` })
      }
      return found.object
    }
    let objs = streams.get(entry.stream)
    if (!objs) {
      // An object stream is itself never compressed (PDF 32000 7.5.7): no chain of streams to recurse through.
      if (xref.entries.get(entry.stream)?.kind !== "offset") {
        throw new PdfMalformed({ check: "object stream", reason: `object stream ${entry.stream} is not an uncompressed object` })
      }
      const stream = resolveNum(entry.stream)
      if (!(stream instanceof PDFRawStream)) {
        throw new PdfMalformed({ check: "object stream", reason: `object ${entry.stream} is not a stream` })
      }
      objs = readObjectStream(stream, context)
      streams.set(entry.stream, objs)
    }
    const hit = objs[entry.index]
    if (!hit || hit.num !== num) {
      throw new PdfMalformed({ check: "object stream", reason: `object ${num} not at index ${entry.index} of ${entry.stream}` })
    }
    return hit.object
  }
  const resolveNum = (num: number): PDFObject | undefined => {
    if (!cache.has(num)) {
      cache.set(num, undefined) // cycle guard
      cache.set(num, load(num))
    }
    return cache.get(num)
  }
  const resolve = (obj: PDFObject | undefined): PDFObject | undefined =>
    obj instanceof PDFRef ? resolveNum(obj.objectNumber) : obj

  const rootRef = xref.trailer.get(name("Root"))
  if (!(rootRef instanceof PDFRef)) throw new PdfMalformed({ check: "trailer /Root", reason: "missing /Root reference" })
  const catalog = resolve(rootRef)
  if (!(catalog instanceof PDFDict)) throw new PdfMalformed({ check: "catalog", reason: "/Root is not a dictionary" })
  const genOf = (num: number) => {
    const e = xref.entries.get(num)
    return e?.kind === "offset" ? e.gen : 0
  }
  return { bytes, xref, resolve, catalogRef: rootRef, catalog, genOf, meter }
}

export const getDict = (doc: PdfDocument, dict: PDFDict, key: string): PDFDict | undefined => {
  const v = doc.resolve(dict.get(name(key)))
  return v instanceof PDFDict ? v : undefined
}

export const getArray = (doc: PdfDocument, dict: PDFDict, key: string): PDFArray | undefined => {
  const v = doc.resolve(dict.get(name(key)))
  return v instanceof PDFArray ? v : undefined
}

export const getNumber = (doc: PdfDocument, dict: PDFDict, key: string): number | undefined => {
  const v = doc.resolve(dict.get(name(key)))
  return v instanceof PDFNumber ? v.asNumber() : undefined
}

export const textOf = (obj: PDFObject | undefined): string | undefined =>
  obj instanceof PDFString || obj instanceof PDFHexString ? obj.decodeText() : undefined

/** Page references in document order (walks /Pages /Kids, guarding against cycles). */
export const pageRefs = (doc: PdfDocument): ReadonlyArray<PDFRef> => {
  const out: Array<PDFRef> = []
  const seen = new Set<number>()
  const walk = (ref: PDFObject | undefined, depth: number) => {
    if (!(ref instanceof PDFRef) || seen.has(ref.objectNumber) || depth > 64) return
    seen.add(ref.objectNumber)
    const node = doc.resolve(ref)
    if (!(node instanceof PDFDict)) return
    const kids = getArray(doc, node, "Kids")
    if (node.get(name("Type")) === name("Page") || !kids) {
      out.push(ref)
      return
    }
    for (let i = 0; i < kids.size(); i++) walk(kids.get(i), depth + 1)
  }
  walk(doc.catalog.get(name("Pages")), 0)
  if (out.length === 0) throw new PdfMalformed({ check: "page tree", reason: "the document has no pages" })
  return out
}

export interface FieldInfo {
  readonly ref: PDFRef | undefined
  readonly dict: PDFDict
  readonly fullName: string
}

/** Every field of the AcroForm (terminal and non-terminal), with fully qualified names. */
export const formFields = (doc: PdfDocument): ReadonlyArray<FieldInfo> => {
  const form = getDict(doc, doc.catalog, "AcroForm")
  const fields = form && getArray(doc, form, "Fields")
  const out: Array<FieldInfo> = []
  const seen = new Set<number>()
  const walk = (obj: PDFObject | undefined, prefix: string, depth: number) => {
    if (obj instanceof PDFRef) {
      if (seen.has(obj.objectNumber)) return
      seen.add(obj.objectNumber)
    }
    const dict = doc.resolve(obj)
    if (!(dict instanceof PDFDict) || depth > 32) return
    const t = textOf(doc.resolve(dict.get(name("T"))))
    const fullName = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t
    out.push({ ref: obj instanceof PDFRef ? obj : undefined, dict, fullName })
    const kids = getArray(doc, dict, "Kids")
    if (kids) for (let i = 0; i < kids.size(); i++) walk(kids.get(i), fullName, depth + 1)
  }
  if (fields) for (let i = 0; i < fields.size(); i++) walk(fields.get(i), "", 0)
  return out
}
