import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { PDFContext, PDFName, PDFRawStream, PDFRef, PngEmbedder } from "pdf-lib"
import { encodePng } from "../../seals/image/sealImagePng.ts"
import { embedPng } from "./appearance.ts"

/** A w×h RGBA image of one colour with a transparent left half. */
const image = (w: number, h: number, rgb: readonly [number, number, number]) => {
  const data = new Uint8Array(w * h * 4)
  for (let i = 0; i < w * h; i++) data.set([...rgb, i % w < w / 2 ? 0 : 255], i * 4)
  return encodePng({ width: w, height: h, data })
}

/** What an embedding put into its document: the image's size, its stream's bytes and its soft mask's. */
const embedded = async (png: Uint8Array) => {
  const context = PDFContext.create()
  const e = await Effect.runPromise(embedPng(context, png))
  const stream = context.lookup(e.ref)
  if (!(stream instanceof PDFRawStream)) throw new Error("no image stream")
  const mask = context.lookup(stream.dict.get(PDFName.of("SMask")) as PDFRef)
  return { width: e.width, height: e.height, image: [...stream.contents], mask: mask instanceof PDFRawStream ? [...mask.contents] : null }
}

/** The same, embedded by pdf-lib directly (no cache). */
const direct = async (png: Uint8Array) => {
  const context = PDFContext.create()
  const embedder = await PngEmbedder.for(png)
  const stream = context.lookup(await embedder.embedIntoContext(context)) as PDFRawStream
  const mask = context.lookup(stream.dict.get(PDFName.of("SMask")) as PDFRef) as PDFRawStream
  return { width: embedder.width, height: embedder.height, image: [...stream.contents], mask: [...mask.contents] }
}

describe("embedPng: each image decoded and compressed once", () => {
  it("gives each document what pdf-lib would, for the same image again (another copy of its bytes too) and for another image", async () => {
    const red = image(40, 20, [200, 20, 20])
    const blue = image(40, 20, [20, 20, 200])
    const wide = image(60, 20, [200, 20, 20])
    expect(await embedded(red)).toEqual(await direct(red))
    expect(await embedded(red)).toEqual(await direct(red))
    expect(await embedded(new Uint8Array(red))).toEqual(await direct(red))
    expect(await embedded(blue)).toEqual(await direct(blue))
    expect((await embedded(blue)).image).not.toEqual((await embedded(red)).image)
    expect(await embedded(wide)).toEqual(await direct(wide))
    expect((await embedded(wide)).width).toBe(60)
  })

  it("copies, never shares, the streams: a document changing its copy changes no other", async () => {
    const png = image(16, 16, [0, 128, 0])
    const a = PDFContext.create()
    const first = a.lookup((await Effect.runPromise(embedPng(a, png))).ref) as PDFRawStream
    first.contents.fill(0)
    expect(await embedded(png)).toEqual(await direct(png))
  })
})
