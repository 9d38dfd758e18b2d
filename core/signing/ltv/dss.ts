/**
 * The Document Security Store (PDF 2.0 §12.8.4.3, ETSI EN 319 142-1 B-LT):
 * certificates, CRLs and OCSP responses kept in the file, so its signatures
 * can be validated after the CA's services are gone. Read by the verifier;
 * written as one incremental update that keeps every earlier entry (the
 * catalog gets /DSS; nothing else changes, so verifiers see "validation data
 * added", an allowed change after any signature).
 */
import { PDFArray, PDFContext, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFRef, type PDFObject } from "pdf-lib"
import type { RevocationData } from "../../ports/RevocationFetcher.ts"
import { equalBytes, toHex } from "../pdf/bytes.ts"
import { getDict, name, type PdfDocument } from "../pdf/document.ts"
import { ChangedObjects } from "../pdf/formUpdate.ts"
import { writeIncrementalUpdate } from "../pdf/incrementalUpdate.ts"
import { decodeStream } from "../pdf/objects.ts"

export interface DssContents extends RevocationData {
  readonly certs: ReadonlyArray<Uint8Array>
}

export const emptyDss: DssContents = { certs: [], crls: [], ocsps: [] }

const KEYS = { certs: "Certs", crls: "CRLs", ocsps: "OCSPs" } as const

/** The streams of one DSS array, decoded; unreadable entries are skipped (they answer nothing). */
const streamsOf = (doc: PdfDocument, arr: PDFObject | undefined): Array<Uint8Array> => {
  const a = doc.resolve(arr)
  if (!(a instanceof PDFArray)) return []
  return [...Array(Math.min(a.size(), 10_000)).keys()].flatMap((i) => {
    const s = doc.resolve(a.get(i))
    if (!(s instanceof PDFRawStream)) return []
    try {
      return [decodeStream(s)]
    } catch {
      return []
    }
  })
}

/** Everything the file's DSS holds (the /VRI entries only index the same streams). */
export const readDss = (doc: PdfDocument): DssContents => {
  const dss = getDict(doc, doc.catalog, "DSS")
  if (!dss) return emptyDss
  return {
    certs: streamsOf(doc, dss.get(name(KEYS.certs))),
    crls: streamsOf(doc, dss.get(name(KEYS.crls))),
    ocsps: streamsOf(doc, dss.get(name(KEYS.ocsps))),
  }
}

/** What validates one signature, under its VRI key (uppercase hex SHA-1 of its /Contents value). */
export interface VriEntry extends DssContents {
  readonly key: string
}

export interface DssAddition {
  readonly entries: ReadonlyArray<VriEntry>
  /** 16 bytes used as /ID only when the file has none. */
  readonly idSeed: Uint8Array
}

/**
 * Appends an update whose catalog /DSS holds the old entries plus the new
 * ones (each distinct blob stored once) and a /VRI entry per signature.
 */
export const addDss = (doc: PdfDocument, addition: DssAddition): Uint8Array => {
  const context = PDFContext.create()
  context.largestObjectNumber = doc.xref.nextNumber - 1
  const old = getDict(doc, doc.catalog, "DSS")
  const oldVri = old && getDict(doc, old, "VRI")
  const dss = context.obj({}) as PDFDict
  const existing = readDss(doc)
  const refsFor = {} as Record<keyof typeof KEYS, Array<{ ref: PDFRef; bytes: Uint8Array }>>
  for (const k of Object.keys(KEYS) as Array<keyof typeof KEYS>) {
    const arr = old && doc.resolve(old.get(name(KEYS[k])))
    const oldRefs = arr instanceof PDFArray ? [...Array(arr.size()).keys()].flatMap((i) => (arr.get(i) instanceof PDFRef ? [arr.get(i) as PDFRef] : [])) : []
    // Old streams keep their object numbers: the update only points at them again.
    refsFor[k] = oldRefs.length === existing[k].length ? oldRefs.map((ref, i) => ({ ref, bytes: existing[k][i] as Uint8Array })) : []
  }
  const refOf = (k: keyof typeof KEYS, bytes: Uint8Array): PDFRef => {
    const hit = refsFor[k].find((e) => equalBytes(e.bytes, bytes))
    if (hit) return hit.ref
    const ref = context.register(context.flateStream(bytes))
    refsFor[k].push({ ref, bytes })
    return ref
  }
  const vri = oldVri ? oldVri.clone() : (context.obj({}) as PDFDict)
  for (const e of addition.entries) {
    const entry = context.obj({}) as PDFDict
    const put = (k: keyof typeof KEYS, vriKey: string) => {
      const list = e[k]
      if (list.length > 0) entry.set(PDFName.of(vriKey), context.obj(list.map((b) => refOf(k, b))))
    }
    put("certs", "Cert")
    put("crls", "CRL")
    put("ocsps", "OCSP")
    vri.set(PDFName.of(e.key), context.register(entry))
  }
  for (const k of Object.keys(KEYS) as Array<keyof typeof KEYS>) {
    if (refsFor[k].length > 0) dss.set(PDFName.of(KEYS[k]), context.obj(refsFor[k].map((e) => e.ref)))
  }
  dss.set(PDFName.of("VRI"), context.register(vri))
  const dssRef = context.register(dss)
  const changes = new ChangedObjects(doc)
  changes.edit(doc.catalogRef, doc.catalog).set(name("DSS"), dssRef)
  const fresh = context.enumerateIndirectObjects().map(([ref, body]) => ({ num: ref.objectNumber, gen: 0, body }))
  const id = PDFHexString.of(toHex(addition.idSeed))
  return writeIncrementalUpdate(doc, [...changes.toUpdateObjects(), ...fresh], context.obj([id, id]) as PDFArray).update
}
