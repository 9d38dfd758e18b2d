import { describe, expect, it } from "vitest"
import { Result } from "effect"
import { jpegHeader, oversizedPng, syntheticPng, tinyPdf } from "../../fixtures/verification/images.ts"
import { checkUpload, sniff } from "./fileSniff.ts"

const tagOf = (r: ReturnType<typeof checkUpload>) => (Result.isFailure(r) ? r.failure._tag : "ok")

describe("uploads are judged by their bytes, not their names", () => {
  it("recognises PNG, JPEG and PDF with their pixel sizes", () => {
    expect(sniff(syntheticPng(640, 400))).toEqual({ mediaType: "image/png", width: 640, height: 400 })
    expect(sniff(jpegHeader(1024, 768))).toEqual({ mediaType: "image/jpeg", width: 1024, height: 768 })
    expect(sniff(tinyPdf())).toEqual({ mediaType: "application/pdf", width: null, height: null })
    expect(sniff(new TextEncoder().encode("just text, renamed to .png"))).toBeNull()
  })

  it("photos must be jpeg/png, letters may also be PDF", () => {
    expect(tagOf(checkUpload("id-photo", syntheticPng(640, 400)))).toBe("ok")
    expect(tagOf(checkUpload("id-photo", jpegHeader(640, 400)))).toBe("ok")
    expect(tagOf(checkUpload("id-photo", tinyPdf()))).toBe("UploadTypeNotAllowed")
    expect(tagOf(checkUpload("licence", new TextEncoder().encode("hello")))).toBe("UploadTypeNotAllowed")
    expect(tagOf(checkUpload("letter", tinyPdf()))).toBe("ok")
  })

  it("refuses empty, over 10 MB, and insane dimensions", () => {
    expect(tagOf(checkUpload("id-photo", new Uint8Array()))).toBe("UploadEmpty")
    expect(tagOf(checkUpload("id-photo", oversizedPng(11 * 1024 * 1024)))).toBe("UploadTooLarge")
    expect(tagOf(checkUpload("id-photo", oversizedPng(10 * 1024 * 1024 + 1)))).toBe("UploadTooLarge")
    expect(tagOf(checkUpload("id-photo", syntheticPng(120, 80)))).toBe("UploadImageSize")
    expect(tagOf(checkUpload("id-photo", jpegHeader(60_000, 60_000)))).toBe("UploadImageSize")
  })
})
