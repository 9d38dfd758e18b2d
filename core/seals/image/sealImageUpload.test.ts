import { deflateSync } from "node:zlib"
import { describe, expect, it } from "vitest"
import { Effect, Result } from "effect"
import { encode as encodeJpeg } from "jpeg-js"
import { layer as fontLayer } from "../../../adapters/font-cjk/index.ts"
import { encodePng as encodeTestPng, pngChunk } from "../../../fixtures/png.ts"
import { tinyPdf } from "../../../fixtures/verification/images.ts"
import { rasterizeSeal, sealVector } from "./sealImage.ts"
import { decodePng, encodePng, type Rgba } from "./sealImagePng.ts"
import { cleanUploadedImage, IMAGE_LIMITS } from "./sealImageUpload.ts"

const SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const ihdr = (w: number, h: number, depth: number, colorType: number, interlace = 0) => {
  const b = Buffer.alloc(13)
  b.writeUInt32BE(w, 0)
  b.writeUInt32BE(h, 4)
  b.set([depth, colorType, 0, 0, interlace], 8)
  return pngChunk("IHDR", b)
}
const png = (...chunks: ReadonlyArray<Buffer>) => new Uint8Array(Buffer.concat([SIG, ...chunks, pngChunk("IEND", new Uint8Array())]))
const decoded = (bytes: Uint8Array, max = 1e6) => {
  const r = decodePng(bytes, max)
  if (Result.isFailure(r)) throw new Error(r.failure.reason)
  return r.success
}
const problem = (bytes: Uint8Array, max = 1e6) => {
  const r = decodePng(bytes, max)
  return Result.isFailure(r) ? r.failure.reason : "decoded"
}

describe("PNG codec", () => {
  it("round-trips RGBA with every filter choice", () => {
    const w = 37, h = 11
    const data = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 7919 + (i >> 5) * 31) & 0xff)
    expect(decoded(encodePng({ width: w, height: h, data })).data).toEqual(data)
  })

  it("decodes grey (8-bit, from zlib), 1-bit palette with tRNS, 16-bit RGB and Adam7-interlaced grey", () => {
    const grey = Buffer.alloc(2 * 3)
    for (let y = 0; y < 2; y++) grey.set([0, y * 100, 200], y * 3)
    expect(decoded(encodeTestPng(2, 2, 0, grey)).data).toEqual(new Uint8Array([0, 0, 0, 255, 200, 200, 200, 255, 100, 100, 100, 255, 200, 200, 200, 255]))

    // 1-bit palette, 3x1: entries 0 (red, transparent) and 1 (blue).
    const pal = png(ihdr(3, 1, 1, 3), pngChunk("PLTE", new Uint8Array([255, 0, 0, 0, 0, 255])), pngChunk("tRNS", new Uint8Array([0])),
      pngChunk("IDAT", deflateSync(Buffer.from([0, 0b01000000]))))
    expect(decoded(pal).data).toEqual(new Uint8Array([255, 0, 0, 0, 0, 0, 255, 255, 255, 0, 0, 0]))

    // 16-bit RGB, 1x1, Paeth filter on the first row (Paeth of zeros adds nothing).
    const rgb16 = png(ihdr(1, 1, 16, 2), pngChunk("IDAT", deflateSync(Buffer.from([4, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]))))
    expect(decoded(rgb16).data).toEqual(new Uint8Array([0x12, 0x56, 0x9a, 255]))

    // Adam7: 5x5 grey where pixel value = 10 * (y * 5 + x); written pass by pass.
    const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    const raw: Array<number> = []
    for (const [x0, y0, dx, dy] of passes) {
      for (let y = y0!; y < 5; y += dy!) {
        const row: Array<number> = []
        for (let x = x0!; x < 5; x += dx!) row.push(10 * (y * 5 + x))
        if (row.length > 0) raw.push(0, ...row)
      }
    }
    const img = decoded(png(ihdr(5, 5, 8, 0, 1), pngChunk("IDAT", deflateSync(Buffer.from(raw)))))
    expect(Array.from({ length: 25 }, (_, i) => img.data[i * 4])).toEqual(Array.from({ length: 25 }, (_, i) => 10 * i))
  })

  it("refuses an oversized image before inflating it, and a stream that inflates past its stated size", () => {
    expect(problem(png(ihdr(100_000, 100_000, 8, 6), pngChunk("IDAT", deflateSync(Buffer.alloc(10)))))).toMatch(/over the limit/)
    // A 10x10 RGBA image needs 410 bytes; this stream inflates to 50 MB.
    expect(problem(png(ihdr(10, 10, 8, 6), pngChunk("IDAT", deflateSync(Buffer.alloc(50_000_000)))))).toMatch(/larger than its size says/)
    expect(problem(png(ihdr(10, 10, 8, 6), pngChunk("IDAT", deflateSync(Buffer.alloc(100)))))).toMatch(/truncated/)
    const good = encodePng({ width: 2, height: 2, data: new Uint8Array(16) })
    const bad = new Uint8Array(good)
    bad[bad.length - 20] = bad[bad.length - 20]! ^ 0xff
    expect(problem(bad)).toMatch(/CRC|image data/)
  })
})

/** A photo of a seal impression: the seal over slightly grey, noisy paper, with a wide margin. */
const sealOnPaper = async (): Promise<Rgba> => {
  const seal = rasterizeSeal(await Effect.runPromise(sealVector({ enterpriseName: "北京示例科技有限公司", use: "合同专用章" }).pipe(Effect.provide(fontLayer()))), 150)
  const margin = 60
  const w = seal.width + 2 * margin, h = seal.height + 2 * margin
  const data = new Uint8Array(w * h * 4)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const noise = ((x * 31 + y * 17) % 9) - 4
      const paper = [243 + noise, 241 + noise, 236 + noise]
      const sx = x - margin, sy = y - margin
      const a = sx >= 0 && sy >= 0 && sx < seal.width && sy < seal.height ? seal.data[(sy * seal.width + sx) * 4 + 3]! / 255 : 0
      const o = (y * w + x) * 4
      data.set([Math.round(a * 230 + (1 - a) * paper[0]!), Math.round((1 - a) * paper[1]!), Math.round(a * 18 + (1 - a) * paper[2]!), 255], o)
    }
  }
  return { width: w, height: h, data }
}

const clean = (bytes: Uint8Array, maxSide = 600) => Effect.runPromise(Effect.result(cleanUploadedImage(bytes, maxSide)))

describe("uploaded seal and signature images (E5, E6)", () => {
  for (const format of ["PNG", "JPEG"] as const) {
    it(`a ${format} photo of a seal on paper becomes the seal alone: paper transparent, ink red, trimmed to the ring`, async () => {
      const photo = await sealOnPaper()
      const bytes = format === "PNG" ? encodePng(photo) : new Uint8Array(encodeJpeg({ ...photo, data: Buffer.from(photo.data) }, 92).data)
      const r = await clean(bytes)
      if (Result.isFailure(r)) throw new Error(r.failure.detail)
      const img = decoded(r.success.png)
      // 42 mm at 150 dpi is 248 px; trimmed to it plus a small margin (JPEG ringing may add a pixel or two).
      expect(img.width).toBeGreaterThanOrEqual(248)
      expect(img.width).toBeLessThanOrEqual(258)
      const px = (x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4))
      expect(px(0, 0)[3]).toBe(0)
      expect(px(img.width - 1, img.height - 1)[3]).toBe(0)
      const centre = px(Math.floor(img.width / 2), Math.floor(img.height / 2))
      expect(centre[3]).toBeGreaterThan(200)
      expect(centre[0]).toBeGreaterThan(190)
      expect(centre[1]).toBeLessThan(50)
      // Paper inside the ring (between star and text) is transparent too.
      expect(px(Math.floor(img.width * 0.75), Math.floor(img.height / 2))[3]).toBeLessThan(30)
    })
  }

  it("scales a large image down to the limit", async () => {
    const r = await clean(encodePng(await sealOnPaper()), 120)
    if (Result.isFailure(r)) throw new Error(r.failure.detail)
    expect(Math.max(r.success.width, r.success.height)).toBe(120)
  })

  it("refuses blank paper, a PDF, an empty file, too many bytes, too few pixels and a broken PNG; says why", async () => {
    const blank = encodePng({ width: 100, height: 50, data: new Uint8Array(100 * 50 * 4).fill(250) })
    const broken = new Uint8Array(encodePng(await sealOnPaper()).subarray(0, 2000))
    const huge = new Uint8Array(IMAGE_LIMITS.maxBytes + 1)
    huge.set(blank.subarray(0, 33))
    const tiny = encodePng({ width: 10, height: 10, data: new Uint8Array(400) })
    const reasons = await Promise.all([blank, tinyPdf(), new Uint8Array(), huge, tiny, broken].map(async (b) => {
      const r = await clean(b)
      return Result.isFailure(r) ? r.failure.reason : "accepted"
    }))
    expect(reasons).toEqual(["blank", "type", "empty", "tooLarge", "dimensions", "corrupt"])
  })

  it("refuses a 32 KB PNG that declares 6000x4000 pixels from its header, before decoding anything (issue 16: it blocked every request for 79 s)", async () => {
    const w = 6000, h = 4000
    const raw = new Uint8Array((w + 1) * h).fill(255)
    for (let y = 0; y < h; y += 50) raw.fill(0, y * (w + 1) + 1, (y + 1) * (w + 1))
    for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0
    const bomb = encodeTestPng(w, h, 0, raw)
    expect(bomb.length).toBeLessThan(64 * 1024)
    const r = await clean(bomb)
    expect(Result.isFailure(r) ? r.failure.reason : "accepted").toBe("dimensions")
  })
})
