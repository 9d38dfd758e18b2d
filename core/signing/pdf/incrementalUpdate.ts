/**
 * Serialises an incremental update: the changed and new objects, then an xref
 * section of the same kind as the file's newest one (classic table or xref
 * stream) and a trailer whose /Prev points at the previous section. The
 * original bytes are never touched, so every earlier signature stays valid.
 */
import { PDFArray, PDFName, PDFRef, type PDFObject } from "pdf-lib"
import { ascii, concat } from "./bytes.ts"
import type { PdfDocument } from "./document.ts"

export interface UpdateObject {
  readonly num: number
  readonly gen: number
  /** Either a pdf-lib object or pre-serialised bytes (the /Sig dictionary). */
  readonly body: PDFObject | Uint8Array
}

export interface WrittenUpdate {
  readonly update: Uint8Array
  /** Offset (inside `update`) of each object's body, by object number. */
  readonly bodyOffsets: ReadonlyMap<number, number>
}

const serialize = (body: PDFObject | Uint8Array): Uint8Array => {
  if (body instanceof Uint8Array) return body
  const out = new Uint8Array(body.sizeInBytes())
  body.copyBytesInto(out, 0)
  return out
}

const groups = (nums: ReadonlyArray<number>): Array<[number, number]> => {
  const sorted = [...nums].sort((a, b) => a - b)
  const out: Array<[number, number]> = []
  for (const n of sorted) {
    const last = out[out.length - 1]
    if (last && last[0] + last[1] === n) last[1]++
    else out.push([n, 1])
  }
  return out
}

const trailerEntries = (doc: PdfDocument, size: number, idFallback: PDFArray): string => {
  const t = doc.xref.trailer
  const parts = [`/Size ${size}`, `/Root ${doc.catalogRef.toString()}`]
  const info = t.get(PDFName.of("Info"))
  if (info instanceof PDFRef) parts.push(`/Info ${info.toString()}`)
  const id = t.get(PDFName.of("ID"))
  parts.push(`/ID ${(id instanceof PDFArray ? id : idFallback).toString()}`)
  parts.push(`/Prev ${doc.xref.startxref}`)
  return parts.join(" ")
}

/**
 * Writes `objects` after `doc.bytes`. `idFallback` is used as /ID only when
 * the file has none. Object numbers must already be allocated by the caller.
 */
export const writeIncrementalUpdate = (
  doc: PdfDocument,
  objects: ReadonlyArray<UpdateObject>,
  idFallback: PDFArray,
): WrittenUpdate => {
  const base = doc.bytes.length
  const last = doc.bytes[base - 1]
  const chunks: Array<Uint8Array> = []
  let length = 0
  const push = (b: Uint8Array) => {
    chunks.push(b)
    length += b.length
  }
  if (last !== 0x0a && last !== 0x0d) push(ascii("\n"))
  const objectOffsets = new Map<number, { offset: number; gen: number }>()
  const bodyOffsets = new Map<number, number>()
  for (const o of objects) {
    objectOffsets.set(o.num, { offset: base + length, gen: o.gen })
    push(ascii(`${o.num} ${o.gen} obj\n`))
    bodyOffsets.set(o.num, length)
    push(serialize(o.body))
    push(ascii("\nendobj\n"))
  }
  const maxNum = Math.max(...objects.map((o) => o.num))
  const xrefOffset = base + length
  if (doc.xref.kind === "table") {
    const size = Math.max(doc.xref.nextNumber, maxNum + 1)
    let text = "xref\n"
    for (const [first, count] of groups([...objectOffsets.keys()])) {
      text += `${first} ${count}\n`
      for (let n = first; n < first + count; n++) {
        const e = objectOffsets.get(n)
        if (!e) continue
        text += `${String(e.offset).padStart(10, "0")} ${String(e.gen).padStart(5, "0")} n\r\n`
      }
    }
    text += `trailer\n<< ${trailerEntries(doc, size, idFallback)} >>\nstartxref\n${xrefOffset}\n%%EOF\n`
    push(ascii(text))
  } else {
    // The xref stream takes the next free number, so it never reuses one.
    const xrefNum = Math.max(doc.xref.nextNumber, maxNum + 1)
    objectOffsets.set(xrefNum, { offset: xrefOffset, gen: 0 })
    const ranges = groups([...objectOffsets.keys()])
    const rows: Array<number> = []
    for (const [first, count] of ranges) {
      for (let n = first; n < first + count; n++) {
        const e = objectOffsets.get(n)
        const off = e?.offset ?? 0
        rows.push(1, (off >>> 24) & 0xff, (off >>> 16) & 0xff, (off >>> 8) & 0xff, off & 0xff, (e?.gen ?? 0) >> 8, (e?.gen ?? 0) & 0xff)
      }
    }
    const data = new Uint8Array(rows)
    const index = ranges.map(([a, b]) => `${a} ${b}`).join(" ")
    push(
      ascii(
        `${xrefNum} 0 obj\n<< /Type /XRef ${trailerEntries(doc, xrefNum + 1, idFallback)} /W [1 4 2] /Index [${index}] /Length ${data.length} >>\nstream\n`,
      ),
    )
    push(data)
    push(ascii(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`))
  }
  return { update: concat(chunks), bodyOffsets }
}
