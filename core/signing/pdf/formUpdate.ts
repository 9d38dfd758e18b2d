/**
 * The changed existing objects a new signature field needs: page /Annots and
 * the AcroForm /Fields are EXTENDED (never replaced), /SigFlags set to 3, and
 * the catalog only rewritten when it holds the AcroForm directly, gets one,
 * or gets /Perms for a certification.
 */
import { PDFArray, PDFDict, PDFNumber, PDFRef, type PDFContext } from "pdf-lib"
import { getDict, name, type PdfDocument } from "./document.ts"
import type { UpdateObject } from "./incrementalUpdate.ts"

/** Collects rewritten versions of existing objects, keyed by object number. */
export class ChangedObjects {
  readonly doc: PdfDocument
  readonly objects = new Map<number, PDFDict | PDFArray>()
  constructor(doc: PdfDocument) {
    this.doc = doc
  }
  /** A writable copy of an existing indirect dict or array (the first copy is kept). */
  edit<T extends PDFDict | PDFArray>(ref: PDFRef, original: T): T {
    const existing = this.objects.get(ref.objectNumber)
    if (existing) return existing as T
    const copy = original.clone() as T
    this.objects.set(ref.objectNumber, copy)
    return copy
  }
  toUpdateObjects(): ReadonlyArray<UpdateObject> {
    return [...this.objects].map(([num, body]) => ({ num, gen: this.doc.genOf(num), body }))
  }
}

/** Appends `refs` to the array stored under `key` of `holder`, editing whichever object owns the array. */
const appendToArray = (
  changes: ChangedObjects,
  context: PDFContext,
  holder: PDFDict,
  key: string,
  refs: ReadonlyArray<PDFRef>,
): void => {
  const raw = holder.get(name(key))
  if (raw instanceof PDFRef) {
    const arr = changes.doc.resolve(raw)
    if (arr instanceof PDFArray) {
      const copy = changes.edit(raw, arr)
      for (const r of refs) copy.push(r)
      return
    }
  }
  const copy = raw instanceof PDFArray ? raw.clone() : PDFArray.withContext(context)
  for (const r of refs) copy.push(r)
  holder.set(name(key), copy)
}

/** Adds widget annotations to their pages. */
export const addAnnotations = (
  changes: ChangedObjects,
  context: PDFContext,
  byPage: ReadonlyMap<number, { readonly pageRef: PDFRef; readonly widgets: Array<PDFRef> }>,
): void => {
  for (const { pageRef, widgets } of byPage.values()) {
    const page = changes.doc.resolve(pageRef)
    if (!(page instanceof PDFDict)) continue
    const copy = changes.edit(pageRef, page)
    appendToArray(changes, context, copy, "Annots", widgets)
  }
}

/** Registers the field in the AcroForm, creating the form when the document has none. */
export const addField = (
  changes: ChangedObjects,
  context: PDFContext,
  fieldRef: PDFRef,
  certification: PDFRef | undefined,
): void => {
  const doc = changes.doc
  const rawForm = doc.catalog.get(name("AcroForm"))
  let catalog: PDFDict | undefined
  const catalogCopy = () => (catalog ??= changes.edit(doc.catalogRef, doc.catalog))
  if (rawForm instanceof PDFRef && doc.resolve(rawForm) instanceof PDFDict) {
    const form = changes.edit(rawForm, doc.resolve(rawForm) as PDFDict)
    appendToArray(changes, context, form, "Fields", [fieldRef])
    form.set(name("SigFlags"), PDFNumber.of(3))
  } else {
    const existing = getDict(doc, doc.catalog, "AcroForm")
    const form = existing ? existing.clone() : PDFDict.withContext(context)
    appendToArray(changes, context, form, "Fields", [fieldRef])
    form.set(name("SigFlags"), PDFNumber.of(3))
    // A new AcroForm becomes its own object; a direct one stays direct in the catalog.
    catalogCopy().set(name("AcroForm"), existing ? form : context.register(form))
  }
  if (certification) {
    const perms = getDict(doc, doc.catalog, "Perms")?.clone() ?? PDFDict.withContext(context)
    perms.set(name("DocMDP"), certification)
    catalogCopy().set(name("Perms"), perms)
  }
}
