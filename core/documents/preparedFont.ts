import { type Color, CustomFontEmbedder, PDFArray, type PDFContext, PDFDict, PDFDocument, PDFFont, PDFHexString, type PDFObject, type PDFPage, PDFRawStream, PDFRef, PDFStream } from "pdf-lib"
import type { CjkFont } from "../ports/CjkFont.ts"

type Font = CjkFont["Service"]

/** How a document writes CJK text: a font to measure with, and a draw that picks, run by run, the font holding the glyphs. */
export interface CjkWriter {
  readonly measure: PDFFont
  readonly draw: (page: PDFPage, text: string, options: { readonly x: number; readonly y: number; readonly size: number; readonly color?: Color }) => void
}

/** Makes a document's writer: `kindText` is what every document of its kind draws, `documentText` what this one draws. */
export type CjkWriterOf = (doc: PDFDocument, font: Font, kindText: string, documentText: string) => Promise<CjkWriter>

/** The font each page was last given by a writer (the writers are what draws text on their documents' pages). */
const pageFonts = new WeakMap<PDFPage, PDFFont>()

/**
 * Draws `text` in `font`, made the page's font only when it is not already: pdf-lib's drawText with a font option
 * adds that font to the page's resources under a new name, and then the previous one under another, at every call.
 */
const drawIn = (page: PDFPage, font: PDFFont, text: string, options: Parameters<CjkWriter["draw"]>[2]) => {
  if (pageFonts.get(page) !== font) {
    page.setFont(font)
    pageFonts.set(page, font)
  }
  page.drawText(text, options)
}

/** pdf-lib's own way: a subset of the glyphs this document draws, encoded (fontkit) and deflated when it is saved. */
export const subsetWriter: CjkWriterOf = async (doc, font) => {
  doc.registerFontkit(font.fontkit)
  const measure = await doc.embedFont(font.bytes, { subset: true })
  return { measure, draw: (page, text, o) => drawIn(page, measure, text, o) }
}

/** A subset of the font made, encoded and deflated once, held in a scratch PDF whose objects documents take in (`place`). */
interface Prepared {
  readonly context: PDFContext
  readonly ref: PDFRef
  /** The subset's objects that hold references (a few small dictionaries): each document gets its own copy of these. */
  readonly withRefs: ReadonlySet<PDFObject>
  /** Font glyph id → the subset's glyph id. */
  readonly gids: ReadonlyMap<number, number>
  readonly font: CustomFontEmbedder["font"]
  /** Whether the subset holds every glyph of a character, remembered per character (every document asks again). */
  readonly covers: (ch: string) => boolean
}

/** Prepared subsets per font (by its bytes) and glyph text; a handful of document kinds, so a small bound suffices. */
const preparedFonts = new WeakMap<Uint8Array, Map<string, Promise<Prepared>>>()
const MAX_PREPARED = 32

const prepare = async (font: Font, text: string): Promise<Prepared> => {
  const scratch = await PDFDocument.create({ updateMetadata: false })
  scratch.registerFontkit(font.fontkit)
  const embedded = await scratch.embedFont(font.bytes, { subset: true })
  // Character by character, as PreparedEmbedder encodes (no ligature can ask for a glyph the subset lacks): the
  // subset's glyph id of each glyph, in the order encodeText assigns them (4 hex digits per glyph).
  const embedder = await CustomFontEmbedder.for(font.fontkit, font.bytes)
  const gids = new Map<number, number>()
  for (const ch of new Set(text)) {
    const hex = embedded.encodeText(ch).asString()
    embedder.font.layout(ch).glyphs.forEach((g, i) => gids.set(g.id, Number.parseInt(hex.slice(i * 4, i * 4 + 4), 16)))
  }
  await embedded.embed()
  const covered = new Map<string, boolean>()
  const covers = (ch: string) => {
    let c = covered.get(ch)
    if (c === undefined) {
      c = embedder.font.layout(ch).glyphs.every((g) => gids.has(g.id))
      // At most the font's characters (GB 2312 and a few more), never more.
      covered.set(ch, c)
    }
    return c
  }
  const withRefs = new Set<PDFObject>()
  const holdsRefs = (o: PDFObject): boolean => {
    const held = o instanceof PDFRef ? true
      : o instanceof PDFDict ? o.entries().map(([, v]) => holdsRefs(v)).includes(true)
      : o instanceof PDFArray ? o.asArray().map(holdsRefs).includes(true)
      : o instanceof PDFStream ? holdsRefs(o.dict)
      : false
    if (held && !(o instanceof PDFRef)) withRefs.add(o)
    return held
  }
  for (const [, o] of scratch.context.enumerateIndirectObjects()) holdsRefs(o)
  return { context: scratch.context, ref: embedded.ref, withRefs, gids, font: embedder.font, covers }
}

/**
 * Puts a prepared subset's objects into a document under references of its own. What holds no reference (the font
 * program and ToUnicode streams, the widths array: nearly all of it) is the prepared object itself, shared by every
 * document (written out, never changed); only the few dictionaries that refer to others are copied. pdf-lib's
 * PDFObjectCopier clones every number of the widths array and every stream's bytes for each document.
 */
const place = (prepared: Prepared, dest: PDFContext): PDFRef => {
  const refs = new Map<PDFRef, PDFRef>()
  const copy = (o: PDFObject): PDFObject => {
    if (o instanceof PDFRef) {
      let r = refs.get(o)
      if (r === undefined) {
        r = dest.nextRef()
        refs.set(o, r)
        dest.assign(r, copy(prepared.context.lookup(o)!))
      }
      return r
    }
    if (!prepared.withRefs.has(o)) return o
    if (o instanceof PDFDict) {
      const d = PDFDict.withContext(dest)
      for (const [k, v] of o.entries()) d.set(k, copy(v))
      return d
    }
    if (o instanceof PDFArray) {
      const a = PDFArray.withContext(dest)
      for (const v of o.asArray()) a.push(copy(v))
      return a
    }
    if (o instanceof PDFRawStream) return PDFRawStream.of(copy(o.dict) as PDFDict, o.contents)
    throw new Error(`a prepared font object of an unexpected kind holds references: ${o.constructor.name}`)
  }
  return copy(prepared.ref) as PDFRef
}

const preparedFor = (font: Font, text: string): Promise<Prepared> => {
  let byText = preparedFonts.get(font.bytes)
  if (byText === undefined) {
    byText = new Map()
    preparedFonts.set(font.bytes, byText)
  }
  let p = byText.get(text)
  if (p === undefined) {
    if (byText.size >= MAX_PREPARED) byText.delete(byText.keys().next().value!)
    p = prepare(font, text)
    // A failed preparation is not kept: the next document tries again.
    p.catch(() => byText.delete(text))
    byText.set(text, p)
  }
  return p
}

/** Encodes text with a prepared subset's glyph ids; its font objects are already in the document (nothing to embed at save). */
class PreparedEmbedder extends CustomFontEmbedder {
  private readonly gids: ReadonlyMap<number, number>
  constructor(font: CustomFontEmbedder["font"], bytes: Uint8Array, gids: ReadonlyMap<number, number>) {
    super(font, bytes)
    this.gids = gids
  }
  /** Character by character (each one's layout is remembered by the font adapter): the glyphs `covers` checked. */
  override encodeText(text: string): PDFHexString {
    let hex = ""
    for (const ch of text) {
      for (const g of this.font.layout(ch).glyphs) {
        const id = this.gids.get(g.id)
        if (id === undefined) throw new Error(`glyph ${g.id} is not in the prepared subset`)
        hex += id.toString(16).padStart(4, "0")
      }
    }
    return PDFHexString.of(hex)
  }
  /**
   * The advance of the glyphs encodeText writes, character by character as it encodes them (a whole line laid out at
   * once would shape it anew for every measure); summed in pdf-lib's order, so the figures are its own.
   */
  override widthOfTextAtSize(text: string, size: number): number {
    let total = 0
    for (const ch of text) {
      for (const g of this.font.layout(ch).glyphs) total += g.advanceWidth * this.scale
    }
    return total * (size / 1000)
  }
  override embedIntoContext(_context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
    return Promise.resolve(ref!)
  }
}

/**
 * Issue 23: the subset of a document kind's own text (its fixed wording, digits) is made, encoded and deflated once
 * per process and taken into each document as prepared objects (`place`); only the glyphs of this document's values
 * that the kind's subset lacks go into a second, small per-document subset. A line is drawn in runs, each in the font holding
 * its glyphs (both fonts share the parsed font's metrics, so measuring does not depend on the run).
 */
export const preparedWriter: CjkWriterOf = async (doc, font, kindText, documentText) => {
  const prepared = await preparedFor(font, kindText)
  const ref = place(prepared, doc.context)
  const kind = PDFFont.of(ref, doc, new PreparedEmbedder(prepared.font, font.bytes, prepared.gids))
  const covers = prepared.covers
  const extra = [...documentText].some((ch) => !covers(ch)) ? (await subsetWriter(doc, font, kindText, documentText)).measure : null
  return {
    measure: kind,
    draw: (page, text, o) => {
      if (extra === null) return drawIn(page, kind, text, o)
      let x = o.x
      for (const run of runsOf(text, covers)) {
        const f = run.inKind ? kind : extra
        drawIn(page, f, run.text, { ...o, x })
        x += f.widthOfTextAtSize(run.text, o.size)
      }
    },
  }
}

/** The maximal runs of text whose characters the kind's subset does or does not hold. */
const runsOf = (text: string, covers: (ch: string) => boolean) => {
  const runs: Array<{ inKind: boolean; text: string }> = []
  for (const ch of text) {
    const inKind = covers(ch)
    const last = runs[runs.length - 1]
    if (last !== undefined && last.inKind === inKind) last.text += ch
    else runs.push({ inKind, text: ch })
  }
  return runs
}
