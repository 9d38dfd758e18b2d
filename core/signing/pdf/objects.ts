/**
 * Reading single PDF objects out of a byte array without loading the document.
 * Object syntax is parsed by pdf-lib's PDFObjectParser; offsets, xref and
 * object streams are handled here. Internal module: throws PdfMalformed, the
 * public entry points turn that into a typed failure.
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  type PDFContext,
  type PDFObject,
} from "pdf-lib"
import { isWhitespace, latin1 } from "./bytes.ts"
import { PdfMalformed } from "./PdfErrors.ts"
import { unpredictPng } from "./predictor.ts"

export interface IndirectObject {
  readonly num: number
  readonly gen: number
  readonly object: PDFObject
}

const readInt = (bytes: Uint8Array, at: number): { value: number; next: number } | undefined => {
  let i = at
  while (isWhitespace(bytes[i])) i++
  const start = i
  while (i < bytes.length && (bytes[i] ?? 0) >= 0x30 && (bytes[i] ?? 0) <= 0x39) i++
  if (i === start) return undefined
  return { value: Number(latin1(bytes, start, i)), next: i }
}

/** Parses `N G obj <object>` starting at `offset` (leading whitespace allowed). */
export const parseIndirectAt = (bytes: Uint8Array, offset: number, context: PDFContext): IndirectObject => {
  if (offset < 0 || offset >= bytes.length) {
    throw new PdfMalformed({ check: "object offset", reason: `offset ${offset} is outside the file` })
  }
  const num = readInt(bytes, offset)
  const gen = num && readInt(bytes, num.next)
  let i = gen ? gen.next : offset
  while (isWhitespace(bytes[i])) i++
  if (!num || !gen || latin1(bytes, i, i + 3) !== "obj") {
    throw new PdfMalformed({
      check: "object header",
      reason: `no "N G obj" at offset ${offset} (found ${JSON.stringify(latin1(bytes, offset, offset + 20))})`,
    })
  }
  const object = parseObject(bytes, i + 3, context)
  return { num: num.value, gen: gen.value, object }
}

/** Parses one direct object starting at `offset`. */
export const parseObject = (bytes: Uint8Array, offset: number, context: PDFContext): PDFObject => {
  try {
    return PDFObjectParser.forBytes(bytes.subarray(offset), context).parseObject()
  } catch (e) {
    throw new PdfMalformed({ check: "object syntax", reason: `at offset ${offset}: ${String(e)}` })
  }
}

const num = (dict: PDFDict, key: string): number | undefined => {
  const v = dict.get(PDFName.of(key))
  return v instanceof PDFNumber ? v.asNumber() : undefined
}

/** Decoded stream data, with PNG predictors undone (pdf-lib does not undo them). */
export const decodeStream = (stream: PDFRawStream): Uint8Array => {
  let data: Uint8Array
  try {
    data = decodePDFRawStream(stream).decode()
  } catch (e) {
    throw new PdfMalformed({ check: "stream filter", reason: String(e) })
  }
  const parms = stream.dict.get(PDFName.of("DecodeParms"))
  const p = parms instanceof PDFDict ? parms : parms instanceof PDFArray ? parms.get(0) : undefined
  if (p instanceof PDFDict) {
    const predictor = num(p, "Predictor") ?? 1
    if (predictor >= 10) {
      return unpredictPng(data, num(p, "Columns") ?? 1, num(p, "Colors") ?? 1, num(p, "BitsPerComponent") ?? 8)
    }
    if (predictor !== 1) throw new PdfMalformed({ check: "stream predictor", reason: `TIFF predictor ${predictor}` })
  }
  return data
}

/** Splits a decoded object stream into its objects (by index). */
export const readObjectStream = (stream: PDFRawStream, context: PDFContext): ReadonlyArray<IndirectObject> => {
  const n = num(stream.dict, "N")
  const first = num(stream.dict, "First")
  if (n === undefined || first === undefined) {
    throw new PdfMalformed({ check: "object stream", reason: "object stream without /N or /First" })
  }
  const data = decodeStream(stream)
  const out: Array<IndirectObject> = []
  let at = 0
  for (let i = 0; i < n; i++) {
    const objNum = readInt(data, at)
    const off = objNum && readInt(data, objNum.next)
    if (!objNum || !off) throw new PdfMalformed({ check: "object stream", reason: `bad header entry ${i}` })
    at = off.next
    out.push({ num: objNum.value, gen: 0, object: parseObject(data, first + off.value, context) })
  }
  return out
}
