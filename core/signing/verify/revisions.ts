/**
 * A PDF's revisions: the original file and each incremental update, each
 * ending with its own `startxref` and `%%EOF`. Revision k is the prefix of the
 * file up to its `%%EOF`, opened as a document of its own, which is exactly
 * what a signature whose ByteRange ends there signed.
 */
import { isWhitespace, lastIndexOf } from "../pdf/bytes.ts"
import { openPdf, type PdfDocument } from "../pdf/document.ts"
import { workMeter, type WorkMeter } from "../pdf/limits.ts"
import { PdfLimitExceeded, PdfMalformed } from "../pdf/PdfErrors.ts"

export interface Revision {
  /** 1-based, oldest first. */
  readonly number: number
  /** Offset of its `%%EOF` marker. */
  readonly eofAt: number
  /** End of the revision (after `%%EOF` and one end-of-line). */
  readonly end: number
  readonly doc: PdfDocument
}

export interface Revisions {
  readonly list: ReadonlyArray<Revision>
  /** Non-whitespace bytes after the last complete revision: covered by no signature. */
  readonly trailing: { readonly from: number; readonly to: number } | undefined
}

const EOF = [0x25, 0x25, 0x45, 0x4f, 0x46] // "%%EOF"

/** Next "%%EOF" at or after `from`; the native TypedArray search finds candidates (a byte loop is ~10x slower on 50 MB). */
const nextEof = (bytes: Uint8Array, from: number): number => {
  for (let i = bytes.indexOf(0x25, from); i >= 0 && i + 5 <= bytes.length; i = bytes.indexOf(0x25, i + 1)) {
    if (bytes[i + 1] === EOF[1] && bytes[i + 2] === EOF[2] && bytes[i + 3] === EOF[3] && bytes[i + 4] === EOF[4]) return i
  }
  return -1
}

/**
 * More revisions than any signing workflow makes (200 signatures, or 66 signers each with a
 * timestamp and DSS update): each revision reopens the
 * xref chain before it, so thousands of tiny updates would cost quadratic time.
 */
export const MAX_REVISIONS = 200

const endOfLine = (bytes: Uint8Array, at: number): number =>
  bytes[at] === 0x0d ? (bytes[at + 1] === 0x0a ? at + 2 : at + 1) : bytes[at] === 0x0a ? at + 1 : at

/**
 * Every `%%EOF` that closes a section of its own (a `startxref` after the
 * previous revision) and whose prefix opens is a revision. A `%%EOF` inside a
 * stream or the first-page section of a linearized file is not.
 */
export const splitRevisions = (bytes: Uint8Array, meter: WorkMeter = workMeter()): Revisions => {
  const list: Array<Revision> = []
  let previousEnd = 0
  let unreadable: unknown
  for (let at = nextEof(bytes, 0); at >= 0; at = nextEof(bytes, at + 5)) {
    const startxref = lastIndexOf(bytes, "startxref", at - 9)
    if (startxref < previousEnd) continue
    const end = endOfLine(bytes, at + 5)
    let doc: PdfDocument
    try {
      doc = openPdf(bytes.subarray(0, end), meter)
    } catch (e) {
      // A prefix that does not open is no revision; one that exhausts the file's caps ends the analysis.
      if (e instanceof PdfLimitExceeded) throw e
      unreadable = e
      continue
    }
    if (list.length === MAX_REVISIONS) {
      throw new PdfMalformed({ check: "revisions", reason: `more than ${MAX_REVISIONS} incremental updates` })
    }
    list.push({ number: list.length + 1, eofAt: at, end, doc })
    previousEnd = end
  }
  // No revision opens: the reason the last one did not is the file's (a broken xref says more than "no revision").
  if (list.length === 0) {
    throw unreadable instanceof PdfMalformed ? unreadable : new PdfMalformed({ check: "revisions", reason: "no complete revision (startxref … %%EOF) in the file" })
  }
  let from = previousEnd
  while (from < bytes.length && isWhitespace(bytes[from])) from++
  return { list, trailing: from < bytes.length ? { from, to: bytes.length } : undefined }
}

/** The revision a signed range ending at `end` covers (its `%%EOF`, with or without the end-of-line). */
export const revisionEndingAt = (revisions: Revisions, end: number): Revision | undefined =>
  revisions.list.find((r) => end >= r.eofAt + 5 && end <= r.end)
