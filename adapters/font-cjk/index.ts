import { readFileSync } from "node:fs"
import fontkit from "@pdf-lib/fontkit"
import { Layer } from "effect"
import { CjkFont } from "../../core/ports/CjkFont.ts"

/** Shipped with the project (fixtures/fonts/README.md): works after `npm install` on any machine. */
export const DEFAULT_FONT = new URL("../../fixtures/fonts/NotoSansSC-GB2312.ttf", import.meta.url)

/** Loads the font once; glyph coverage is asked of fontkit's cmap. */
export const layer = (path: URL | string = DEFAULT_FONT) =>
  Layer.sync(CjkFont, () => {
    const bytes = new Uint8Array(readFileSync(path))
    const parsed = fontkit.create(bytes)
    return {
      fontkit,
      bytes,
      missingGlyphs: (text) => [...new Set(text)].filter((ch) => !/\s/.test(ch) && !parsed.hasGlyphForCodePoint(ch.codePointAt(0)!)),
    }
  })
