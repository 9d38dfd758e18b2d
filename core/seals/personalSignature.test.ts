import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import { layerOrganizationsTest, outcome, person } from "../../fixtures/organizations.ts"
import { EvidenceStore } from "../ports/EvidenceStore.ts"
import { deletePersonalSignature, mySignature, personalSignatureImage, savePersonalSignature, stampPersonalSignature } from "./personalSignature.ts"
import { nameStampText } from "./image/sealImage.ts"
import { decodePng } from "./image/sealImagePng.ts"

const redShare = (png: Uint8Array) => {
  const r = decodePng(png, 1e7)
  if (Result.isFailure(r)) throw new Error(r.failure.reason)
  const { data } = r.success
  let red = 0, inked = 0
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! < 128) continue
    inked++
    if (data[i]! > 180 && data[i + 1]! < 60 && data[i + 2]! < 60) red++
  }
  return { red, inked, width: r.success.width, height: r.success.height }
}

describe("personal signatures (个人账户 → 我的签名)", () => {
  it("a 个人名章 reads right column first and completes short names the usual way", () => {
    expect(nameStampText("张三")).toEqual(["张", "三", "之", "印"])
    expect(nameStampText("欧阳明")).toEqual(["欧", "阳", "明", "印"])
    expect(nameStampText("司马相如")).toEqual(["司", "马", "相", "如"])
  })

  it.effect("a person without any enterprise generates a square red name seal, replaces it with an upload check, deletes it; each act is evidence", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const user = yield* person("王小明")
      expect(Option.isNone(yield* mySignature(user))).toBe(true)
      const stamp = yield* stampPersonalSignature(user)
      expect([stamp.source, stamp.imageWidth, stamp.imageHeight]).toEqual(["stamp", 213, 213])
      const ink = redShare(yield* personalSignatureImage(user))
      // A seal: square, and what is inked is seal red (border and four characters: a good part of the square).
      expect(ink.red / ink.inked).toBeGreaterThan(0.95)
      expect(ink.inked / (ink.width * ink.height)).toBeGreaterThan(0.2)

      // Not an image (magic bytes): refused, the stamp stays current.
      expect(yield* outcome(savePersonalSignature(user, new TextEncoder().encode("%PDF-1.7 not an image"), "uploaded"))).toBe("SealImageRejected")
      expect(Option.getOrThrow(yield* mySignature(user)).id).toBe(stamp.id)

      yield* deletePersonalSignature(user)
      expect(Option.isNone(yield* mySignature(user))).toBe(true)
      expect(yield* outcome(deletePersonalSignature(user))).toBe("NotFound")
      const events = yield* EvidenceStore.use((e) => e.eventsOf(`seal:${stamp.id}`))
      expect(events.map((e) => [e.type, JSON.parse(e.body).data.source ?? null])).toEqual([["signature.uploaded", "stamp"], ["signature.deleted", null]])
    }).pipe(Effect.provide(layerOrganizationsTest)))

  it.effect("a name the font cannot write is refused, not stamped blank", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const user = yield* person("𠀀𠀁")
      expect(yield* outcome(stampPersonalSignature(user))).toBe("SealTextUnprintable")
    }).pipe(Effect.provide(layerOrganizationsTest)))
})
