import { Context } from "effect"
import type { PDFDocument } from "pdf-lib"

/** The font engine pdf-lib needs to embed (and subset) a TrueType font. */
export type PdfFontkit = Parameters<PDFDocument["registerFontkit"]>[0]

/**
 * A font with Chinese glyphs for generated PDFs, and the engine that subsets
 * it: core lays documents out with pdf-lib but cannot load files or the
 * fontkit package itself. Adapter: `adapters/font-cjk`.
 */
export class CjkFont extends Context.Service<CjkFont, {
  readonly fontkit: PdfFontkit
  readonly bytes: Uint8Array
  /** The characters of `text` the font has no glyph for (each once). */
  readonly missingGlyphs: (text: string) => ReadonlyArray<string>
}>()("core/ports/CjkFont") {}
