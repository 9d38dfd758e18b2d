/**
 * Visible appearances: a PNG seal or handwritten signature (alpha kept as a
 * soft mask) drawn into a form XObject. pdf-lib only *encodes* the image and
 * stream objects into the update's own object arena; it never saves the
 * existing document.
 */
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PngEmbedder } from "pdf-lib"
import { Effect } from "effect"
import { SealImageInvalid } from "./PdfErrors.ts"

const PDFDictKey = { MediaBox: PDFName.of("MediaBox"), Parent: PDFName.of("Parent") } as const

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface EmbeddedImage {
  readonly ref: PDFRef
  readonly width: number
  readonly height: number
}

/** A PNG decoded and compressed once: its image stream and soft mask, to be copied into each document that shows it. */
interface EncodedPng {
  readonly width: number
  readonly height: number
  readonly image: PDFRawStream
  readonly mask: PDFRawStream | undefined
}

const SMASK = PDFName.of("SMask")

/**
 * Encoded PNGs by their exact bytes: the same signature, seal or written
 * name is drawn on every contract its owner signs, and decoding plus
 * deflating it was most of a signing act's CPU. Bounded (least recently used
 * out), and only small images (a signature box's, not a document page's).
 */
const encoded = new Map<string, EncodedPng>()
const ENCODED_MAX = 128
const ENCODED_MAX_BYTES = 256 * 1024

/** The exact bytes as a string key (no hash: two different images can never share an entry). */
const keyOf = (bytes: Uint8Array) => {
  let key = ""
  for (let i = 0; i < bytes.length; i += 8192) key += String.fromCharCode(...bytes.subarray(i, i + 8192))
  return key
}

/**
 * The same image object drawn again (a remembered written name, core/contracts/appearances.ts): found without
 * reading its bytes. Images handed to the engine are never changed in place (they are shared, like those names).
 */
const byInstance = new WeakMap<Uint8Array, { readonly bytes: string; readonly png: EncodedPng }>()

const encodePng = async (png: Uint8Array): Promise<EncodedPng> => {
  const seen = byInstance.get(png)
  if (seen !== undefined && png.length === seen.bytes.length) return seen.png
  const key = png.length <= ENCODED_MAX_BYTES ? keyOf(png) : undefined
  const hit = key === undefined ? undefined : encoded.get(key)
  if (hit !== undefined && key !== undefined) {
    encoded.delete(key)
    encoded.set(key, hit)
    byInstance.set(png, { bytes: key, png: hit })
    return hit
  }
  const embedder = await PngEmbedder.for(png)
  const scratch = PDFContext.create()
  const image = scratch.lookup(await embedder.embedIntoContext(scratch))
  if (!(image instanceof PDFRawStream)) throw new Error("the PNG did not encode to a stream")
  const maskRef = image.dict.get(SMASK)
  const mask = maskRef instanceof PDFRef ? scratch.lookup(maskRef) : undefined
  const entry = { width: embedder.width, height: embedder.height, image, mask: mask instanceof PDFRawStream ? mask : undefined }
  if (key !== undefined) {
    encoded.set(key, entry)
    if (encoded.size > ENCODED_MAX) encoded.delete(encoded.keys().next().value as string)
    byInstance.set(png, { bytes: key, png: entry })
  }
  return entry
}

/**
 * Decodes and compresses a PNG ahead of its first signature (encodePng remembers it): a person's written name is
 * made when they ask for their code, and its encoding, most of a first act's CPU, then happens there too.
 */
export const prepareImage = (png: Uint8Array): Effect.Effect<void, SealImageInvalid> =>
  Effect.tryPromise({
    try: () => encodePng(png),
    catch: (e) => new SealImageInvalid({ reason: `not an embeddable PNG: ${String(e)}` }),
  }).pipe(Effect.asVoid)

/** Embeds a PNG (with transparency) as an image XObject in `context` (decoded and compressed once per image: encodePng). */
export const embedPng = (context: PDFContext, png: Uint8Array): Effect.Effect<EmbeddedImage, SealImageInvalid> =>
  Effect.tryPromise({
    try: async () => {
      const e = await encodePng(png)
      const image = e.image.clone(context)
      if (e.mask !== undefined) image.dict.set(SMASK, context.register(e.mask.clone(context)))
      return { ref: context.register(image), width: e.width, height: e.height }
    },
    catch: (e) => new SealImageInvalid({ reason: `not an embeddable PNG: ${String(e)}` }),
  })

const n = (v: number) => Number(v.toFixed(4))

/**
 * A form XObject of size `rect` showing the image, scaled to fit and centred,
 * optionally shifted left by `offsetX` and clipped (one slice of a cross-page seal).
 */
export const imageAppearance = (
  context: PDFContext,
  image: EmbeddedImage,
  rect: Rect,
  slice?: { readonly fullWidth: number; readonly offsetX: number },
): PDFRef => {
  let ops: string
  if (slice) {
    ops = `q 0 0 ${n(rect.width)} ${n(rect.height)} re W n ${n(slice.fullWidth)} 0 0 ${n(rect.height)} ${n(-slice.offsetX)} 0 cm /Im0 Do Q`
  } else {
    const scale = Math.min(rect.width / image.width, rect.height / image.height)
    const w = image.width * scale
    const h = image.height * scale
    ops = `q ${n(w)} 0 0 ${n(h)} ${n((rect.width - w) / 2)} ${n((rect.height - h) / 2)} cm /Im0 Do Q`
  }
  const stream = context.stream(ops, {
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, n(rect.width), n(rect.height)],
    Resources: { XObject: { Im0: image.ref } },
  })
  return context.register(stream)
}

/** An empty appearance, for invisible signatures (some viewers want /AP on every widget). */
export const emptyAppearance = (context: PDFContext): PDFRef =>
  context.register(context.stream("", { Type: "XObject", Subtype: "Form", BBox: [0, 0, 0, 0] }))

/** Page size from /MediaBox (inherited through /Parent), default A4. */
export const mediaBox = (
  resolve: (o: unknown) => unknown,
  page: PDFDict,
): { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number } => {
  let node: PDFDict | undefined = page
  for (let depth = 0; node && depth < 32; depth++) {
    const box = resolve(node.get(PDFDictKey.MediaBox))
    if (box instanceof PDFArray && box.size() === 4) {
      const v = [0, 1, 2, 3].map((i) => {
        const x = resolve(box.get(i))
        return x instanceof PDFNumber ? x.asNumber() : 0
      })
      const [x0 = 0, y0 = 0, x1 = 595, y1 = 842] = v
      return { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) }
    }
    const parent = resolve(node.get(PDFDictKey.Parent))
    node = parent instanceof PDFDict ? parent : undefined
  }
  return { x0: 0, y0: 0, x1: 595, y1: 842 }
}

