import { PDFHexString, PDFString, type PDFObject } from "pdf-lib"

/** A PDF text string: literal for printable ASCII, UTF-16BE with BOM otherwise (CJK reasons, names). */
export const pdfText = (text: string): PDFObject =>
  /^[\x20-\x7e]*$/.test(text) ? PDFString.of(text.replace(/([\\()])/g, "\\$1")) : PDFHexString.fromText(text)

/** PDF date string in UTC, e.g. `D:20261101120000+00'00'`. */
export const pdfDate = (date: Date): string => {
  const p = (n: number, w = 2) => String(n).padStart(w, "0")
  return `D:${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(
    date.getUTCMinutes(),
  )}${p(date.getUTCSeconds())}+00'00'`
}
