/**
 * Item 5 of issue 15: any input gets a typed answer within bounded work.
 * Each hostile file is generated here as bytes; each assertion is on the
 * verdict's type and on counted work (objects parsed, bytes decoded, bytes
 * hashed), never on wall time.
 */
import { deflateSync } from "node:zlib"
import { Cause, Effect, Exit } from "effect"
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef } from "pdf-lib"
import { describe, expect, it } from "vitest"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner } from "../../../fixtures/signing/pki.ts"
import { concatParts, nodeSigningLayer, runSigning } from "../../../fixtures/signing/run.ts"
import { ascii, concat, latin1 } from "../pdf/bytes.ts"
import { formFields, getDict, openPdf } from "../pdf/document.ts"
import { writeIncrementalUpdate } from "../pdf/incrementalUpdate.ts"
import { workMeter, type WorkMeter } from "../pdf/limits.ts"
import { prepareSignature } from "../pdf/prepareSignature.ts"
import { signPdf } from "../signPdf.ts"
import { verifyPdf, type VerifyOptions } from "./verifyPdf.ts"

/** Runs the verifier; a defect (thrown exception) fails the test, a typed failure is returned as such. */
export const verdict = async (bytes: Uint8Array, options: Partial<VerifyOptions> = {}) => {
  const exit = await Effect.runPromiseExit(verifyPdf(bytes, { trust: [], ...options }).pipe(Effect.provide(nodeSigningLayer)))
  if (Exit.isSuccess(exit)) return { report: exit.value, error: undefined }
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (!failure) throw new Error(`not a typed failure: ${Cause.pretty(exit.cause)}`)
  return { report: undefined, error: failure.error }
}

/** A classic-xref PDF from object bodies numbered 1..n, plus extra trailer keys. */
const rawPdf = (bodies: ReadonlyArray<string | Uint8Array>, trailer = "/Root 1 0 R", xrefExtra = ""): Uint8Array => {
  const parts: Array<Uint8Array> = [ascii("%PDF-1.7\n")]
  let at = parts[0]!.length
  const offsets: Array<number> = []
  bodies.forEach((body, i) => {
    const bytes = concat([ascii(`${i + 1} 0 obj\n`), typeof body === "string" ? ascii(body) : body, ascii("\nendobj\n")])
    offsets.push(at)
    parts.push(bytes)
    at += bytes.length
  })
  const entries = offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")
  parts.push(ascii(`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${entries}${xrefExtra}trailer\n<< /Size ${bodies.length + 1} ${trailer} >>\nstartxref\n${at}\n%%EOF\n`))
  return concat(parts)
}

const catalog = "<< /Type /Catalog /Pages 2 0 R >>"
const pages = "<< /Type /Pages /Kids [] /Count 0 >>"

/** A PDF whose only cross-reference section is the xref stream `dict` with `data`. */
const xrefStreamPdf = (dict: string, data: Uint8Array): Uint8Array => {
  const head = ascii(`%PDF-1.7\n1 0 obj\n${catalog}\nendobj\n2 0 obj\n${pages}\nendobj\n`)
  const stream = concat([ascii(`3 0 obj\n<< /Type /XRef /Root 1 0 R ${dict} /Length ${data.length} >>\nstream\n`), data, ascii("\nendstream\nendobj\n")])
  return concat([head, stream, ascii(`startxref\n${head.length}\n%%EOF\n`)])
}

const signedOnce = async () => {
  const ca = await openTestCa()
  const s = await testSigner(ca, "ec")
  return { ca, pdf: concatParts((await runSigning(signPdf(await classicPdf(1), {}, s.signer))).parts) }
}

const byteRangeOf = (pdf: Uint8Array) => {
  const text = latin1(pdf)
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text)
  if (!m) throw new Error("no ByteRange")
  return { at: m.index, text: m[0], br: [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number] }
}

describe("hostile inputs get a typed verdict within bounded work", () => {
  it("a CMS that is valid DER but not SignedData: the signature is 'no parsable CMS', the file is answered", async () => {
    const { ca, pdf } = await signedOnce()
    const { br: [, b] } = byteRangeOf(pdf)
    for (const der of ["300602010102010200", "3011" + "06092a864886f70d010701" + "a004" + "0402abcd", "0500"]) {
      const bad = new Uint8Array(pdf)
      bad.set(ascii(der), b + 1)
      const { report } = await verdict(bad, { trust: [ca.rootDer] })
      expect(report?.signatures[0]?.checks.digest.detail).toBe("no parsable CMS in /Contents")
      expect(report?.valid).toBe(false)
    }
  })

  it("odd-length hex in /Contents: a typed answer whether the dictionary still parses or not", async () => {
    const { pdf } = await signedOnce()
    const { at, text, br: [a, b, c, d] } = byteRangeOf(pdf)
    // The gap shortened by one digit: /Contents <...odd...> exactly covered by a rewritten ByteRange.
    const odd = new Uint8Array(pdf)
    odd.set(ascii(`/ByteRange [${a} ${b} ${c - 1} ${d + 1}]`.padEnd(text.length, " ")), at)
    odd.set(ascii("> "), c - 2)
    const r1 = await verdict(odd)
    expect(r1.report?.signatures[0]?.checks.byteRange.detail ?? r1.error?._tag).toMatch(/odd number of digits|PdfMalformed/)
    // The same with the dictionary broken by the stray '>' (what a truncating editor leaves).
    const broken = new Uint8Array(pdf)
    broken.set(ascii(`/ByteRange [${a} ${b} ${c - 1} ${d + 1}]`.padEnd(text.length, " ")), at)
    broken.set(ascii(">"), c - 2)
    const r2 = await verdict(broken)
    expect(r2.error?._tag).toBe("PdfMalformed")
  })

  it("a wrong xref offset of the signature field: PdfMalformed naming the object, with zh-CN and English messages", async () => {
    const { pdf } = await signedOnce()
    const doc = openPdf(pdf)
    const field = formFields(doc).find((f) => f.fullName === "Signature1")
    const num = field?.ref?.objectNumber ?? 0
    const entry = doc.xref.entries.get(num)
    const text = latin1(pdf)
    const xrefAt = text.lastIndexOf("\nxref\n") + 1
    const line = `${String(entry?.kind === "offset" ? entry.offset : 0).padStart(10, "0")} 00000 n`
    const lineAt = text.indexOf(line, xrefAt)
    expect(lineAt).toBeGreaterThan(0)
    const bad = new Uint8Array(pdf)
    bad.set(ascii(String(xrefAt - 200).padStart(10, "0")), lineAt) // somewhere inside another object
    const { error } = await verdict(bad)
    expect(error?._tag).toBe("PdfMalformed")
    expect(error?.message).toMatch(/^malformed PDF \((object header|xref offset)\)/)
    expect((error as { messageZh?: string }).messageZh).toMatch(/^PDF 文件结构有误/)
  })

  it("an xref stream /W [0 0 0] /Index [0 16000000] in a 300-byte file: refused before building 16 million entries", async () => {
    const meter = workMeter()
    const bomb = xrefStreamPdf("/W [0 0 0] /Index [0 16000000] /Size 16000000", new Uint8Array())
    expect(bomb.length).toBeLessThan(400)
    const { error } = await verdict(bomb, { meter })
    expect(error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "cross-reference entries", value: 16_000_000, max: bomb.length })
    expect(meter.objectsParsed).toBeLessThanOrEqual(1)
    // /Size honest, /Index lying; and /W [0 0 0] with a count that fits.
    expect((await verdict(xrefStreamPdf("/W [0 0 0] /Index [0 3 3 16000000] /Size 3", new Uint8Array()))).error).toMatchObject({ limit: "cross-reference entries" })
    expect((await verdict(xrefStreamPdf("/W [0 0 0] /Index [0 3] /Size 3", new Uint8Array()))).error).toMatchObject({ _tag: "PdfMalformed", check: "xref stream" })
  })

  it("/Size and table counts past the file's length, and object numbers from 2^31, are refused on verifying and on signing", async () => {
    const size = rawPdf([catalog, pages], "/Root 1 0 R /Size 4000000000")
    expect((await verdict(size)).error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "cross-reference entries" })
    const high = rawPdf([catalog, pages], "/Root 1 0 R", "2147483648 1\n0000000009 00000 n \n")
    expect((await verdict(high)).error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "object number", value: 2 ** 31 })
    const signing = await Effect.runPromiseExit(prepareSignature(high, { signingTime: new Date(), contentsSize: 4096, idSeed: new Uint8Array(16) }))
    expect(Exit.isFailure(signing) && signing.cause.reasons.find(Cause.isFailReason)?.error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "object number" })
    // An xref stream entry placing object 2 in object stream 2^32 (which would number the next signature's objects).
    const compressed = xrefStreamPdf("/W [1 4 1] /Index [2 1] /Size 3", new Uint8Array([2, 0xff, 0xff, 0xff, 0xff, 0]))
    expect((await verdict(compressed)).error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "object number", value: 2 ** 32 - 1 })
    const count = rawPdf([catalog, pages], "/Root 1 0 R", "5 900000\n")
    expect((await verdict(count)).error?._tag).toMatch(/PdfLimitExceeded|PdfMalformed/)
  })

  it("a decompression bomb in the xref stream stops at the configured cap, and at 64 MiB by default", async () => {
    const meter = workMeter({ maxDecodedBytes: 1024 * 1024 })
    const small = xrefStreamPdf("/W [1 2 1] /Size 3 /Filter /FlateDecode", deflateSync(new Uint8Array(8 * 1024 * 1024)))
    const { error } = await verdict(small, { meter })
    expect(error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "decoded bytes", max: 1024 * 1024 })
    expect(meter.decodedBytes).toBeLessThanOrEqual(1024 * 1024 + 65_536)
    const big = xrefStreamPdf("/W [1 2 1] /Size 3 /Filter /FlateDecode", deflateSync(new Uint8Array(80 * 1024 * 1024)))
    expect(big.length).toBeLessThan(100_000)
    const meter2 = workMeter()
    expect((await verdict(big, { meter: meter2 })).error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "decoded bytes", max: 64 * 1024 * 1024 })
    expect(meter2.decodedBytes).toBeLessThanOrEqual(64 * 1024 * 1024 + 65_536)
    // Charged per file: two revisions' streams count together (the same meter through every openPdf of the verifier).
  })

  it("nesting 100,000 arrays deep: PdfLimitExceeded, not 'Maximum call stack size exceeded'", async () => {
    const deep = rawPdf([`<< /Type /Catalog /Pages 2 0 R /X ${"[".repeat(100_000)}${"]".repeat(100_000)} >>`, pages])
    const { error } = await verdict(deep)
    expect(error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "nesting depth", max: 256 })
    const dicts = rawPdf([`<< /Type /Catalog /Pages 2 0 R /X ${"<< /A ".repeat(20_000)}1${" >>".repeat(20_000)} >>`, pages])
    expect((await verdict(dicts)).error).toMatchObject({ _tag: "PdfLimitExceeded", limit: "nesting depth" })
  })

  it("32,000 fields sharing one ByteRange: the range is hashed once and its CMS checked once", async () => {
    const { ca, pdf } = await signedOnce()
    const doc = openPdf(pdf)
    const sigRef = formFields(doc).find((f) => f.fullName === "Signature1")?.dict.get(PDFName.of("V"))
    const formRef = doc.catalog.get(PDFName.of("AcroForm"))
    const form = getDict(doc, doc.catalog, "AcroForm")
    expect(sigRef).toBeInstanceOf(PDFRef)
    expect(formRef).toBeInstanceOf(PDFRef)
    const first = doc.xref.nextNumber
    const n = 32_000
    const fields = Array.from({ length: n }, (_, i) => ({ num: first + i, gen: 0, body: ascii(`<< /FT /Sig /T (copy${i}) /V ${(sigRef as PDFRef).objectNumber} 0 R >>`) }))
    const newForm = (form as PDFDict).clone()
    const list = PDFArray.withContext(newForm.context)
    for (const f of fields) list.push(PDFRef.of(f.num))
    newForm.set(PDFName.of("Fields"), list)
    const id = PDFHexString.of("00")
    const ids = PDFArray.withContext(newForm.context)
    ids.push(id)
    ids.push(id)
    const update = writeIncrementalUpdate(doc, [...fields, { num: (formRef as PDFRef).objectNumber, gen: 0, body: newForm }], ids).update
    const many = concat([pdf, update])
    const meter: WorkMeter = workMeter()
    const { report } = await verdict(many, { trust: [ca.rootDer], meter })
    // One signature, reported once, with the other fields pointing at it named.
    expect(report?.signatures).toHaveLength(1)
    expect(report?.signatures[0]?.alsoIn).toHaveLength(n - 1)
    const [, b = 0, , d = 0] = byteRangeOf(pdf).br
    expect(meter.bytesHashed).toBe(b + d)
    expect(report?.signatures.every((s) => s.checks.digest.ok && s.checks.signature.ok)).toBe(true)
  }, 120_000)

  it("five signatures: their nested ranges are hashed in one pass over the file plus each range's tail", async () => {
    const ca = await openTestCa()
    const s = await testSigner(ca, "ec")
    let pdf = await classicPdf(2)
    for (let i = 0; i < 5; i++) pdf = concatParts((await runSigning(signPdf(pdf, { fieldName: `s${i}` }, s.signer))).parts)
    const meter = workMeter()
    const { report } = await verdict(pdf, { trust: [ca.rootDer], meter })
    expect(report?.signatures.map((x) => x.valid)).toEqual([true, true, true, true, true])
    const ranges = report?.signatures.map((x) => x.byteRange) ?? []
    const lastGap = Math.max(...ranges.map((r) => r[1] ?? 0))
    const tails = ranges.reduce((n, r) => n + (r[3] ?? 0), 0)
    expect(meter.bytesHashed).toBe(lastGap + tails)
    expect(meter.bytesHashed).toBeLessThan(1.2 * pdf.length)
  }, 60_000)
})
