/**
 * Property: any sequence of signing acts (RSA/ECDSA, visible or invisible,
 * on random pages of random generated PDFs) keeps every earlier signature
 * valid in our verifier and the file parseable, and the change analysis
 * finds "only signatures added" (also after a certification or a cross-page seal).
 */
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { PDFDocument } from "pdf-lib"
import { beforeAll, describe, expect } from "vitest"
import type { SoftwareCa } from "../../adapters/ca/index.ts"
import { openTestCa, testSigner, type TestSigner } from "../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../fixtures/signing/run.ts"
import { sealPng } from "../../fixtures/signing/sealPng.ts"
import { openPdf } from "./pdf/document.ts"
import { signPdf } from "./signPdf.ts"
import { verifyPdf } from "./verify/verifyPdf.ts"

const makePdf = async (pages: number, objectStreams: boolean, words: string) => {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([300 + i * 10, 400]).drawText(`${words} ${i}`, { x: 20, y: 300, size: 10 })
  return doc.save({ useObjectStreams: objectStreams })
}

describe("signing sequences", () => {
  let ca: SoftwareCa
  let signers: Array<TestSigner>
  const seal = sealPng(64)
  beforeAll(async () => {
    ca = await openTestCa()
    signers = [await testSigner(ca, "rsa"), await testSigner(ca, "ec")]
  })

  test.prop(
    [
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      fc.string({ minLength: 0, maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
      fc.array(fc.record({ signer: fc.nat(1), visiblePage: fc.option(fc.nat(5)), reason: fc.string({ maxLength: 12 }), crossPage: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    ],
    { numRuns: 12 },
  )("every earlier signature stays valid and the file parses", async (pages, objectStreams, words, acts, certify) => {
    let pdf = await makePdf(pages, objectStreams, words)
    for (const [i, act] of acts.entries()) {
      const page = act.visiblePage === null ? undefined : (act.visiblePage % pages) + 1
      const out = await runSigning(
        signPdf(pdf, {
          reason: act.reason,
          certify: certify && i === 0,
          ...(page ? { visible: { page, rect: { x: 10, y: 10, width: 50, height: 50 }, image: seal } } : {}),
          ...(act.crossPage ? { crossPageSeal: { image: seal, width: 60, height: 60, y: 100 } } : {}),
        }, (signers[act.signer] as TestSigner).signer),
      )
      pdf = concatParts(out.parts)
      expect(() => openPdf(pdf)).not.toThrow()
      const report = await runSigning(verifyPdf(pdf, { trust: [ca.rootDer] }))
      expect(report.signatures).toHaveLength(i + 1)
      expect(report.valid, JSON.stringify(report.signatures.filter((s) => !s.valid), null, 1)).toBe(true)
      expect(report.verdict, JSON.stringify(report.revisions, null, 1)).toBe(i === 0 ? "unchanged" : "signaturesAdded")
      expect(report.revisions.flatMap((r) => r.changes).filter((c) => !c.allowed)).toEqual([])
    }
  })
})
