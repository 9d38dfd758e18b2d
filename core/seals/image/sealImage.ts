/**
 * E5 generated seals: the standard round red company seal (a red ring, the
 * enterprise name along the upper arc with each character's top pointing
 * outwards, a five-pointed star in the centre, the seal's use written
 * horizontally below the star), as a vector description in millimetres and
 * as an anti-aliased RGBA PNG with a transparent background. Glyph outlines
 * come from the shipped CJK font through the `CjkFont` port.
 */
import { Effect, Schema } from "effect"
import { CjkFont } from "../../ports/CjkFont.ts"
import { encodePng, type Rgba } from "./sealImagePng.ts"
import { circle, compose, flatten, mapShape, rasterize, star, type Affine, type Contour, type PathCommand, type Shape } from "./sealImageRaster.ts"
import { SealTextUnprintable } from "../sealsErrors.ts"

/** Seal red (印泥红), close to #e60012. */
export const SEAL_RED = [230, 0, 18] as const

export interface SealDesign {
  /** Written along the upper arc, e.g. 北京示例科技有限公司. */
  readonly enterpriseName: string
  /** Written horizontally under the star, e.g. 合同专用章; empty for a 公章. */
  readonly use: string
  /** 42 mm is the usual company seal; 38-45 mm are common. */
  readonly diameterMm?: number | undefined
}

/** A generated seal in millimetres, origin at the centre, y up; every shape is filled in `color`. */
export interface SealVector {
  readonly diameterMm: number
  readonly color: readonly [number, number, number]
  readonly shapes: ReadonlyArray<Shape>
}

const PathCommands = Schema.Array(Schema.Struct({
  command: Schema.Literals(["moveTo", "lineTo", "quadraticCurveTo", "bezierCurveTo", "closePath"]),
  args: Schema.Array(Schema.Number),
}))

interface Glyph {
  readonly advance: number
  readonly commands: ReadonlyArray<PathCommand>
}

type ParsedFont = ReturnType<CjkFont["Service"]["fontkit"]["create"]>
const parsed = new WeakMap<Uint8Array, ParsedFont>()

/** The outlines of `text`'s characters, one per character, from the CJK font (parsed once per font). */
const glyphsOf = (text: string) =>
  Effect.gen(function*() {
    const font = yield* CjkFont
    const missing = font.missingGlyphs(text)
    if (missing.length > 0) return yield* new SealTextUnprintable({ characters: missing.join("") })
    let f = parsed.get(font.bytes)
    if (f === undefined) {
      f = font.fontkit.create(font.bytes)
      parsed.set(font.bytes, f)
    }
    const run = f.layout(text)
    const glyphs: Array<Glyph> = []
    for (const g of run.glyphs) {
      // fontkit keeps the outline as untyped `commands`; decoded, not cast.
      const commands = yield* Schema.decodeUnknownEffect(PathCommands)((g.path as unknown as { commands: unknown }).commands).pipe(
        Effect.mapError(() => new SealTextUnprintable({ characters: String.fromCodePoint(...g.codePoints) })),
      )
      glyphs.push({ advance: g.advanceWidth, commands })
    }
    return { glyphs, unitsPerEm: f.unitsPerEm }
  })

/** Fraction of the em where CJK ideographs are centred vertically (the ideographic em box runs -0.12..0.88). */
const EM_CENTRE = 0.38
const TOLERANCE_MM = 0.01

/**
 * Places one glyph: centred on (0, 0) in an em box `emW` x `emH` mm, then
 * rotated by `angle` (clockwise from straight up) and moved to `at`.
 */
const placeGlyph = (g: Glyph, upm: number, emW: number, emH: number, angle: number, at: readonly [number, number]): Shape => {
  const toEm: Affine = [emW / upm, 0, 0, emH / upm, (-g.advance / 2) * (emW / upm), -EM_CENTRE * emH]
  const cos = Math.cos(angle), sin = Math.sin(angle)
  // x axis along the clockwise tangent, y axis pointing outwards.
  const rotate: Affine = [cos, -sin, sin, cos, at[0], at[1]]
  return flatten(g.commands, compose(toEm, rotate), TOLERANCE_MM)
}

/** Proportions of a 42 mm seal (GA 241 style), scaled for other diameters. */
const LAYOUT = {
  margin: 0.25,
  ring: 1.2,
  nameEmHeight: 6.8,
  nameGap: 0.75,
  starRadius: 7,
  useEmHeight: 4.8,
  useEmWidth: 4.2,
  useCentreY: -10.3,
} as const

/** The arc the name covers: wider for longer names, never past 260 degrees. */
const nameSpan = (n: number) => (n <= 4 ? n * 36 : Math.min(260, Math.max(170, n * 23))) * (Math.PI / 180)

/** The vector seal for `design` (fails when the font lacks a character). */
export const sealVector = Effect.fn("seals.sealVector")(function*(design: SealDesign) {
  const diameter = design.diameterMm ?? 42
  const k = diameter / 42
  const outer = diameter / 2 - LAYOUT.margin * k
  const inner = outer - LAYOUT.ring * k
  const shapes: Array<Shape> = [[circle(0, 0, outer), circle(0, 0, inner, 256, true)], [star(0, 0, LAYOUT.starRadius * k)]]

  const name = [...design.enterpriseName.trim()]
  if (name.length > 0) {
    const { glyphs, unitsPerEm } = yield* glyphsOf(name.join(""))
    const emH = LAYOUT.nameEmHeight * k
    const radius = inner - LAYOUT.nameGap * k - emH * (0.88 - EM_CENTRE)
    const span = nameSpan(glyphs.length)
    const step = span / glyphs.length
    const emW = Math.min(0.92 * radius * step, emH * 0.78)
    glyphs.forEach((g, i) => {
      const angle = -span / 2 + step * (i + 0.5)
      shapes.push(placeGlyph(g, unitsPerEm, emW, emH, angle, [radius * Math.sin(angle), radius * Math.cos(angle)]))
    })
  }

  const use = [...design.use.trim()]
  if (use.length > 0) {
    const { glyphs, unitsPerEm } = yield* glyphsOf(use.join(""))
    const emH = LAYOUT.useEmHeight * k
    const emW = Math.min(LAYOUT.useEmWidth * k, (1.3 * inner) / glyphs.length)
    const y = LAYOUT.useCentreY * k
    glyphs.forEach((g, i) => {
      shapes.push(placeGlyph(g, unitsPerEm, emW, emH, 0, [(i - (glyphs.length - 1) / 2) * emW, y]))
    })
  }
  return { diameterMm: diameter, color: [...SEAL_RED], shapes } satisfies SealVector as SealVector
})

/** Pixels across for `mm` at `dpi` (42 mm at 300 dpi is 496 px). */
export const pixelsFor = (mm: number, dpi: number) => Math.round((mm / 25.4) * dpi)

/** The seal as RGBA pixels at `dpi`: seal red where covered, transparent elsewhere. */
export const rasterizeSeal = (vector: SealVector, dpi = 300): Rgba => {
  const size = pixelsFor(vector.diameterMm, dpi)
  const scale = size / vector.diameterMm
  const toPixels: Affine = [scale, 0, 0, -scale, size / 2, size / 2]
  const alpha = rasterize(vector.shapes.map((s) => mapShape(toPixels, s)), size, size)
  const data = new Uint8Array(size * size * 4)
  for (let i = 0; i < alpha.length; i++) {
    const a = Math.round(alpha[i]! * 255)
    if (a === 0) continue
    data.set([vector.color[0], vector.color[1], vector.color[2], a], i * 4)
  }
  return { width: size, height: size, data }
}

/** The seal as a PNG at `dpi` (the pHYs chunk says so, for true-size printing). */
export const sealPng = (vector: SealVector, dpi = 300): Uint8Array => encodePng(rasterizeSeal(vector, dpi), dpi)

const num = (v: number) => Number(v.toFixed(3)).toString()

/**
 * PDF content-stream operators drawing the seal into a `sizePt` x `sizePt`
 * box whose lower-left corner is the origin (e.g. a form XObject's BBox):
 * every shape as a path filled with the non-zero rule, in seal red.
 */
export const sealPdfOperators = (vector: SealVector, sizePt: number): string => {
  const s = sizePt / vector.diameterMm
  const [r, g, b] = vector.color.map((c) => num(c / 255))
  const out = [`q ${r} ${g} ${b} rg ${num(s)} 0 0 ${num(s)} ${num(sizePt / 2)} ${num(sizePt / 2)} cm`]
  for (const shape of vector.shapes) {
    const path = shape.map((c) => c.map(([x, y], i) => `${num(x)} ${num(y)} ${i === 0 ? "m" : "l"}`).join(" ") + " h").join(" ")
    out.push(`${path} f`)
  }
  out.push("Q")
  return out.join("\n")
}

/**
 * `text` as dark ink on a transparent background, slanted like handwriting
 * (demo signatures, previews): `heightPx` per character, `slant` as the
 * shear of x by y.
 */
export const inkText = Effect.fn("seals.inkText")(function*(text: string, heightPx = 120, colour: readonly [number, number, number] = [24, 32, 110], slant = 0.25) {
  const { glyphs, unitsPerEm } = yield* glyphsOf(text)
  const s = heightPx / unitsPerEm
  const pad = Math.ceil(heightPx * 0.3)
  const width = Math.ceil(glyphs.reduce((w, g) => w + g.advance * s * 0.92, 0) + slant * heightPx) + 2 * pad
  const height = Math.ceil(heightPx * 1.1) + 2 * pad
  const shapes: Array<Shape> = []
  let x = pad
  for (const g of glyphs) {
    // Font units (y up) to pixels (y down), baseline near the bottom, sheared to the right.
    const m: Affine = [s, 0, s * slant, -s, x, pad + heightPx * 0.92]
    shapes.push(flatten(g.commands, m, 0.2))
    x += g.advance * s * 0.92
  }
  const alpha = rasterize(shapes, width, height)
  const data = new Uint8Array(width * height * 4)
  for (let i = 0; i < alpha.length; i++) {
    const a = Math.round(alpha[i]! * 255)
    if (a > 0) data.set([colour[0], colour[1], colour[2], a], i * 4)
  }
  return { width, height, data } satisfies Rgba as Rgba
})

/** A square outline (y up), counter-clockwise unless `reverse`. */
const square = (half: number, reverse: boolean): Contour => {
  const corners: Contour = [[-half, -half], [half, -half], [half, half], [-half, half]]
  return reverse ? [...corners].reverse() : corners
}

/**
 * The characters of a 个人名章 in reading order: a two-character name gets 之印 and a three-character one 印, so
 * that the usual four fill a 2 x 2 grid.
 */
export const nameStampText = (name: string): ReadonlyArray<string> => {
  const chars = [...name.trim()]
  return chars.length === 2 ? [...chars, "之", "印"] : chars.length === 3 || chars.length === 1 ? [...chars, "印"] : chars
}

/**
 * A 个人名章: a square red seal (default 18 mm) with a border and the name in columns read from the right,
 * top to bottom, as a person's seal is carved (a longer name gets more, narrower columns).
 */
export const nameStampVector = Effect.fn("seals.nameStampVector")(function*(name: string, sideMm = 18) {
  const chars = nameStampText(name)
  const { glyphs, unitsPerEm } = yield* glyphsOf(chars.join(""))
  const half = sideMm / 2
  const border = sideMm * 0.07
  const inner = half - border - sideMm * 0.04
  const rows = glyphs.length <= 1 ? 1 : 2
  const cols = Math.max(1, Math.ceil(glyphs.length / rows))
  const cellW = (2 * inner) / cols
  const cellH = (2 * inner) / rows
  const shapes: Array<Shape> = [[square(half, false), square(half - border, true)]]
  glyphs.forEach((g, i) => {
    const col = Math.floor(i / rows)
    const row = i % rows
    const x = inner - cellW * (col + 0.5)
    const y = inner - cellH * (row + 0.5)
    shapes.push(placeGlyph(g, unitsPerEm, cellW * 0.92, cellH * 0.92, 0, [x, y]))
  })
  return { diameterMm: sideMm, color: [...SEAL_RED], shapes } satisfies SealVector as SealVector
})

/** The usual seal for a design: its vector and its 300 dpi PNG. */
export const generateSeal = Effect.fn("seals.generateSeal")(function*(design: SealDesign) {
  const vector = yield* sealVector(design)
  return { vector, png: sealPng(vector) }
})
