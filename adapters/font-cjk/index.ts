import { readFileSync } from "node:fs"
import fontkit from "@pdf-lib/fontkit"
import { Layer } from "effect"
import { CjkFont } from "../../core/ports/CjkFont.ts"

/** Shipped with the project (fixtures/fonts/README.md): works after `npm install` on any machine. */
export const DEFAULT_FONT = new URL("../../fixtures/fonts/NotoSansSC-GB2312.ttf", import.meta.url)

/** Short texts whose layout (glyphs, advances) is remembered: single characters and words, what line breaking measures. */
const MEMO_TEXT_LENGTH = 8
const MEMO_ENTRIES = 20_000

/**
 * Loads and parses the font once; glyph coverage is asked of fontkit's cmap. Every PDF embedding these bytes gets
 * the same parsed font (issue 23: pdf-lib parses the font anew for each document it is embedded in, and decoding
 * its tables again was a third of a template's cost), and the layout of short texts is remembered across documents
 * (pdf-lib measures a line's width by laying it out with the font's shaping tables; wrapText asks per character).
 * Both are read-only uses of the parsed font: each document still makes its own subset of the glyphs it draws.
 */
export const layer = (path: URL | string = DEFAULT_FONT) =>
  Layer.sync(CjkFont, () => {
    const bytes = new Uint8Array(readFileSync(path))
    const parsed = fontkit.create(bytes)
    const layouts = new Map<string, ReturnType<typeof parsed.layout>>()
    const shared: typeof parsed = Object.create(parsed, {
      layout: {
        value: (text: string, features?: Parameters<typeof parsed.layout>[1]) => {
          if (features !== undefined || text.length > MEMO_TEXT_LENGTH) return parsed.layout(text, features)
          let run = layouts.get(text)
          if (run === undefined) {
            run = parsed.layout(text)
            if (layouts.size >= MEMO_ENTRIES) layouts.clear()
            layouts.set(text, run)
          }
          return run
        },
      },
    })
    const engine: typeof fontkit = { ...fontkit, create: (data, postscriptName) => (data === bytes ? shared : fontkit.create(data, postscriptName)) }
    return {
      fontkit: engine,
      bytes,
      missingGlyphs: (text) => [...new Set(text)].filter((ch) => !/\s/.test(ch) && !parsed.hasGlyphForCodePoint(ch.codePointAt(0)!)),
    }
  })
