import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { Ocr } from "../../core/ports/Ocr.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { pngChunk } from "../../fixtures/png.ts"
import { syntheticIdCard, syntheticLicence } from "../../fixtures/verification/syntheticDocuments.ts"
import { idCardFields, layer, licenceFields, parseTsv } from "./index.ts"

const tsvRow = (block: number, line: number, text: string, conf: number) => `5\t1\t${block}\t1\t${line}\t1\t0\t0\t10\t10\t${conf}\t${text}`
const header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"

describe("tesseract output parsing", () => {
  it("takes the value after its label and prefers numbers that pass their check character", () => {
    const lines = parseTsv([header, tsvRow(1, 1, "姓名", 96), tsvRow(1, 1, "王", 91), tsvRow(1, 1, "小明", 88), tsvRow(1, 2, "440305199208150035", 90), tsvRow(1, 3, "440305199208150034", 80)].join("\n"))
    expect(idCardFields(lines)).toEqual({ name: { value: "王小明", confidence: 0.88 }, idNumber: { value: "440305199208150034", confidence: 0.9 } })
    const only = parseTsv([header, tsvRow(1, 1, "440305199208150035", 90)].join("\n"))
    expect(idCardFields(only).idNumber).toEqual({ value: "440305199208150035", confidence: 0.45 })
    const licence = parseTsv([header, tsvRow(1, 1, "法定代表人名称", 90), tsvRow(1, 2, "名称", 95), tsvRow(1, 2, "北京示例科技有限公司", 93), tsvRow(1, 3, "91110108MA01A2B3CF", 92)].join("\n"))
    expect(licenceFields(licence)).toEqual({ name: { value: "北京示例科技有限公司", confidence: 0.93 }, creditCode: { value: "91110108MA01A2B3CF", confidence: 0.92 } })
    const lowCheckPassing = parseTsv([header, tsvRow(1, 1, "91110108MA01A2B3CF", 47)].join("\n"))
    expect(licenceFields(lowCheckPassing).creditCode?.confidence).toBe(0.9)
  })
})

const ok = requireTools("tesseract OCR", "tesseract", "pdftoppm")

describe.skipIf(!ok)("tesseract on synthetic documents the project generates", () => {
  const run = <A>(f: (ocr: Ocr["Service"]) => Effect.Effect<A, unknown>) => Effect.runPromise(Ocr.use(f).pipe(Effect.provide(layer())))

  it("reads name and ID number from an ID card, name and credit code from a licence", async () => {
    const [id, licence] = await Promise.all([
      syntheticIdCard({ name: "王小明", idNumber: "440305199208150034" }),
      syntheticLicence({ name: "北京示例科技有限公司", creditCode: "91110108MA01A2B3CF" }),
    ])
    const [idFields, licenceFieldsRead] = await Promise.all([run((o) => o.readIdCard(id)), run((o) => o.readLicence(licence))])
    expect(idFields.name?.value).toBe("王小明")
    expect(idFields.idNumber?.value).toBe("440305199208150034")
    expect(licenceFieldsRead.name?.value).toBe("北京示例科技有限公司")
    expect(licenceFieldsRead.creditCode?.value).toBe("91110108MA01A2B3CF")
    for (const f of [idFields.name, idFields.idNumber, licenceFieldsRead.creditCode]) expect(f!.confidence).toBeGreaterThan(0.6)
  }, 60_000)

  it("a missing binary is an OcrFailed (the pages then leave the fields to the user)", async () => {
    const failed = await Effect.runPromise(Effect.flip(Ocr.use((o) => o.readIdCard(new Uint8Array([1, 2, 3]))).pipe(Effect.provide(layer({ command: "/nonexistent/tesseract", timeoutMs: 1000 })))))
    expect(failed._tag).toBe("OcrFailed")
  })
})

describe("tesseract is bounded (issue 16: a 7000x7000 ID photo ran 6.5 s at 490 MB, four at once 1.2 GB)", () => {
  const header = (w: number, h: number) => {
    const ihdr = Buffer.alloc(13)
    ihdr.writeUInt32BE(w, 0)
    ihdr.writeUInt32BE(h, 4)
    ihdr.set([8, 2, 0, 0, 0], 8)
    return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr), pngChunk("IEND", new Uint8Array())]))
  }

  it("reads the pixel count from the header and never starts tesseract on a larger image", async () => {
    const dir = mkdtempSync(join(tmpdir(), "signet-ocr-"))
    const fake = join(dir, "tesseract")
    writeFileSync(fake, `#!/bin/sh\ntouch "${dir}/started"\ncat >/dev/null\necho level\n`, { mode: 0o755 })
    const read = (image: Uint8Array) => Effect.runPromise(Effect.result(Ocr.use((o) => o.readIdCard(image)).pipe(Effect.provide(layer({ command: fake, timeoutMs: 10_000 })))))
    const huge = await read(header(7000, 7000))
    expect(huge._tag === "Failure" && huge.failure.detail).toMatch(/over 12500000 pixels/)
    expect(existsSync(join(dir, "started"))).toBe(false)
    const phone = await read(header(4032, 3024))
    expect(phone._tag).toBe("Success")
    expect(existsSync(join(dir, "started"))).toBe(true)
    rmSync(dir, { recursive: true, force: true })
  })

  it("runs at most maxConcurrent at once and refuses past maxWaiting", async () => {
    const dir = mkdtempSync(join(tmpdir(), "signet-ocr-"))
    const fake = join(dir, "tesseract")
    // Each run holds a lock directory; a second run finding it taken records an overlap.
    writeFileSync(fake, `#!/bin/sh\nmkdir "${dir}/lock" 2>/dev/null || touch "${dir}/overlap"\nsleep 0.2\nrmdir "${dir}/lock" 2>/dev/null\ncat >/dev/null\necho level\n`, { mode: 0o755 })
    const results = await Effect.runPromise(Effect.gen(function*() {
      const ocr = yield* Ocr
      return yield* Effect.all(Array.from({ length: 4 }, () => Effect.result(ocr.readIdCard(header(800, 600)))), { concurrency: "unbounded" })
    }).pipe(Effect.provide(layer({ command: fake, timeoutMs: 10_000, maxConcurrent: 1, maxWaiting: 2 }))))
    expect(existsSync(join(dir, "overlap"))).toBe(false)
    // One runs, two wait, the fourth is refused at once.
    expect(results.map((r) => r._tag === "Success" ? "read" : r.failure.detail)).toEqual(["read", "read", "read", "busy"])
    rmSync(dir, { recursive: true, force: true })
  })
})
