/**
 * The document's history as a verifier reports it: each revision, what it
 * changed compared with the one before (allowed or not, by which rule), the
 * bytes after the last revision that no signature covers, and the signatures
 * an earlier revision had that the final one lost.
 */
import { PDFArray, PDFName, PDFNumber, type PDFObject } from "pdf-lib"
import { formFields, type PdfDocument } from "../pdf/document.ts"
import { workMeter, type WorkMeter } from "../pdf/limits.ts"
import { PdfMalformed } from "../pdf/PdfErrors.ts"
import { revisionChanges, type Change } from "./changeRules.ts"
import { signatureOf } from "./objectGraph.ts"
import { revisionEndingAt, splitRevisions, type Revision } from "./revisions.ts"

export interface RevisionReport {
  /** 1-based, oldest first. */
  readonly number: number
  /** Byte length of the file up to this revision's %%EOF. */
  readonly end: number
  /** Signature fields whose signature covers exactly this revision. */
  readonly signedBy: ReadonlyArray<string>
  /** Changes compared with the previous revision (empty for revisions up to the first signature). */
  readonly changes: ReadonlyArray<Change>
  /** Some change in it is not allowed after a signature. */
  readonly modified: boolean
}

export interface RemovedSignature {
  readonly field: string
  /** Last revision that still had it. */
  readonly lastSeenIn: number
}

export interface History {
  /** The document as its last complete revision shows it. */
  readonly final: PdfDocument
  readonly revisions: ReadonlyArray<Revision>
  readonly reports: ReadonlyArray<RevisionReport>
  readonly trailing: { readonly from: number; readonly to: number } | undefined
  readonly removed: ReadonlyArray<RemovedSignature>
  /** The revision a signed range ending at `end` covers. */
  readonly revisionOf: (end: number) => Revision | undefined
  /** Forbidden changes made after revision `n`, including uncovered trailing bytes. */
  readonly forbiddenAfter: (n: number) => ReadonlyArray<Change>
}

/** A revision whose objects cannot be read (a broken xref entry, a bad stream) changed what a reader sees in unknown ways. */
const readableChanges = (prev: Revision, rev: Revision, shared: Map<string, PDFObject | undefined>): ReadonlyArray<Change> => {
  try {
    return revisionChanges(prev.doc, rev.doc, rev, shared)
  } catch (e) {
    const reason = e instanceof PdfMalformed ? `${e.check}: ${e.reason}` : String(e)
    return [{ allowed: false, rule: "forbidden", en: `revision ${rev.number} cannot be read (${reason})`, zh: `第 ${rev.number} 版无法读取（${reason}）` }]
  }
}

/** End offset of a signature's ByteRange, when it has the [0 b c d] shape. */
export const byteRangeEnd = (doc: PdfDocument, br: unknown): number | undefined => {
  if (!(br instanceof PDFArray) || br.size() !== 4) return undefined
  const c = doc.resolve(br.get(2)), d = doc.resolve(br.get(3))
  return c instanceof PDFNumber && d instanceof PDFNumber ? c.asNumber() + d.asNumber() : undefined
}

/** Signed fields by their ByteRange (the signature's identity), with where the range ends. */
const signatureKeys = (doc: PdfDocument): Map<string, { readonly field: string; readonly end: number | undefined }> => {
  const out = new Map<string, { field: string; end: number | undefined }>()
  for (const f of formFields(doc)) {
    const sig = signatureOf(doc, f.dict)
    const br = sig && doc.resolve(sig.get(PDFName.of("ByteRange")))
    if (br instanceof PDFArray && !out.has(br.toString())) out.set(br.toString(), { field: f.fullName, end: byteRangeEnd(doc, br) })
  }
  return out
}

export const analyseHistory = (bytes: Uint8Array, meter: WorkMeter = workMeter()): History => {
  const { list, trailing } = splitRevisions(bytes, meter)
  const revisionOf = (end: number) => revisionEndingAt({ list, trailing }, end)
  const keysOf = list.map((rev) => signatureKeys(rev.doc))
  // Revisions before the first signature are the unsigned drafting history: not judged.
  const shared = new Map<string, PDFObject | undefined>()
  const firstSigned = Math.min(...keysOf.flatMap((keys) => [...keys.values()].flatMap((s) => (s.end === undefined ? [] : revisionOf(s.end)?.number ?? []))))
  const reports: Array<RevisionReport> = list.map((rev, i) => {
    const prev = list[i - 1]
    const changes = prev && rev.number > firstSigned ? readableChanges(prev, rev, shared) : []
    const signedBy = [...(keysOf[i] ?? new Map()).values()].flatMap((s) =>
      s.end !== undefined && revisionOf(s.end)?.number === rev.number ? [s.field] : []
    )
    return { number: rev.number, end: rev.end, signedBy, changes, modified: changes.some((c) => !c.allowed) }
  })
  const last = list[list.length - 1] as Revision
  const finalKeys = keysOf[keysOf.length - 1] ?? new Map()
  const removed = new Map<string, RemovedSignature>()
  list.forEach((rev, i) => {
    for (const [key, s] of keysOf[i] ?? []) if (!finalKeys.has(key)) removed.set(key, { field: s.field, lastSeenIn: rev.number })
  })
  const trailingChange: Array<Change> = trailing
    ? [{
      allowed: false, rule: "forbidden",
      en: `${trailing.to - trailing.from} bytes after the last %%EOF are covered by no signature (some viewers show them)`,
      zh: `最后一个 %%EOF 之后有 ${trailing.to - trailing.from} 字节未被任何签名覆盖（部分阅读器会显示这些内容）`,
    }]
    : []
  const forbiddenAfter = (n: number) => [
    ...reports.filter((r) => r.number > n).flatMap((r) => r.changes.filter((c) => !c.allowed).map((c) => ({ ...c, en: `revision ${r.number}: ${c.en}`, zh: `第 ${r.number} 版：${c.zh}` }))),
    ...trailingChange,
  ]
  return { final: last.doc, revisions: list, reports, trailing, removed: [...removed.values()], revisionOf, forbiddenAfter }
}

