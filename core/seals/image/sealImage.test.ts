import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Result } from "effect"
import { PDFDocument, PDFName } from "pdf-lib"
import { layer as fontLayer } from "../../../adapters/font-cjk/index.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { pixelsFor, rasterizeSeal, sealPdfOperators, sealPng, sealVector, type SealDesign } from "./sealImage.ts"
import { decodePng, type Rgba } from "./sealImagePng.ts"

const dir = mkdtempSync(join(tmpdir(), "signet-seal-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const vectorOf = (d: SealDesign) => Effect.runPromise(sealVector(d).pipe(Effect.provide(fontLayer())))
const design: SealDesign = { enterpriseName: "北京示例科技有限公司", use: "合同专用章" }

/** The pixel at (mm, mm) from the centre, y up. */
const at = (img: Rgba, xMm: number, yMm: number) => {
  const s = img.width / 42
  const x = Math.floor(img.width / 2 + xMm * s), y = Math.floor(img.height / 2 - yMm * s)
  const i = (y * img.width + x) * 4
  return { r: img.data[i]!, g: img.data[i + 1]!, b: img.data[i + 2]!, a: img.data[i + 3]! }
}
const isSealRed = (p: { r: number; g: number; b: number; a: number }) => p.a > 200 && p.r > 200 && p.g < 40 && p.b < 60

/** Opaque pixels in the annulus r0..r1 (mm) whose angle from straight up (clockwise, degrees) passes `keep`. */
const inkIn = (img: Rgba, r0: number, r1: number, keep: (deg: number) => boolean) => {
  const s = img.width / 42
  let n = 0
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const dx = (x + 0.5 - img.width / 2) / s, dy = (img.height / 2 - y - 0.5) / s
      const r = Math.hypot(dx, dy)
      if (r < r0 || r > r1 || !keep((Math.atan2(dx, dy) * 180) / Math.PI)) continue
      if (img.data[(y * img.width + x) * 4 + 3]! > 128) n++
    }
  }
  return n
}

describe("generated seal image (E5)", () => {
  it("at 300 dpi a 42 mm seal is 496 px, with a red opaque ring, a red star, transparent outside and between ring and text", async () => {
    const img = rasterizeSeal(await vectorOf(design), 300)
    expect([img.width, img.height]).toEqual([496, 496])
    expect(pixelsFor(42, 300)).toBe(496)
    for (let deg = 0; deg < 360; deg += 10) {
      const t = (deg * Math.PI) / 180
      // The ring runs from 19.55 to 20.75 mm.
      expect(isSealRed(at(img, 20.15 * Math.sin(t), 20.15 * Math.cos(t))), `ring at ${deg}°`).toBe(true)
      expect(at(img, 20.95 * Math.sin(t), 20.95 * Math.cos(t)).a, `outside at ${deg}°`).toBeLessThan(40)
      expect(at(img, 19.3 * Math.sin(t), 19.3 * Math.cos(t)).a, `gap inside the ring at ${deg}°`).toBe(0)
    }
    for (const [x, y] of [[0, 0], [0, 5], [-4, 1], [3, -3]] as const) expect(isSealRed(at(img, x, y)), `star at ${x},${y}`).toBe(true)
    // Between the star's points: no ink.
    expect(at(img, 0, -6.5).a).toBe(0)
    for (const [x, y] of [[0, 0], [495, 0], [0, 495], [495, 495]] as const) expect(img.data[(y * 496 + x) * 4 + 3]).toBe(0)
  })

  it("draws the name along the upper arc (none below it) and the use under the star", async () => {
    const img = rasterizeSeal(await vectorOf(design), 300)
    const upper = inkIn(img, 12.5, 19, (d) => Math.abs(d) < 120)
    const bottomArc = inkIn(img, 15, 19, (d) => Math.abs(d) > 150)
    expect(upper).toBeGreaterThan(3000)
    expect(bottomArc).toBe(0)
    // Ten characters: ink in each of ten sectors along the arc.
    const span = Math.min(260, Math.max(170, 10 * 23)), step = span / 10
    for (let i = 0; i < 10; i++) {
      const centre = -span / 2 + step * (i + 0.5)
      expect(inkIn(img, 12.5, 19, (d) => Math.abs(d - centre) < step / 3), `character ${i + 1}`).toBeGreaterThan(80)
    }
    const useBand = (im: Rgba) => inkIn(im, 7.5, 19, (d) => Math.abs(d) > 125)
    const withoutUse = rasterizeSeal(await vectorOf({ ...design, use: "" }), 300)
    expect(useBand(img)).toBeGreaterThan(1500)
    expect(useBand(withoutUse)).toBeLessThan(50)
  })

  it("is anti-aliased: the ring's edge has partly transparent pixels", async () => {
    const img = rasterizeSeal(await vectorOf(design), 300)
    let partial = 0
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i]! > 0 && img.data[i]! < 255) partial++
    expect(partial).toBeGreaterThan(500)
  })

  it("refuses a name the font cannot print", async () => {
    const r = await Effect.runPromise(Effect.result(sealVector({ enterpriseName: "北京𠮷科技有限公司", use: "" }).pipe(Effect.provide(fontLayer()))))
    expect(Result.isFailure(r) && r.failure._tag === "SealTextUnprintable" ? r.failure.characters : "drawn").toBe("𠮷")
  })

  it("the PNG decodes back to the same pixels and says 300 dpi", async () => {
    const vector = await vectorOf(design)
    const png = sealPng(vector, 300)
    const back = decodePng(png, 1e6)
    expect(Result.isSuccess(back) && back.success.data).toEqual(rasterizeSeal(vector, 300).data)
    const phys = Buffer.from(png).indexOf("pHYs")
    expect(Buffer.from(png).readUInt32BE(phys + 4)).toBe(11811)
    writeFileSync(join(dir, "seal.png"), png)
  })

  it.skipIf(!requireTools("seal vector", "pdftoppm"))("the vector operators draw the same seal in a PDF (pdftoppm renders red ring, star, no ink outside)", async () => {
    const vector = await vectorOf(design)
    const size = 119 // 42 mm in points
    const doc = await PDFDocument.create()
    const page = doc.addPage([size, size])
    const stream = doc.context.stream(sealPdfOperators(vector, size))
    page.node.set(PDFName.of("Contents"), doc.context.register(stream))
    const file = join(dir, "vector.pdf")
    writeFileSync(file, await doc.save())
    execFileSync("pdftoppm", ["-r", "300", "-png", "-singlefile", file, join(dir, "vector")])
    const r = decodePng(new Uint8Array(readFileSync(join(dir, "vector.png"))), 1e7)
    if (Result.isFailure(r)) throw new Error(r.failure.reason)
    const img = r.success
    expect(isSealRed({ ...at(img, 0, 20.15), a: 255 })).toBe(true)
    expect(isSealRed({ ...at(img, 0, 0), a: 255 })).toBe(true)
    const corner = at(img, -20.5, 20.5)
    expect([corner.r, corner.g, corner.b]).toEqual([255, 255, 255])
  })
})
