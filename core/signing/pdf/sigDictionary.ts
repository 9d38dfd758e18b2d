/**
 * The /Sig dictionary, written by hand so the /ByteRange and /Contents
 * placeholders sit at known byte positions that are later filled in place.
 */
import { ascii, latin1 } from "./bytes.ts"
import { pdfDate, pdfText } from "./pdfText.ts"
import { SignatureContentsTooSmall } from "./PdfErrors.ts"

export interface SigDictionaryInput {
  readonly signingTime: Date
  readonly reason?: string | undefined
  readonly location?: string | undefined
  readonly contactInfo?: string | undefined
  readonly signerName?: string | undefined
  /** Bytes reserved for the DER CMS; the hex gap is twice that plus the angle brackets. */
  readonly contentsSize: number
  /** DocMDP certification with this permission level (1, 2 or 3). */
  readonly certifyPermission?: 1 | 2 | 3 | undefined
  /** A document timestamp (PAdES B-LTA): /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161, /Contents an RFC 3161 token. */
  readonly docTimestamp?: boolean | undefined
}

const BYTE_RANGE_PLACEHOLDER = "[0 ********** ********** **********]"

export const sigDictionaryBody = (input: SigDictionaryInput): string => {
  const parts = [
    input.docTimestamp
      ? "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161"
      : "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached",
    `/ByteRange ${BYTE_RANGE_PLACEHOLDER}`,
    `/Contents <${"0".repeat(input.contentsSize * 2)}>`,
  ]
  // A document timestamp's time is its token's genTime; /M would be a second, unsigned claim.
  if (!input.docTimestamp) parts.push(`/M ${pdfText(pdfDate(input.signingTime)).toString()}`)
  if (input.signerName !== undefined) parts.push(`/Name ${pdfText(input.signerName).toString()}`)
  if (input.reason !== undefined) parts.push(`/Reason ${pdfText(input.reason).toString()}`)
  if (input.location !== undefined) parts.push(`/Location ${pdfText(input.location).toString()}`)
  if (input.contactInfo !== undefined) parts.push(`/ContactInfo ${pdfText(input.contactInfo).toString()}`)
  if (input.certifyPermission !== undefined) {
    parts.push(
      `/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${input.certifyPermission} /V /1.2 >> >>]`,
    )
  }
  parts.push(">>")
  return parts.join("\n")
}

export interface Placeholders {
  /** Offset of `[` of the ByteRange array. */
  readonly byteRangeStart: number
  readonly byteRangeLength: number
  /** Offset of `<` of /Contents. */
  readonly contentsStart: number
  /** Offset just after `>` of /Contents. */
  readonly contentsEnd: number
}

/** Locates the placeholders inside `bytes` (the update), searching from `from`. */
export const findPlaceholders = (bytes: Uint8Array, from: number): Placeholders => {
  const text = latin1(bytes, from, Math.min(bytes.length, from + 200_000))
  const br = text.indexOf(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`)
  const ct = text.indexOf("/Contents <", br)
  if (br < 0 || ct < 0) throw new Error("signature placeholders not found in the update")
  const contentsStart = from + ct + "/Contents ".length
  const close = text.indexOf(">", ct + "/Contents <".length)
  return {
    byteRangeStart: from + br + "/ByteRange ".length,
    byteRangeLength: BYTE_RANGE_PLACEHOLDER.length,
    contentsStart,
    contentsEnd: from + close + 1,
  }
}

/** Writes `[0 a b c]` over the placeholder, padded with spaces to the same width. */
export const fillByteRange = (
  update: Uint8Array,
  p: Placeholders,
  byteRange: readonly [number, number, number, number],
): void => {
  const text = `[${byteRange.join(" ")}]`
  if (text.length > p.byteRangeLength) throw new Error("ByteRange does not fit its placeholder")
  update.set(ascii(text.padEnd(p.byteRangeLength, " ")), p.byteRangeStart)
}

/** Writes the DER CMS as hex into the /Contents gap (zero-padded), or fails if it does not fit. */
export const fillContents = (update: Uint8Array, p: Placeholders, der: Uint8Array): SignatureContentsTooSmall | undefined => {
  const reserved = (p.contentsEnd - p.contentsStart - 2) / 2
  if (der.length > reserved) return new SignatureContentsTooSmall({ needed: der.length, reserved })
  const hex = "0123456789abcdef"
  let at = p.contentsStart + 1
  for (const b of der) {
    update[at++] = hex.charCodeAt(b >> 4)
    update[at++] = hex.charCodeAt(b & 15)
  }
  return undefined
}
