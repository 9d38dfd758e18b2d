/**
 * Prepare step of a PAdES signature: appends, as one incremental update, a
 * signature field (unique /T), its widget(s) and a /Sig dictionary whose
 * /Contents is a zero-filled gap, and fills /ByteRange. Signing then hashes
 * everything but the gap and writes the CMS into it (see signPdf.ts).
 */
import { Effect } from "effect"
import { PDFArray, PDFContext, PDFDict, PDFHexString, type PDFRef } from "pdf-lib"
import { ascii, toHex } from "./bytes.ts"
import { emptyAppearance, embedPng, imageAppearance, mediaBox, type EmbeddedImage, type Rect } from "./appearance.ts"
import { formFields, getDict, getNumber, name, openPdf, pageRefs, type PdfDocument } from "./document.ts"
import { addAnnotations, addField, ChangedObjects } from "./formUpdate.ts"
import { writeIncrementalUpdate } from "./incrementalUpdate.ts"
import {
  PageNotFound,
  PdfEncrypted,
  PdfLimitExceeded,
  PdfMalformed,
  SignatureFieldNameTaken,
  type PdfError,
} from "./PdfErrors.ts"
import { pdfText } from "./pdfText.ts"
import { fillByteRange, findPlaceholders, sigDictionaryBody, type Placeholders, type SigDictionaryInput } from "./sigDictionary.ts"
import { DocumentLocked } from "./PdfErrors.ts"

export interface VisibleSignature {
  /** 1-based page number. */
  readonly page: number
  readonly rect: Rect
  /** PNG (transparency kept). */
  readonly image: Uint8Array
}

/** 骑缝章: one seal image cut into slices along the right edge of every page. */
export interface CrossPageSeal {
  readonly image: Uint8Array
  readonly width: number
  readonly height: number
  /** Distance of the seal's bottom edge from the page bottom. */
  readonly y: number
}

/** An image shown with the signature but outside its box (e.g. the signing date in a date box). */
export interface SignatureStamp extends VisibleSignature {
  /** The annotation's /Contents: what the image says, for readers and assistive technology. */
  readonly text: string
}

export interface PrepareOptions extends Omit<SigDictionaryInput, "certifyPermission"> {
  readonly fieldName?: string | undefined
  readonly visible?: VisibleSignature | undefined
  readonly crossPageSeal?: CrossPageSeal | undefined
  /** Further images written in the signed revision as locked, printable stamps (covered by this signature). */
  readonly stamps?: ReadonlyArray<SignatureStamp> | undefined
  /** Certify (DocMDP P=2: later form filling and signing allowed). Only for the first signature. */
  readonly certify?: boolean | undefined
  /** 16 bytes used as /ID only when the file has none. */
  readonly idSeed: Uint8Array
}

export interface PreparedSignature {
  readonly original: Uint8Array
  /** Bytes appended after `original`; the /Contents gap lies inside it. */
  readonly update: Uint8Array
  readonly byteRange: readonly [number, number, number, number]
  /** Placeholders with offsets relative to `update`. */
  readonly placeholders: Placeholders
  readonly fieldName: string
}

/** The three byte ranges the signature covers, as views (no copy of the original). */
export const signedParts = (p: PreparedSignature): ReadonlyArray<Uint8Array> => [
  p.original,
  p.update.subarray(0, p.placeholders.contentsStart),
  p.update.subarray(p.placeholders.contentsEnd),
]

const toPdfError = (e: unknown): PdfError =>
  e instanceof PdfMalformed || e instanceof PdfEncrypted || e instanceof PageNotFound ||
  e instanceof SignatureFieldNameTaken || e instanceof DocumentLocked || e instanceof PdfLimitExceeded
    ? e
    : new PdfMalformed({ check: "structure", reason: String(e) })

const chooseName = (doc: PdfDocument, wanted: string | undefined): string => {
  const taken = new Set(formFields(doc).map((f) => f.fullName))
  if (wanted !== undefined) {
    if (taken.has(wanted)) throw new SignatureFieldNameTaken({ name: wanted })
    return wanted
  }
  let i = 1
  while (taken.has(`Signature${i}`)) i++
  return `Signature${i}`
}

/** DocMDP rules of a certified document: P=1 forbids any change, certification only on an unsigned file. */
const checkPermissions = (doc: PdfDocument, certify: boolean): void => {
  const perms = getDict(doc, doc.catalog, "Perms")
  const docMdp = perms && getDict(doc, perms, "DocMDP")
  if (docMdp) {
    const ref = doc.resolve(docMdp.get(name("Reference")))
    const first = ref instanceof PDFArray ? doc.resolve(ref.get(0)) : undefined
    const params = first instanceof PDFDict ? getDict(doc, first, "TransformParams") : undefined
    const p = params ? (getNumber(doc, params, "P") ?? 2) : 2
    if (p === 1) throw new DocumentLocked({ reason: "certified with DocMDP P=1: no further changes allowed" })
    if (certify) throw new DocumentLocked({ reason: "the document is already certified" })
  }
  if (certify && formFields(doc).some((f) => f.dict.get(name("FT")) === name("Sig") && f.dict.get(name("V")))) {
    throw new DocumentLocked({ reason: "certification must be the first signature" })
  }
}

interface Widget {
  readonly pageIndex: number
  readonly rect: Rect
  readonly appearance: PDFRef
  /** /Contents of a stamp (every widget but the first); a cross-page seal slice says so. */
  readonly text?: string | undefined
}

const planWidgets = Effect.fn("planWidgets")(function* (
  doc: PdfDocument,
  context: PDFContext,
  pages: ReadonlyArray<PDFRef>,
  options: PrepareOptions,
) {
  const widgets: Array<Widget> = []
  const placeImage = Effect.fn("placeImage")(function* (v: VisibleSignature, text?: string) {
    if (!Number.isInteger(v.page) || v.page < 1 || v.page > pages.length) {
      return yield* new PageNotFound({ page: v.page, pageCount: pages.length })
    }
    const image = yield* embedPng(context, v.image)
    widgets.push({ pageIndex: v.page - 1, rect: v.rect, appearance: imageAppearance(context, image, v.rect), text })
  })
  if (options.visible) yield* placeImage(options.visible)
  if (options.crossPageSeal) {
    const s = options.crossPageSeal
    const image: EmbeddedImage = yield* embedPng(context, s.image)
    const slice = s.width / pages.length
    pages.forEach((ref, i) => {
      const page = doc.resolve(ref)
      const box = page instanceof PDFDict ? mediaBox(doc.resolve as (o: unknown) => unknown, page) : { x1: 595, y0: 0 }
      const rect = { x: box.x1 - slice, y: box.y0 + s.y, width: slice, height: s.height }
      const appearance = imageAppearance(context, image, rect, { fullWidth: s.width, offsetX: i * slice })
      widgets.push({ pageIndex: i, rect, appearance })
    })
  }
  for (const stamp of options.stamps ?? []) yield* placeImage(stamp, stamp.text)
  if (widgets.length === 0) {
    widgets.push({ pageIndex: 0, rect: { x: 0, y: 0, width: 0, height: 0 }, appearance: emptyAppearance(context) })
  }
  return widgets
})

export const prepareSignature = Effect.fn("prepareSignature")(function* (bytes: Uint8Array, options: PrepareOptions) {
  const doc = yield* Effect.try({ try: () => openPdf(bytes), catch: toPdfError })
  const { pages, fieldName } = yield* Effect.try({
    try: () => {
      checkPermissions(doc, options.certify === true)
      return { pages: pageRefs(doc), fieldName: chooseName(doc, options.fieldName) }
    },
    catch: toPdfError,
  })
  const context = PDFContext.create()
  context.largestObjectNumber = doc.xref.nextNumber - 1
  const sigRef = context.nextRef()
  const fieldRef = context.nextRef()
  const widgets = yield* planWidgets(doc, context, pages, options)
  return yield* Effect.try({
    try: () => {
      const rectArray = (r: Rect) => [r.x, r.y, r.x + r.width, r.y + r.height]
      const widgetDict = (w: Widget, ref: PDFRef | undefined) => {
        const pageRef = pages[w.pageIndex] as PDFRef
        const dict = context.obj({
          Type: "Annot", Subtype: "Widget", F: 132, P: pageRef, Rect: rectArray(w.rect), AP: { N: w.appearance },
        })
        if (ref) dict.set(name("Parent"), ref)
        return dict
      }
      const field = context.obj({ FT: "Sig", V: sigRef }) as PDFDict
      field.set(name("T"), pdfText(fieldName))
      const byPage = new Map<number, { pageRef: PDFRef; widgets: Array<PDFRef> }>()
      const place = (w: Widget, ref: PDFRef) => {
        const entry = byPage.get(w.pageIndex) ?? { pageRef: pages[w.pageIndex] as PDFRef, widgets: [] }
        entry.widgets.push(ref)
        byPage.set(w.pageIndex, entry)
      }
      // The field and its (first) widget are one merged dictionary, as most signers
      // write it. Further images (slices of a cross-page seal, the signing date) are
      // locked, printable /Stamp annotations created in the same signed revision:
      // poppler treats extra widget kids of a signature field as separate unsigned fields.
      const [first, ...rest] = widgets
      if (!first) throw new PdfMalformed({ check: "widgets", reason: "no widget planned" })
      const merged = widgetDict(first, undefined)
      for (const [k, v] of field.entries()) merged.set(k, v)
      context.assign(fieldRef, merged)
      place(first, fieldRef)
      for (const [k, w] of rest.entries()) {
        const stamp = widgetDict(w, undefined)
        stamp.set(name("Subtype"), name("Stamp"))
        stamp.set(name("Contents"), pdfText(w.text ?? `${fieldName} cross-page seal`))
        // Named after its signature: verifiers tell it from an annotation added later (verify/changeRules.ts).
        stamp.set(name("NM"), pdfText(`${fieldName}/stamp-${k + 1}`))
        place(w, context.register(stamp))
      }
      const changes = new ChangedObjects(doc)
      addAnnotations(changes, context, byPage)
      addField(changes, context, fieldRef, options.certify ? sigRef : undefined)
      const sigBody = ascii(sigDictionaryBody({ ...options, certifyPermission: options.certify ? 2 : undefined }))
      const fresh = context.enumerateIndirectObjects().map(([ref, body]) => ({ num: ref.objectNumber, gen: 0, body }))
      const id = PDFHexString.of(toHex(options.idSeed))
      const written = writeIncrementalUpdate(
        doc,
        [...changes.toUpdateObjects(), { num: sigRef.objectNumber, gen: 0, body: sigBody }, ...fresh],
        context.obj([id, id]) as PDFArray,
      )
      const update = written.update
      const placeholders = findPlaceholders(update, written.bodyOffsets.get(sigRef.objectNumber) ?? 0)
      const base = bytes.length
      const byteRange = [
        0,
        base + placeholders.contentsStart,
        base + placeholders.contentsEnd,
        update.length - placeholders.contentsEnd,
      ] as const
      fillByteRange(update, placeholders, byteRange)
      return { original: bytes, update, byteRange, placeholders, fieldName } satisfies PreparedSignature
    },
    catch: toPdfError,
  })
})

