import type { PDFFont } from "pdf-lib"

/** Breaks `text` into lines no wider than `width` (CJK text may break between any two characters). */
export const wrapText = (text: string, font: PDFFont, size: number, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const ch of text) {
    if (line !== "" && font.widthOfTextAtSize(line + ch, size) > width) {
      lines.push(line)
      line = ""
    }
    line += ch
  }
  if (line !== "") lines.push(line)
  return lines
}

export const A4 = { width: 595.28, height: 841.89 } as const
