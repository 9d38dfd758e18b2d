import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { classicPdf, encryptedPdf, objectStreamPdf } from "../../../fixtures/pdfs/generate.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { latin1 } from "./bytes.ts"
import { openPdf } from "./document.ts"
import { prepareSignature, type PrepareOptions } from "./prepareSignature.ts"

const options: PrepareOptions = { signingTime: new Date("2026-11-01T00:00:00Z"), contentsSize: 4096, idSeed: new Uint8Array(16) }
const failure = async (bytes: Uint8Array, extra: Partial<PrepareOptions> = {}) =>
  Effect.runPromise(Effect.flip(prepareSignature(bytes, { ...options, ...extra })))

describe("prepareSignature", () => {
  it("appends an update with fresh object numbers, /Prev and extended /Fields", async () => {
    const pdf = await classicPdf(2)
    const before = openPdf(pdf)
    const p = await Effect.runPromise(prepareSignature(pdf, options))
    const out = new Uint8Array(pdf.length + p.update.length)
    out.set(pdf)
    out.set(p.update, pdf.length)
    const after = openPdf(out)
    expect(after.xref.sections).toHaveLength(2)
    expect(latin1(p.update)).toContain(`/Prev ${before.xref.startxref}`)
    const fresh = [...after.xref.entries.keys()].filter((n) => !before.xref.entries.has(n))
    expect(Math.min(...fresh)).toBeGreaterThanOrEqual(before.xref.nextNumber)
    expect(p.byteRange[0]).toBe(0)
    expect(p.byteRange[2] + p.byteRange[3]).toBe(out.length)
    expect(latin1(out, p.byteRange[1], p.byteRange[2])).toMatch(/^<0+>$/)
  })

  it("a second field gets a new unique name and keeps the first in /Fields", async () => {
    const pdf = await classicPdf(1)
    const p1 = await Effect.runPromise(prepareSignature(pdf, options))
    const once = new Uint8Array([...pdf, ...p1.update])
    const p2 = await Effect.runPromise(prepareSignature(once, options))
    expect([p1.fieldName, p2.fieldName]).toEqual(["Signature1", "Signature2"])
    const e = await failure(new Uint8Array([...once, ...p2.update]), { fieldName: "Signature1" })
    expect(e._tag).toBe("SignatureFieldNameTaken")
  })

  it("malformed input fails with the check that failed, never with output", async () => {
    const pdf = await classicPdf(1)
    expect(await failure(new TextEncoder().encode("hello world"))).toMatchObject({ _tag: "PdfMalformed", check: "header" })
    expect(await failure(pdf.subarray(0, pdf.length - 300))).toMatchObject({ _tag: "PdfMalformed", check: "startxref" })
    const text = latin1(pdf)
    const broken = new Uint8Array(pdf)
    const at = text.lastIndexOf("startxref") + 10
    broken.set(new TextEncoder().encode("9".repeat(String(text.slice(at).trim().split(/\s/)[0]).length)), at)
    expect(await failure(broken)).toMatchObject({ _tag: "PdfMalformed", check: "startxref" })
    expect(await failure(pdf, { visible: { page: 5, rect: { x: 0, y: 0, width: 10, height: 10 }, image: new Uint8Array(8) } })).toMatchObject({ _tag: "PageNotFound", pageCount: 1 })
    expect(await failure(pdf, { visible: { page: 1, rect: { x: 0, y: 0, width: 10, height: 10 }, image: new Uint8Array(8) } })).toMatchObject({ _tag: "SealImageInvalid" })
  })

  describe.skipIf(!requireTools("qpdf inputs", "qpdf"))("qpdf-made inputs", () => {
    it("encrypted input is refused as PdfEncrypted", async () => {
      expect(await failure(await encryptedPdf())).toMatchObject({ _tag: "PdfEncrypted" })
    })
    it("a file with an xref stream gets an xref stream update whose number is fresh", async () => {
      const pdf = await objectStreamPdf(2)
      const before = openPdf(pdf)
      expect(before.xref.kind).toBe("stream")
      const p = await Effect.runPromise(prepareSignature(pdf, options))
      expect(latin1(p.update)).toMatch(new RegExp(`${before.xref.nextNumber + 2}|/Type /XRef`))
      const after = openPdf(new Uint8Array([...pdf, ...p.update]))
      expect(after.xref.kind).toBe("stream")
      expect(after.xref.nextNumber).toBeGreaterThan(before.xref.nextNumber)
    })
  })
})
