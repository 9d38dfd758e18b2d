/**
 * A small PNG codec for seal and signature images, pure TypeScript over pako
 * (runs on Node, Deno and in a browser). Encodes 8-bit RGBA; decodes every
 * standard PNG (grey, RGB, palette, grey+alpha, RGBA; 1-16 bits; Adam7) to
 * 8-bit RGBA, refusing a pixel count over the caller's limit before inflating,
 * and stopping the inflater once it yields more than that size needs (a
 * "decompression bomb" never reaches memory).
 */
import { Inflate, deflate } from "pako"
import { Result } from "effect"

/** 8-bit, non-premultiplied RGBA pixels, row by row from the top. */
export interface Rgba {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

const crc32 = (b: Uint8Array, start: number, end: number) => {
  let c = 0xffffffff
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0))

const chunk = (type: string, data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(ascii(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length))
  return out
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Encodes RGBA as a PNG; each row gets the filter (None, Sub, Up) that leaves
 * the smallest sum of residues, which keeps flat seal areas small.
 * `dpi` is written as a pHYs chunk so viewers and print show the true size.
 */
export const encodePng = (image: Rgba, dpi?: number): Uint8Array => {
  const { width, height, data } = image
  const stride = width * 4
  const raw = new Uint8Array((stride + 1) * height)
  const candidate = new Uint8Array(stride)
  for (let y = 0; y < height; y++) {
    const row = data.subarray(y * stride, (y + 1) * stride)
    const prev = y > 0 ? data.subarray((y - 1) * stride, y * stride) : undefined
    let best = 0
    let bestCost = Infinity
    for (const filter of [0, 1, 2]) {
      let cost = 0
      for (let i = 0; i < stride; i++) {
        const left = i >= 4 ? row[i - 4]! : 0
        const up = prev === undefined ? 0 : prev[i]!
        const v = (row[i]! - (filter === 1 ? left : filter === 2 ? up : 0)) & 0xff
        cost += v < 128 ? v : 256 - v
      }
      if (cost < bestCost) {
        bestCost = cost
        best = filter
      }
    }
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? row[i - 4]! : 0
      const up = prev === undefined ? 0 : prev[i]!
      candidate[i] = (row[i]! - (best === 1 ? left : best === 2 ? up : 0)) & 0xff
    }
    raw[y * (stride + 1)] = best
    raw.set(candidate, y * (stride + 1) + 1)
  }
  const ihdr = new Uint8Array(13)
  const v = new DataView(ihdr.buffer)
  v.setUint32(0, width)
  v.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const phys: Array<Uint8Array> = []
  if (dpi !== undefined) {
    const p = new Uint8Array(9)
    const ppm = Math.round(dpi / 0.0254)
    new DataView(p.buffer).setUint32(0, ppm)
    new DataView(p.buffer).setUint32(4, ppm)
    p[8] = 1
    phys.push(chunk("pHYs", p))
  }
  return concat([Uint8Array.from(SIGNATURE), chunk("IHDR", ihdr), ...phys, chunk("IDAT", deflate(raw, { level: 9 })), chunk("IEND", new Uint8Array())])
}

/** Why a PNG could not be decoded (bad structure, unsupported, over the pixel limit). */
export interface PngProblem {
  readonly reason: string
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
const ADAM7 = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
] as const

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Undoes the row filters of one pass in place; false on an unknown filter type. */
const unfilter = (buf: Uint8Array, offset: number, rows: number, stride: number, bpp: number): boolean => {
  for (let y = 0; y < rows; y++) {
    const at = offset + y * (stride + 1)
    const filter = buf[at]!
    const row = at + 1
    const prev = y > 0 ? row - (stride + 1) : -1
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? buf[row + i - bpp]! : 0
      const b = prev >= 0 ? buf[prev + i]! : 0
      const c = prev >= 0 && i >= bpp ? buf[prev + i - bpp]! : 0
      const x = buf[row + i]!
      switch (filter) {
        case 0: break
        case 1: buf[row + i] = (x + a) & 0xff; break
        case 2: buf[row + i] = (x + b) & 0xff; break
        case 3: buf[row + i] = (x + ((a + b) >> 1)) & 0xff; break
        case 4: buf[row + i] = (x + paeth(a, b, c)) & 0xff; break
        default: return false
      }
    }
  }
  return true
}

/** Decodes a PNG to 8-bit RGBA; refuses images of more than `maxPixels` before inflating anything. */
export const decodePng = (bytes: Uint8Array, maxPixels: number): Result.Result<Rgba, PngProblem> => {
  const fail = (reason: string) => Result.fail({ reason })
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return fail("not a PNG")
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0
  let palette: Uint8Array | undefined
  let trns: Uint8Array | undefined
  const idat: Array<Uint8Array> = []
  let at = 8
  let sawEnd = false
  while (at + 12 <= bytes.length && !sawEnd) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (at + 12 + length > bytes.length) return fail(`chunk ${type} runs past the end`)
    const data = bytes.subarray(at + 8, at + 8 + length)
    if (crc32(bytes, at + 4, at + 8 + length) !== view.getUint32(at + 8 + length)) return fail(`chunk ${type}: bad CRC`)
    if (type === "IHDR") {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength)
      width = h.getUint32(0)
      height = h.getUint32(4)
      depth = data[8]!
      colorType = data[9]!
      interlace = data[12]!
      if (CHANNELS[colorType] === undefined || ![1, 2, 4, 8, 16].includes(depth)) return fail("unsupported colour type or depth")
      if ((colorType === 2 || colorType === 4 || colorType === 6) && depth < 8) return fail("unsupported colour type or depth")
      if (width === 0 || height === 0 || width * height > maxPixels) return fail(`${width}x${height} pixels is over the limit`)
    } else if (type === "PLTE") palette = data
    else if (type === "tRNS") trns = data
    else if (type === "IDAT") idat.push(data)
    else if (type === "IEND") sawEnd = true
    at += 12 + length
  }
  if (width === 0) return fail("no IHDR chunk")
  if (idat.length === 0) return fail("no image data")
  if (colorType === 3 && palette === undefined) return fail("palette image without PLTE")
  const channels = CHANNELS[colorType]!
  const bitsPerPixel = channels * depth
  const bpp = Math.max(1, bitsPerPixel >> 3)
  const passes = interlace === 1
    ? ADAM7.map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, w: Math.ceil((width - x0) / dx), h: Math.ceil((height - y0) / dy) }))
    : [{ x0: 0, y0: 0, dx: 1, dy: 1, w: width, h: height }]
  const expected = passes.reduce((n, p) => n + (p.w > 0 && p.h > 0 ? p.h * (Math.ceil((p.w * bitsPerPixel) / 8) + 1) : 0), 0)
  const inflated = new Uint8Array(expected)
  let filled = 0
  let overflow = false
  const inflater = new Inflate()
  inflater.onData = (out: Uint8Array) => {
    if (filled + out.length > expected) overflow = true
    else inflated.set(out, filled)
    filled += out.length
  }
  // Fed in small slices so a stream that inflates past the expected size is stopped early.
  for (const part of idat) {
    for (let i = 0; i < part.length && !overflow && !inflater.ended; i += 16_384) {
      inflater.push(part.subarray(i, i + 16_384), false)
      if (inflater.err) return fail(`image data: ${inflater.msg}`)
    }
  }
  if (overflow) return fail("image data is larger than its size says")
  if (filled < expected) return fail("image data is truncated")
  const out = new Uint8Array(width * height * 4)
  const max = (1 << depth) - 1
  // Defined once, not per pixel: a closure made per pixel cost seconds on a large image (and more under keep-names transforms).
  const sample = (row: number, x: number, c: number): number => {
    if (depth === 8) return inflated[row + x * channels + c]!
    if (depth === 16) return inflated[row + (x * channels + c) * 2]!
    const bit = (x * channels + c) * depth
    return (inflated[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & max
  }
  const raw16 = (row: number, x: number, c: number) =>
    depth === 16 ? (inflated[row + (x * channels + c) * 2]! << 8) | inflated[row + (x * channels + c) * 2 + 1]! : sample(row, x, c)
  const scale = (v: number) => depth >= 8 ? v : Math.round((v * 255) / max)
  const trnsRgb = trns !== undefined && trns.length >= 6 ? [0, 1, 2].map((c) => (trns![c * 2]! << 8) | trns![c * 2 + 1]!) : undefined
  let offset = 0
  for (const p of passes) {
    if (p.w === 0 || p.h === 0) continue
    const stride = Math.ceil((p.w * bitsPerPixel) / 8)
    if (!unfilter(inflated, offset, p.h, stride, bpp)) return fail("unknown row filter")
    for (let y = 0; y < p.h; y++) {
      const row = offset + y * (stride + 1) + 1
      for (let x = 0; x < p.w; x++) {
        let r: number, g: number, b: number, a = 255
        if (colorType === 3) {
          const i = sample(row, x, 0)
          r = palette![i * 3] ?? 0
          g = palette![i * 3 + 1] ?? 0
          b = palette![i * 3 + 2] ?? 0
          a = trns?.[i] ?? 255
        } else if (colorType === 0 || colorType === 4) {
          r = g = b = scale(sample(row, x, 0))
          if (colorType === 4) a = sample(row, x, 1)
          else if (trns !== undefined && trns.length >= 2 && raw16(row, x, 0) === ((trns[0]! << 8) | trns[1]!)) a = 0
        } else {
          r = sample(row, x, 0)
          g = sample(row, x, 1)
          b = sample(row, x, 2)
          if (colorType === 6) a = sample(row, x, 3)
          else if (trnsRgb !== undefined && raw16(row, x, 0) === trnsRgb[0] && raw16(row, x, 1) === trnsRgb[1] && raw16(row, x, 2) === trnsRgb[2]) a = 0
        }
        const o = ((p.y0 + y * p.dy) * width + p.x0 + x * p.dx) * 4
        out[o] = r
        out[o + 1] = g
        out[o + 2] = b
        out[o + 3] = a
      }
    }
    offset += p.h * (stride + 1)
  }
  return Result.succeed({ width, height, data: out })
}
