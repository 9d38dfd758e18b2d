/**
 * What a later revision changed. Business rule: after a signature, only
 * signature fields, their widgets and appearances, the AcroForm field list,
 * page /Annots (append only), DocMDP /Perms and a DSS may be added; anything
 * else is reported as a change to the signed document.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFObject } from "pdf-lib"
import type { PdfDocument } from "../pdf/document.ts"

const ALLOWED_KEYS: Record<string, ReadonlySet<string>> = {
  Catalog: new Set(["AcroForm", "Perms", "DSS", "Extensions"]),
  Page: new Set(["Annots"]),
  AcroForm: new Set(["Fields", "SigFlags", "DR", "DA"]),
  SigField: new Set(["V", "AP", "Lock"]),
}

const text = (o: PDFObject | undefined) => (o === undefined ? "" : o.toString())

const kindOf = (doc: PdfDocument, num: number, dict: PDFDict): string => {
  if (num === doc.catalogRef.objectNumber) return "Catalog"
  const type = dict.get(PDFName.of("Type"))
  if (type === PDFName.of("Page")) return "Page"
  if (dict.get(PDFName.of("FT")) === PDFName.of("Sig")) return "SigField"
  if (dict.get(PDFName.of("Fields")) !== undefined) return "AcroForm"
  return type instanceof PDFName ? type.decodeText() : "object"
}

/** Disallowed changes made in `after` to objects that existed in `before`. */
export const disallowedChanges = (before: PdfDocument, after: PdfDocument): ReadonlyArray<string> => {
  const out: Array<string> = []
  const acroForm = before.resolve(before.catalog.get(PDFName.of("AcroForm")))
  for (const [num, entry] of after.xref.entries) {
    const old = before.xref.entries.get(num)
    if (!old || old.kind === "free") continue // new object: reachable only through checked changes
    if (JSON.stringify(old) === JSON.stringify(entry)) continue
    const oldObj = resolveNum(before, num)
    const newObj = resolveNum(after, num)
    if (newObj === undefined) {
      out.push(`object ${num} deleted`)
      continue
    }
    if (oldObj instanceof PDFArray && newObj instanceof PDFArray) {
      const prefix = [...Array(oldObj.size()).keys()].every((i) => text(oldObj.get(i)) === text(newObj.get(i)))
      if (!prefix) out.push(`array object ${num} changed (not an append)`)
      continue
    }
    if (oldObj instanceof PDFDict && newObj instanceof PDFDict) {
      const kind = oldObj === acroForm ? "AcroForm" : kindOf(before, num, oldObj)
      const allowed = ALLOWED_KEYS[kind] ?? new Set<string>()
      const keys = new Set([...oldObj.keys(), ...newObj.keys()].map((k) => k.decodeText()))
      for (const k of keys) {
        if (allowed.has(k)) continue
        if (text(oldObj.get(PDFName.of(k))) !== text(newObj.get(PDFName.of(k)))) out.push(`${kind} object ${num}: /${k} changed`)
      }
      continue
    }
    if (text(oldObj) !== text(newObj)) out.push(`object ${num} changed`)
  }
  return out
}

const resolveNum = (doc: PdfDocument, num: number): PDFObject | undefined => doc.resolve(PDFRef.of(num, doc.genOf(num)))
