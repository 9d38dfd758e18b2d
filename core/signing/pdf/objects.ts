/**
 * Reading single PDF objects out of a byte array without loading the document.
 * Object syntax is parsed by pdf-lib's PDFObjectParser (nesting bounded);
 * offsets, xref and object streams are handled here; stream decoding is
 * charged to the document's work meter (limits.ts). Internal module: throws
 * PdfMalformed / PdfLimitExceeded, the public entry points turn that into a
 * typed failure.
 */
import { Inflate } from "pako"
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
import { concat, isWhitespace, latin1 } from "./bytes.ts"
import { chargeDecoded, MAX_OBJECT_NUMBER, meterOf, type WorkMeter } from "./limits.ts"
import { PdfLimitExceeded, PdfMalformed } from "./PdfErrors.ts"
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
  if (num.value > MAX_OBJECT_NUMBER) throw new PdfLimitExceeded({ limit: "object number", value: num.value, max: MAX_OBJECT_NUMBER })
  const object = parseObject(bytes, i + 3, context)
  return { num: num.value, gen: gen.value, object }
}

/** Parses one direct object starting at `offset`, at most the meter's nesting depth deep. */
export const parseObject = (bytes: Uint8Array, offset: number, context: PDFContext): PDFObject => {
  const meter = meterOf(context)
  meter.objectsParsed++
  const parser = PDFObjectParser.forBytes(bytes.subarray(offset), context)
  // pdf-lib recurses through this.parseObject for every array element and dictionary value.
  const parseOne = parser.parseObject.bind(parser)
  let depth = 0
  parser.parseObject = () => {
    if (++depth > meter.limits.maxDepth) throw new PdfLimitExceeded({ limit: "nesting depth", value: depth, max: meter.limits.maxDepth })
    try {
      return parseOne()
    } finally {
      depth--
    }
  }
  try {
    return parser.parseObject()
  } catch (e) {
    if (e instanceof PdfLimitExceeded) throw e
    throw new PdfMalformed({ check: "object syntax", reason: `at offset ${offset}: ${e instanceof Error ? e.message : String(e)}` })
  }
}

const num = (dict: PDFDict, key: string): number | undefined => {
  const v = dict.get(PDFName.of(key))
  return v instanceof PDFNumber ? v.asNumber() : undefined
}

/** Input slice fed to the inflater at a time: one slice inflates to at most ~1032x its size, so a bomb overshoots the cap by little. */
const INFLATE_SLICE = 4096

/** zlib inflate that stops once the meter's cap is passed; a missing or wrong Adler-32 is tolerated, as viewers do. */
const inflate = (data: Uint8Array, meter: WorkMeter): Uint8Array => {
  const out: Array<Uint8Array> = []
  const inflater = new Inflate()
  inflater.onData = (chunk: Uint8Array) => {
    chargeDecoded(meter, chunk.length) // throws past the cap: pako's push does not catch it
    out.push(chunk)
  }
  for (let i = 0; i < data.length && !inflater.ended; i += INFLATE_SLICE) {
    inflater.push(data.subarray(i, i + INFLATE_SLICE), 2 /* Z_SYNC_FLUSH: hand over the output of every slice */)
    if (inflater.err && inflater.msg !== "incorrect data check") {
      throw new PdfMalformed({ check: "stream filter", reason: `FlateDecode: ${inflater.msg}` })
    }
  }
  return concat(out)
}

/** Any other filter through pdf-lib's decoders, read in pieces so the cap applies as the data grows. */
const decodeWithPdfLib = (data: Uint8Array, filter: PDFName, parms: PDFObject | undefined, meter: WorkMeter, context: PDFContext): Uint8Array => {
  const dict = PDFDict.withContext(context)
  dict.set(PDFName.of("Filter"), filter)
  if (parms) dict.set(PDFName.of("DecodeParms"), parms)
  const stream = decodePDFRawStream(PDFRawStream.of(dict, data))
  const out: Array<Uint8Array> = []
  for (;;) {
    const piece = stream.getBytes(65_536)
    if (piece.length === 0) return concat(out)
    chargeDecoded(meter, piece.length)
    out.push(new Uint8Array(piece))
  }
}

const listOf = (obj: PDFObject | undefined): Array<PDFObject | undefined> =>
  obj instanceof PDFArray ? [...Array(obj.size()).keys()].map((i) => obj.get(i)) : obj === undefined ? [] : [obj]

const unpredict = (data: Uint8Array, parms: PDFObject | undefined): Uint8Array => {
  if (!(parms instanceof PDFDict)) return data
  const predictor = num(parms, "Predictor") ?? 1
  if (predictor >= 10) return unpredictPng(data, num(parms, "Columns") ?? 1, num(parms, "Colors") ?? 1, num(parms, "BitsPerComponent") ?? 8)
  if (predictor !== 1) throw new PdfMalformed({ check: "stream predictor", reason: `TIFF predictor ${predictor}` })
  return data
}

/**
 * Decoded stream data, filter by filter, with PNG predictors undone (pdf-lib
 * does not undo them); every decoded byte is charged to the document's meter.
 */
export const decodeStream = (stream: PDFRawStream): Uint8Array => {
  const context = stream.dict.context
  const meter = meterOf(context)
  const filters = listOf(stream.dict.get(PDFName.of("Filter")))
  const parms = listOf(stream.dict.get(PDFName.of("DecodeParms")))
  let data: Uint8Array = stream.contents
  filters.forEach((filter, i) => {
    if (!(filter instanceof PDFName)) throw new PdfMalformed({ check: "stream filter", reason: `filter ${String(filter)} is not a name` })
    const p = parms[i]
    try {
      data = filter === PDFName.of("FlateDecode") ? inflate(data, meter) : decodeWithPdfLib(data, filter, p, meter, context)
    } catch (e) {
      if (e instanceof PdfLimitExceeded || e instanceof PdfMalformed) throw e
      throw new PdfMalformed({ check: "stream filter", reason: `${filter.decodeText()}: ${e instanceof Error ? e.message : String(e)}` })
    }
    if (filter === PDFName.of("FlateDecode") || filter === PDFName.of("LZWDecode")) data = unpredict(data, p)
  })
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
    if (objNum.value > MAX_OBJECT_NUMBER) throw new PdfLimitExceeded({ limit: "object number", value: objNum.value, max: MAX_OBJECT_NUMBER })
    out.push({ num: objNum.value, gen: 0, object: parseObject(data, first + off.value, context) })
  }
  return out
}
