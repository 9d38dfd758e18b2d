/**
 * Issue 15 acceptance: 10,000 mutations of signed PDFs (byte flips, digit
 * edits in offsets and counts, truncations, spliced updates), each answered
 * by a report or a typed failure, never a thrown exception, within the
 * caps (decoded bytes, objects parsed).
 */
import { Cause, Effect, Exit } from "effect"
import fc from "fast-check"
import { PDFDocument, StandardFonts } from "pdf-lib"
import { beforeAll, describe, expect, it } from "vitest"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner } from "../../../fixtures/signing/pki.ts"
import { concatParts, nodeSigningLayer, runSigning } from "../../../fixtures/signing/run.ts"
import { concat } from "../pdf/bytes.ts"
import { workMeter } from "../pdf/limits.ts"
import { signPdf } from "../signPdf.ts"
import { verifyPdf } from "./verifyPdf.ts"

const TYPED = new Set(["PdfMalformed", "PdfEncrypted", "PdfLimitExceeded"])
const CAP = 4 * 1024 * 1024

let bases: ReadonlyArray<Uint8Array> = []
let root: Uint8Array = new Uint8Array()

/** Verifies `bytes`; fails the property on a defect, on the safety net's "unexpected" or on work past the caps. */
const answered = async (bytes: Uint8Array): Promise<boolean> => {
  const meter = workMeter({ maxDecodedBytes: CAP })
  const exit = await Effect.runPromiseExit(verifyPdf(bytes, { trust: [root], meter }).pipe(Effect.provide(nodeSigningLayer)))
  if (Exit.isFailure(exit)) {
    const failure = exit.cause.reasons.find(Cause.isFailReason)
    if (!failure) throw new Error(`defect: ${Cause.pretty(exit.cause)}`)
    const e = failure.error as { _tag: string; check?: string }
    if (!TYPED.has(e._tag) || e.check === "unexpected") throw new Error(`untyped answer: ${JSON.stringify(e)}`)
  }
  // Each parsed object takes at least one byte of the file; a stream decodes once at most per revision opened.
  return meter.decodedBytes <= CAP && meter.objectsParsed <= 4 * bytes.length + 64
}

const base = () => fc.integer({ min: 0, max: 2 }).map((i) => bases[i] as Uint8Array)
const RUNS = { flips: 3500, digits: 2500, truncations: 2000, splices: 2000 }

describe("fuzzed signed PDFs get a typed verdict within the caps", () => {
  beforeAll(async () => {
    const ca = await openTestCa()
    const s = await testSigner(ca, "ec")
    const small = { contentsSize: 3072 }
    const one = concatParts((await runSigning(signPdf(await classicPdf(1, "fuzz"), small, s.signer))).parts)
    const two = concatParts((await runSigning(signPdf(one, { ...small, fieldName: "second" }, s.signer))).parts)
    const doc = await PDFDocument.create()
    doc.addPage([200, 200]).drawText("xref stream", { font: await doc.embedFont(StandardFonts.Helvetica) })
    const streams = concatParts((await runSigning(signPdf(await doc.save({ useObjectStreams: true }), small, s.signer))).parts)
    bases = [one, two, streams]
    root = ca.rootDer
    // The unmutated bases verify as valid: the mutations start from good files.
    for (const b of bases) expect((await runSigning(verifyPdf(b, { trust: [root] }))).valid).toBe(true)
  }, 60_000)

  it(`${RUNS.flips} byte flips`, async () => {
    const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
    await fc.assert(fc.asyncProperty(base(), edits, async (b, es) => {
      const bytes = new Uint8Array(b)
      for (const [at, v] of es) bytes[at % bytes.length] = v
      return answered(bytes)
    }), { numRuns: RUNS.flips })
  }, 600_000)

  it(`${RUNS.digits} digit edits (xref offsets, ByteRange, /Length, /Size, /Count...)`, async () => {
    const digitsOf = (b: Uint8Array) => b.reduce<Array<number>>((out, x, i) => (x >= 0x30 && x <= 0x39 ? (out.push(i), out) : out), [])
    const positions = new Map<Uint8Array, Array<number>>()
    const edit = fc.tuple(fc.nat(), fc.constantFrom("0", "9", "1", "99999999999", "-1", "2147483648", "4294967296", "1.5", ""))
    await fc.assert(fc.asyncProperty(base(), fc.array(edit, { minLength: 1, maxLength: 3 }), async (b, es) => {
      const digits = positions.get(b) ?? digitsOf(b)
      positions.set(b, digits)
      let bytes = b
      for (const [n, text] of es) {
        const at = digits[n % digits.length] ?? 0
        bytes = concat([bytes.subarray(0, at), new TextEncoder().encode(text), bytes.subarray(at + 1)])
      }
      return answered(bytes)
    }), { numRuns: RUNS.digits })
  }, 600_000)

  it(`${RUNS.truncations} truncations`, async () => {
    await fc.assert(fc.asyncProperty(base(), fc.nat(), async (b, at) => answered(b.subarray(0, at % (b.length + 1)))), { numRuns: RUNS.truncations })
  }, 600_000)

  it(`${RUNS.splices} spliced updates (a piece of one file inserted into another, another file's revisions appended)`, async () => {
    await fc.assert(fc.asyncProperty(base(), base(), fc.nat(), fc.nat(), fc.nat({ max: 20_000 }), fc.boolean(), async (a, b, cut, from, length, append) => {
      const at = cut % (a.length + 1)
      const start = from % (b.length + 1)
      const piece = b.subarray(start, start + length)
      return answered(append ? concat([a, b.subarray(start)]) : concat([a.subarray(0, at), piece, a.subarray(at)]))
    }), { numRuns: RUNS.splices })
  }, 600_000)
})
