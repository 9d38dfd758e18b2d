import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { Ocr } from "../../core/ports/Ocr.ts"
import { requireTools } from "../../fixtures/tools.ts"
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
