import type { PDFFont } from "pdf-lib"

/** What wrapText needs of a font: the advance of a piece of text (pdf-lib's PDFFont has it). */
export type MeasuringFont = Pick<PDFFont, "widthOfTextAtSize">

/** Characters a line may not start with (GB/T 15834 and JIS X 4051 行头禁则): closing punctuation and brackets. */
export const NO_LINE_START: ReadonlySet<string> = new Set([..."。，、；：？！…‥·》〉」』】〕〗〙〛）］｝’”%‰℃,.;:?!)]}"])
/** Characters a line may not end with (行尾禁则): opening brackets and quotes. */
export const NO_LINE_END: ReadonlySet<string> = new Set([..."《〈「『【〔〖〘〚（［｛‘“([{"])

/** A Latin word (letters, digits and the marks inside them) stays on one line when it fits on one. */
const WORD = /[A-Za-z0-9@#&'_\-./]+/y

/** The pieces a line may break between: a Latin word, or a single character (CJK breaks between any two). */
const pieces = (text: string): Array<string> => {
  const out: Array<string> = []
  let i = 0
  while (i < text.length) {
    WORD.lastIndex = i
    const word = WORD.exec(text)
    if (word !== null) {
      out.push(word[0])
      i += word[0].length
      continue
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!)
    out.push(ch)
    i += ch.length
  }
  return out
}

/**
 * Breaks `text` into lines no wider than `width`, in linear time: each distinct piece is measured once and a
 * line's width is the running sum of its pieces' advances (pdf-lib measures a string by laying it out, so
 * re-measuring the growing line per character was quadratic). CJK text breaks between any two characters, Latin
 * words only at their ends (a word wider than a line is split by character), and the CJK line-breaking rules hold:
 * no line starts with closing punctuation (。，、；：？！ or a closing bracket) nor ends with an opening bracket: the
 * character before is carried down with it, as Chinese typesetting does (推出), or, when the line holds nothing else to
 * carry, the punctuation hangs past the margin (挂).
 */
export const wrapText = (text: string, font: MeasuringFont, size: number, width: number): Array<string> => {
  const advances = new Map<string, number>()
  const advance = (piece: string): number => {
    let w = advances.get(piece)
    if (w === undefined) {
      w = font.widthOfTextAtSize(piece, size)
      advances.set(piece, w)
    }
    return w
  }
  const lines: Array<Array<string>> = []
  let line: Array<string> = []
  let lineWidth = 0
  const breakLine = () => {
    // Carry down the pieces that may not end a line, and the one before a piece that may not start the next.
    const carried: Array<string> = []
    // Spaces at the break are dropped (they would hide an opening bracket before them from the rule).
    while (line.length > 1 && line[line.length - 1] === " ") line.pop()
    while (line.length > 1 && NO_LINE_END.has(line[line.length - 1]!)) carried.unshift(line.pop()!)
    lines.push(line)
    line = carried
    lineWidth = carried.reduce((sum, p) => sum + advance(p), 0)
  }
  const place = (piece: string) => {
    const w = advance(piece)
    if (line.length > 0 && lineWidth + w > width) {
      if (piece === " ") {
        // A space at the break hangs past the margin (dropped from the line): what comes next decides the break.
        line.push(piece)
        return
      }
      // Closing punctuation goes down with the closers (and spaces) before it and the character they close.
      let k = 0
      while (k < line.length && (NO_LINE_START.has(line[line.length - 1 - k]!) || line[line.length - 1 - k] === " ")) k += 1
      if (NO_LINE_START.has(piece) && line.length > k + 1) {
        const down = line.splice(line.length - k - 1)
        breakLine()
        line.push(...down)
        lineWidth += down.reduce((sum, p) => sum + advance(p), 0)
      } else if (NO_LINE_START.has(piece)) {
        // Nothing can go down with it (one unbreakable piece before): the punctuation hangs past the margin (挂).
      } else {
        breakLine()
      }
    }
    line.push(piece)
    lineWidth += w
  }
  for (const piece of pieces(text)) {
    if (piece.length > 1 && advance(piece) > width) {
      for (const ch of piece) place(ch)
    } else {
      place(piece)
    }
  }
  if (line.length > 0) lines.push(line)
  return lines.map((pieces) => pieces.join("").trimEnd())
}

export const A4 = { width: 595.28, height: 841.89 } as const
