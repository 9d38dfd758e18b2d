/**
 * Cross-reference reading: follows startxref and every /Prev through classic
 * tables, xref streams and hybrid files, newest section first, so the index
 * maps each object number to its latest definition.
 */
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFRawStream } from "pdf-lib"
import { isWhitespace, lastIndexOf, latin1 } from "./bytes.ts"
import { MAX_OBJECT_NUMBER } from "./limits.ts"
import { decodeStream, parseIndirectAt, parseObject } from "./objects.ts"
import { PdfLimitExceeded, PdfMalformed } from "./PdfErrors.ts"

export type XrefEntry =
  | { readonly kind: "offset"; readonly offset: number; readonly gen: number }
  | { readonly kind: "compressed"; readonly stream: number; readonly index: number }
  | { readonly kind: "free" }

export interface XrefSection {
  readonly offset: number
  readonly kind: "table" | "stream"
  readonly trailer: PDFDict
  /** Object number of the xref stream itself (kind "stream"). */
  readonly streamNum?: number
}

export interface XrefIndex {
  readonly entries: ReadonlyMap<number, XrefEntry>
  /** Newest trailer (or xref stream dictionary). */
  readonly trailer: PDFDict
  readonly startxref: number
  /** Kind of the newest section: the update we append uses the same kind. */
  readonly kind: "table" | "stream"
  /** First object number that is free for new objects (>= every /Size and every number seen). */
  readonly nextNumber: number
  readonly sections: ReadonlyArray<XrefSection>
}

const numberOf = (dict: PDFDict, key: string): number | undefined => {
  const v = dict.get(PDFName.of(key))
  return v instanceof PDFNumber ? v.asNumber() : undefined
}

/**
 * A cross-reference subsection `first count`: integers, numbers below 2^31,
 * and no more entries than the file has bytes (each object takes at least
 * one), so a 300-byte file cannot announce 16 million objects.
 */
const checkSubsection = (bytes: Uint8Array, first: number, count: number) => {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || first < 0 || count < 0) {
    throw new PdfMalformed({ check: "xref", reason: `bad subsection ${first} ${count}` })
  }
  if (count > bytes.length) throw new PdfLimitExceeded({ limit: "cross-reference entries", value: count, max: bytes.length })
  if (count > 0 && first + count - 1 > MAX_OBJECT_NUMBER) {
    throw new PdfLimitExceeded({ limit: "object number", value: first + count - 1, max: MAX_OBJECT_NUMBER })
  }
}

/** /Size counts objects: bounded like a subsection. */
const checkSize = (bytes: Uint8Array, size: number | undefined) => {
  if (size !== undefined) checkSubsection(bytes, 0, size)
}

/** Offset written after the last `startxref` keyword. */
export const findStartxref = (bytes: Uint8Array): number => {
  const at = lastIndexOf(bytes, "startxref", bytes.length - 9)
  if (at < 0) throw new PdfMalformed({ check: "startxref", reason: "no startxref keyword near the end of the file" })
  const m = /^startxref\s+(\d+)/.exec(latin1(bytes, at, at + 40))
  if (!m?.[1]) throw new PdfMalformed({ check: "startxref", reason: "startxref is not followed by an offset" })
  const offset = Number(m[1])
  if (offset <= 0 || offset >= bytes.length) {
    throw new PdfMalformed({ check: "startxref", reason: `startxref ${offset} is outside the file` })
  }
  return offset
}

const readTable = (bytes: Uint8Array, offset: number, context: PDFContext, into: Map<number, XrefEntry>) => {
  let i = offset + 4
  const frees: Array<number> = []
  const text = (from: number, len: number) => latin1(bytes, from, from + len)
  for (;;) {
    while (isWhitespace(bytes[i])) i++
    if (text(i, 7) === "trailer") break
    const head = /^(\d+)\s+(\d+)/.exec(text(i, 40))
    if (!head?.[1] || !head[2]) throw new PdfMalformed({ check: "xref table", reason: `bad subsection at ${i}` })
    const first = Number(head[1])
    const count = Number(head[2])
    checkSubsection(bytes, first, count)
    if (count * 18 > bytes.length - i) throw new PdfMalformed({ check: "xref table", reason: `${count} entries do not fit in the file` })
    i += head[0].length
    for (let k = 0; k < count; k++) {
      while (isWhitespace(bytes[i])) i++
      const line = /^(\d{1,10})\s+(\d{1,5})\s+([nf])/.exec(text(i, 20))
      if (!line?.[1] || !line[2] || !line[3]) {
        throw new PdfMalformed({ check: "xref table", reason: `bad entry for object ${first + k} at ${i}` })
      }
      i += line[0].length
      const n = first + k
      if (line[3] === "f") frees.push(n)
      else if (!into.has(n)) into.set(n, { kind: "offset", offset: Number(line[1]), gen: Number(line[2]) })
    }
  }
  const trailer = parseObject(bytes, i + 7, context)
  if (!(trailer instanceof PDFDict)) throw new PdfMalformed({ check: "trailer", reason: "trailer is not a dictionary" })
  return { trailer, frees }
}

const readStream = (bytes: Uint8Array, offset: number, context: PDFContext, into: Map<number, XrefEntry>) => {
  const { num, object } = parseIndirectAt(bytes, offset, context)
  if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) {
    throw new PdfMalformed({ check: "xref stream", reason: `object ${num} at ${offset} is not an /XRef stream` })
  }
  const dict = object.dict
  const w = dict.get(PDFName.of("W"))
  const size = numberOf(dict, "Size")
  if (!(w instanceof PDFArray) || size === undefined) {
    throw new PdfMalformed({ check: "xref stream", reason: "missing /W or /Size" })
  }
  const widths = [0, 1, 2].map((k) => {
    const v = w.get(k)
    return v instanceof PDFNumber ? v.asNumber() : 0
  })
  checkSize(bytes, size)
  const index = dict.get(PDFName.of("Index"))
  const ranges: Array<[number, number]> = []
  if (index instanceof PDFArray) {
    for (let k = 0; k + 1 < index.size(); k += 2) {
      const a = index.get(k), b = index.get(k + 1)
      if (a instanceof PDFNumber && b instanceof PDFNumber) ranges.push([a.asNumber(), b.asNumber()])
    }
  } else ranges.push([0, size])
  const total = ranges.reduce((n, [first, count]) => (checkSubsection(bytes, first, count), n + count), 0)
  checkSubsection(bytes, 0, total)
  const data = decodeStream(object)
  const [w0 = 0, w1 = 0, w2 = 0] = widths
  if (widths.some((x) => !Number.isInteger(x) || x < 0 || x > 8) || (w0 + w1 + w2 === 0 && total > 0)) {
    throw new PdfMalformed({ check: "xref stream", reason: `bad /W [${widths.join(" ")}]` })
  }
  let at = 0
  const field = (width: number, dflt: number) => {
    if (width === 0) return dflt
    let v = 0
    for (let k = 0; k < width; k++) v = v * 256 + (data[at++] ?? 0)
    return v
  }
  for (const [first, count] of ranges) {
    for (let k = 0; k < count; k++) {
      if (at + w0 + w1 + w2 > data.length) throw new PdfMalformed({ check: "xref stream", reason: "data too short" })
      const type = field(w0, 1), f2 = field(w1, 0), f3 = field(w2, 0)
      const n = first + k
      if (into.has(n)) continue
      if (type === 1) into.set(n, { kind: "offset", offset: f2, gen: f3 })
      else if (type === 2) {
        // The object stream's number becomes a lower bound for new objects: it too stays below 2^31.
        if (f2 > MAX_OBJECT_NUMBER) throw new PdfLimitExceeded({ limit: "object number", value: f2, max: MAX_OBJECT_NUMBER })
        into.set(n, { kind: "compressed", stream: f2, index: f3 })
      }
      else if (type === 0) into.set(n, { kind: "free" })
    }
  }
  return { trailer: dict, num }
}

export const readXref = (bytes: Uint8Array, context: PDFContext): XrefIndex => {
  const startxref = findStartxref(bytes)
  const entries = new Map<number, XrefEntry>()
  const sections: Array<XrefSection> = []
  const seen = new Set<number>()
  let nextNumber = 0
  let offset: number | undefined = startxref
  while (offset !== undefined) {
    if (seen.has(offset)) throw new PdfMalformed({ check: "xref /Prev", reason: `loop at offset ${offset}` })
    seen.add(offset)
    let at = offset
    while (isWhitespace(bytes[at])) at++
    let trailer: PDFDict
    if (latin1(bytes, at, at + 4) === "xref") {
      const table = readTable(bytes, at, context, entries)
      trailer = table.trailer
      const xrefStm = numberOf(trailer, "XRefStm")
      if (xrefStm !== undefined) {
        const s = readStream(bytes, xrefStm, context, entries)
        nextNumber = Math.max(nextNumber, s.num + 1)
      }
      for (const n of table.frees) if (!entries.has(n)) entries.set(n, { kind: "free" })
      sections.push({ offset: at, kind: "table", trailer })
    } else {
      const s = readStream(bytes, at, context, entries)
      trailer = s.trailer
      nextNumber = Math.max(nextNumber, s.num + 1)
      sections.push({ offset: at, kind: "stream", trailer, streamNum: s.num })
    }
    checkSize(bytes, numberOf(trailer, "Size"))
    nextNumber = Math.max(nextNumber, numberOf(trailer, "Size") ?? 0)
    const prev = numberOf(trailer, "Prev")
    if (prev !== undefined && (prev <= 0 || prev >= bytes.length)) {
      throw new PdfMalformed({ check: "xref /Prev", reason: `/Prev ${prev} is outside the file` })
    }
    offset = prev
  }
  for (const [n, e] of entries) {
    nextNumber = Math.max(nextNumber, n + 1)
    if (e.kind === "compressed") nextNumber = Math.max(nextNumber, e.stream + 1)
  }
  const newest = sections[0]
  if (!newest) throw new PdfMalformed({ check: "xref", reason: "no cross-reference section" })
  return { entries, trailer: newest.trailer, startxref, kind: newest.kind, nextNumber, sections }
}
