import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber } from "pdf-lib"
import { describe, expect, it } from "vitest"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { openTestCa, testSigner } from "../../../fixtures/signing/pki.ts"
import { concatParts, runSigning } from "../../../fixtures/signing/run.ts"
import { openPdf, pageRefs } from "../pdf/document.ts"
import { writeIncrementalUpdate } from "../pdf/incrementalUpdate.ts"
import { signPdf } from "../signPdf.ts"
import { verifyPdf } from "./verifyPdf.ts"

describe("verifyPdf", () => {
  it("reports a later revision that changes page content, while the digest still matches", async () => {
    const ca = await openTestCa()
    const s = await testSigner(ca, "ec")
    const signed = concatParts((await runSigning(signPdf(await classicPdf(1), {}, s.signer))).parts)
    const doc = openPdf(signed)
    const [pageRef] = pageRefs(doc)
    const page = (doc.resolve(pageRef) as PDFDict).clone()
    page.set(PDFName.of("MediaBox"), PDFArray.withContext(page.context))
    ;(page.get(PDFName.of("MediaBox")) as PDFArray).push(PDFNumber.of(0))
    const id = PDFHexString.of("00")
    const idArr = PDFArray.withContext(page.context)
    idArr.push(id)
    idArr.push(id)
    const update = writeIncrementalUpdate(doc, [{ num: pageRef?.objectNumber ?? 0, gen: 0, body: page }], idArr).update
    const edited = concatParts([signed, update])
    const report = await runSigning(verifyPdf(edited, { trust: [ca.rootDer] }))
    const [sig] = report.signatures
    expect(sig?.checks.digest.ok).toBe(true)
    expect(sig?.coversWholeFile).toBe(false)
    expect(sig?.checks.changesAfter).toMatchObject({ ok: false })
    expect(sig?.checks.changesAfter.detail).toContain("/MediaBox changed")
    expect(report.valid).toBe(false)
    // The same file without the edit is valid and trusted only with the right root.
    expect((await runSigning(verifyPdf(signed, { trust: [ca.rootDer] }))).valid).toBe(true)
    expect((await runSigning(verifyPdf(signed, { trust: [] }))).signatures[0]?.checks.chain.ok).toBe(false)
  })
})
