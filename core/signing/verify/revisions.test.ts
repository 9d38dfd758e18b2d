import { describe, expect, it } from "vitest"
import { classicPdf, linearizedPdf } from "../../../fixtures/pdfs/generate.ts"
import { addContent, join2, latin } from "../../../fixtures/signing/attackCorpus.ts"
import { appendUpdate } from "../../../fixtures/signing/rawUpdate.ts"
import { MAX_REVISIONS, splitRevisions } from "./revisions.ts"

describe("splitRevisions", () => {
  it("finds one revision per update, not a %%EOF inside a stream", async () => {
    const base = await classicPdf(1)
    const updated = addContent(base, 0, "startxref 0 %%EOF")
    const r = splitRevisions(updated)
    // pdf-lib ends without an end-of-line; the one the update starts with closes the first revision.
    expect(r.list.map((x) => x.end)).toEqual([base.length + 1, updated.length])
    expect(r.trailing).toBeUndefined()
  })

  it("counts a linearized file (two xref sections, a first-page %%EOF) as one revision", async () => {
    const pdf = await linearizedPdf(3)
    expect(splitRevisions(pdf).list).toHaveLength(1)
  })

  it("reports non-whitespace bytes after the last %%EOF, and an update without one, as trailing", async () => {
    const base = await classicPdf(1)
    expect(splitRevisions(join2(base, latin("\r\n \n"))).trailing).toBeUndefined()
    expect(splitRevisions(join2(base, latin("% x\n"))).trailing).toEqual({ from: base.length, to: base.length + 4 })
    const cut = appendUpdate(base, [{ num: 999, body: "<< >>" }]).subarray(0, -6)
    const r = splitRevisions(cut)
    expect([r.list.length, r.trailing?.from]).toEqual([1, base.length + 1])
  })

  it("refuses more revisions than any signing workflow makes", async () => {
    let pdf = await classicPdf(1)
    for (let i = 0; i < MAX_REVISIONS; i++) pdf = appendUpdate(pdf, [{ num: 900, body: `(${i})` }])
    expect(() => splitRevisions(pdf)).toThrow(expect.objectContaining({ reason: `more than ${MAX_REVISIONS} incremental updates` }))
  })
})
