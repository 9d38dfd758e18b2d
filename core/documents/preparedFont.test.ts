import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { renderTemplate, templates } from "../contracts/templates.ts"
import { subsetWriter } from "./preparedFont.ts"

const ok = requireTools("prepared CJK font", "pdftotext", "qpdf")
const nda = templates.find((t) => t.id === "nda")!
const font = layerCjkFont()
const render = (values: Record<string, string>, writer?: typeof subsetWriter) =>
  Effect.runPromise(renderTemplate(nda, values, undefined, writer).pipe(Effect.provide(font)))

const textOf = (pdf: Uint8Array) => {
  const dir = tempDir("signet-prepared-font-")
  writeFileSync(join(dir, "d.pdf"), pdf)
  execFileSync("qpdf", ["--check", join(dir, "d.pdf")], { stdio: "pipe" })
  return execFileSync("pdftotext", ["-enc", "UTF-8", join(dir, "d.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, "")
}

/** The embedded font programs (FontFile2 streams) of a PDF, as their stored (deflated) bytes. */
const fontPrograms = async (pdf: Uint8Array) => {
  const doc = await PDFDocument.load(pdf)
  return doc.context.enumerateIndirectObjects().flatMap(([, o]) => {
    if (!(o instanceof PDFDict) || o.get(PDFName.of("Type")) !== PDFName.of("FontDescriptor")) return []
    const stream = doc.context.lookup(o.get(PDFName.of("FontFile2")))
    return stream instanceof PDFRawStream ? [Buffer.from(stream.getContents()).toString("base64")] : []
  })
}

const values = (partyA: string, partyB: string) => ({ partyA, partyB, years: "3", place: "北京市海淀区" })

describe.skipIf(!ok)("a document kind's font subset, prepared once (issue 23)", () => {
  it("two documents of a template carry the same prepared subset; values it lacks go in a second, small one; readers extract every character", async () => {
    const a = await render(values("上海鸿雁贸易有限公司", "欧阳震华"))
    const b = await render(values("深圳鲲鹏电子有限公司", "司马懿"))
    const [fa, fb] = [await fontPrograms(a.pdf), await fontPrograms(b.pdf)]
    // The template's own subset is byte for byte the same stream in both; each has its own for the names.
    expect(fa).toHaveLength(2)
    expect(fb).toHaveLength(2)
    expect(fa[0]).toBe(fb[0])
    expect(fa[1]).not.toBe(fb[1])
    expect(fa[1]!.length).toBeLessThan(fa[0]!.length)
    // Readers get the same text as from pdf-lib's own per-document subset, the values included.
    for (const [pdf, v] of [[a.pdf, values("上海鸿雁贸易有限公司", "欧阳震华")], [b.pdf, values("深圳鲲鹏电子有限公司", "司马懿")]] as const) {
      const text = textOf(pdf)
      expect(text).toBe(textOf((await render(v, subsetWriter)).pdf))
      for (const value of [v.partyA, v.partyB]) expect(text).toContain(value)
    }
  })

  it("values the template's wording already holds need no second font, and the text matches pdf-lib's own subsetting", async () => {
    // Words from the template's own wording.
    const v = { partyA: "保密协议", partyB: "甲方", years: "3", place: "乙方" }
    const prepared = await render(v)
    expect(await fontPrograms(prepared.pdf)).toHaveLength(1)
    expect(textOf(prepared.pdf)).toBe(textOf((await render(v, subsetWriter)).pdf))
  })
})
