/**
 * What a party's boxes show once it has signed (C4): the signature of a person who saved none is their name
 * written in ink, and a date box the signing date (Beijing time). Drawn from the shipped CJK font's outlines, so
 * the PDF carries images, not a font; a name the font cannot write falls back to an invisible signature.
 */
import { Effect } from "effect"
import { CHINA_OFFSET_MS } from "../kernel/time.ts"
import { inkText } from "../seals/image/sealImage.ts"
import { encodePng } from "../seals/image/sealImagePng.ts"

/** 2026年12月7日, the date a Chinese contract is signed on. */
export const signingDateText = (ms: number): string => {
  const d = new Date(ms + CHINA_OFFSET_MS)
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

/**
 * Images drawn from text, by their text: a signer's written name is the same
 * on every contract they sign, and rasterizing plus PNG-compressing it was
 * most of a repeat signer's act. Bounded (least recently used out); the
 * images are never changed by their users.
 */
const drawn = new Map<string, Uint8Array | null>()
const DRAWN_MAX = 1024

const remembered = <E, R>(key: string, draw: Effect.Effect<Uint8Array | null, E, R>): Effect.Effect<Uint8Array | null, E, R> =>
  Effect.suspend(() => {
    if (drawn.has(key)) {
      const hit = drawn.get(key)!
      drawn.delete(key)
      drawn.set(key, hit)
      return Effect.succeed(hit)
    }
    return Effect.map(draw, (image) => {
      drawn.set(key, image)
      if (drawn.size > DRAWN_MAX) drawn.delete(drawn.keys().next().value as string)
      return image
    })
  })

/** A person's name in ink, for a signature box when they have no handwritten signature; null if unprintable. */
export const writtenName = (name: string) =>
  remembered(`name:${name}`, inkText(name).pipe(
    Effect.map((image): Uint8Array | null => encodePng(image)),
    Effect.catchTag("SealTextUnprintable", () => Effect.succeed(null)),
  ))

/** The signing date in dark ink, upright, for a date box. */
export const signingDateImage = (ms: number) =>
  Effect.map(remembered(`date:${signingDateText(ms)}`, inkText(signingDateText(ms), 96, [20, 20, 20], 0).pipe(Effect.map((image) => encodePng(image)))), (png) => png!)
