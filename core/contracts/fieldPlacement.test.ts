import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Effect, Result, Schema } from "effect"
import { classicPdf } from "../../fixtures/pdfs/generate.ts"
import { SignField } from "./Contract.ts"
import type { ContractFieldsInvalid } from "./ContractErrors.ts"
import { defaultFields, fieldProblem, FieldsJson, pageBoxes, withSealBoxes, type PartyKind } from "./fieldPlacement.ts"

/** The refusal as plain data (its code and fields). */
const codeOf = (e: ContractFieldsInvalid | null) => (e === null ? null : { problem: e.problem, index: e.index, kind: e.kind, page: e.page, pages: e.pages })

const A4 = { x: 0, y: 0, width: 595, height: 842 }
const box = (over: Partial<ConstructorParameters<typeof SignField>[0]>) =>
  new SignField({ partyIndex: 0, page: 1, x: 100, y: 100, width: 150, height: 60, kind: "signature", ...over })

describe("field placement (C1)", () => {
  it("accepts a box inside its page and names what is wrong with the others", () => {
    expect(fieldProblem([A4], [box({})], 1)).toBeNull()
    expect(fieldProblem([A4], [box({ x: 0, y: 0, width: 595, height: 842 })], 1)).toBeNull()
    expect(codeOf(fieldProblem([A4], [box({}), box({ x: 500 })], 1))).toEqual({ problem: "outsidePage", index: 1, kind: "signature", page: 1, pages: 1 })
    expect(codeOf(fieldProblem([A4], [box({ y: -1, kind: "seal" })], 1))).toEqual({ problem: "outsidePage", index: 0, kind: "seal", page: 1, pages: 1 })
    expect(codeOf(fieldProblem([A4], [box({ y: 800, kind: "date" })], 1))).toEqual({ problem: "outsidePage", index: 0, kind: "date", page: 1, pages: 1 })
    expect(fieldProblem([A4], [box({ x: Number.NaN })], 1)?.problem).toBe("outsidePage")
    expect(codeOf(fieldProblem([A4], [box({ page: 2 })], 1))).toEqual({ problem: "pageMissing", index: 0, kind: "signature", page: 2, pages: 1 })
    expect(fieldProblem([A4], [box({ partyIndex: 1 })], 1)?.problem).toBe("noParty")
    // A page whose CropBox does not start at the origin: the box is checked in the page's own coordinates.
    const shifted = { x: 100, y: 100, width: 200, height: 200 }
    expect(fieldProblem([shifted], [box({ x: 50 })], 1)?.problem).toBe("outsidePage")
    expect(fieldProblem([shifted], [box({ x: 120, y: 120, width: 100 })], 1)).toBeNull()
  })

  it("default boxes (no JavaScript) sit inside the last page for any page size and up to five parties", () => {
    fc.assert(fc.property(
      fc.array(fc.record({ x: fc.integer({ min: -200, max: 200 }), y: fc.integer({ min: -200, max: 200 }), width: fc.integer({ min: 50, max: 3000 }), height: fc.integer({ min: 50, max: 3000 }) }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 5 }),
      (pages, parties) => {
        const fields = defaultFields(pages, parties)
        expect(fields.map((f) => f.partyIndex)).toEqual(Array.from({ length: parties }, (_, i) => i))
        expect(fields.every((f) => f.page === pages.length)).toBe(true)
        expect(fieldProblem(pages, fields, parties)).toBeNull()
      },
    ), { numRuns: 300 })
  })

  it("an enterprise party gets a seal box and a signature box; a person may not be given a seal box", () => {
    expect(fieldProblem([A4], [box({ kind: "seal" })], ["person"])?.problem).toBe("sealForPerson")
    expect(fieldProblem([A4], [box({ kind: "seal" })], ["enterprise"])).toBeNull()
    fc.assert(fc.property(
      fc.array(fc.record({ x: fc.integer({ min: -200, max: 200 }), y: fc.integer({ min: -200, max: 200 }), width: fc.integer({ min: 50, max: 3000 }), height: fc.integer({ min: 50, max: 3000 }) }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.constantFrom<PartyKind>("person", "enterprise"), { minLength: 1, maxLength: 4 }),
      (pages, kinds) => {
        const fields = defaultFields(pages, kinds)
        expect(fields.map((f) => `${f.partyIndex}:${f.kind}`)).toEqual(kinds.flatMap((k, i) => (k === "enterprise" ? [`${i}:seal`, `${i}:signature`] : [`${i}:signature`])))
        expect(fields.filter((f) => f.kind === "seal").every((f) => f.width === f.height)).toBe(true)
        expect(fieldProblem(pages, fields, kinds)).toBeNull()
        // Person-style boxes (a template's) given to the same parties: each enterprise gains a seal box on its page.
        const sealed = withSealBoxes(pages, defaultFields(pages, kinds.length), kinds)
        expect(sealed.filter((f) => f.kind === "seal").map((f) => f.partyIndex)).toEqual(kinds.flatMap((k, i) => (k === "enterprise" ? [i] : [])))
        expect(fieldProblem(pages, sealed, kinds)).toBeNull()
      },
    ), { numRuns: 300 })
  })

  it("reads page sizes with pdf-lib and decodes the form's JSON with the SignField schema", async () => {
    const pages = await Effect.runPromise(pageBoxes(await classicPdf(2, "Two pages")))
    expect(pages.length).toBe(2)
    expect(pages[0]!.width).toBeGreaterThan(500)
    expect(Result.isFailure(Schema.decodeUnknownResult(FieldsJson)('[{"partyIndex":0,"page":0,"x":1,"y":1,"width":1,"height":1,"kind":"signature"}]'))).toBe(true)
    expect(Result.isFailure(Schema.decodeUnknownResult(FieldsJson)('[{"partyIndex":0,"page":1,"x":1,"y":1,"width":1,"height":1,"kind":"stamp"}]'))).toBe(true)
    expect(Result.isFailure(Schema.decodeUnknownResult(FieldsJson)("not json"))).toBe(true)
    const ok = Schema.decodeUnknownResult(FieldsJson)('[{"partyIndex":0,"page":1,"x":1.5,"y":2,"width":30,"height":20,"kind":"seal"}]')
    expect(Result.isSuccess(ok) ? ok.success[0]!.kind : null).toBe("seal")
    expect(await Effect.runPromise(Effect.flip(pageBoxes(new TextEncoder().encode("%PDF-1.7 nothing else"))))).toMatchObject({ _tag: "ContractDocumentInvalid" })
  })
})
