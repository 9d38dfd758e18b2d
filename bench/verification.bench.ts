/**
 * Verification: the authorization letter (V3) against the floor of any
 * pdf-lib page with text (a one-line page in a standard font), the V6 checks
 * against a bare regular expression over the same numbers, and tesseract OCR
 * of a synthetic ID card against tesseract on a blank image (process start +
 * loading the Chinese model, the unavoidable part) when tesseract is present.
 */
import { PDFDocument, StandardFonts } from "pdf-lib"
import fc from "fast-check"
import { Effect, ManagedRuntime } from "effect"
import { layer as layerFont } from "../adapters/font-cjk/index.ts"
import { layer as layerTesseract } from "../adapters/ocr-tesseract/index.ts"
import { Ocr } from "../core/ports/Ocr.ts"
import { renderAuthorizationLetter } from "../core/verification/authorizationLetter.ts"
import { residentIdProblem } from "../core/verification/ResidentIdNumber.ts"
import { creditCodeProblem } from "../core/kernel/CreditCode.ts"
import { hasCommand } from "../fixtures/tools.ts"
import { arbCreditCode, arbResidentId } from "../fixtures/verification/arbitraries.ts"
import { syntheticPng } from "../fixtures/verification/images.ts"
import { syntheticIdCard } from "../fixtures/verification/syntheticDocuments.ts"
import { fmt, medianMs, ratio } from "./measure.ts"

const letter = {
  applicationId: "1248849947504173056", enterpriseName: "北京示例科技有限公司", creditCode: "91110108MA01A2B3CF",
  legalRepresentative: "赵敏", applicantName: "王小明", applicantIdNumber: "440305199208150034",
}

export default async function run(): Promise<string> {
  // The font is loaded once per process, as the apps' runtime does.
  const fonts = ManagedRuntime.make(layerFont())
  const renderLetter = () => fonts.runPromise(renderAuthorizationLetter(letter))
  const floor = await medianMs(async () => {
    const doc = await PDFDocument.create()
    const font = await doc.embedFont(StandardFonts.Helvetica)
    doc.addPage().drawText("Authorization letter", { x: 50, y: 700, size: 12, font })
    await doc.save()
  }, 30)
  const letterMs = await medianMs(renderLetter, 30)
  const size = (await renderLetter()).length

  const ids = fc.sample(arbResidentId, 2000)
  const codes = fc.sample(arbCreditCode, 2000)
  const checks = await medianMs(() => { for (const id of ids) residentIdProblem(id); for (const c of codes) creditCodeProblem(c) }, 50)
  const regex = await medianMs(() => { for (const id of ids) /^[1-8]\d{16}[\dX]$/.test(id); for (const c of codes) /^[0-9A-Y]{18}$/.test(c) }, 50)

  let ocrRow = "| tesseract OCR of a synthetic ID card | not measured: tesseract missing | | |\n"
  if (hasCommand("tesseract") && hasCommand("pdftoppm")) {
    const card = await syntheticIdCard({ name: "王小明", idNumber: "440305199208150034" })
    const blank = syntheticPng(680, 430)
    const ocr = (image: Uint8Array) => Effect.runPromise(Ocr.use((o) => o.readIdCard(image)).pipe(Effect.provide(layerTesseract())))
    const ocrBlank = await medianMs(() => ocr(blank), 3, 1)
    const ocrCard = await medianMs(() => ocr(card), 3, 1)
    ocrRow = `| tesseract OCR of a synthetic ID card (680×430) | ${fmt(ocrCard)} ms | tesseract on a blank image of that size ${fmt(ocrBlank)} ms | ${ratio(ocrCard, ocrBlank)} |\n`
  }
  await fonts.dispose()
  return `## Verification

| what | median | baseline | ratio |
|---|---|---|---|
| authorization letter PDF, CJK font subset embedded (${Math.round(size / 1024)} KB) | ${fmt(letterMs)} ms | one-line pdf-lib page, Helvetica ${fmt(floor)} ms | ${ratio(letterMs, floor)} |
| V6 checks of 2,000 ID numbers + 2,000 credit codes | ${fmt(checks)} ms | format regex alone ${fmt(regex)} ms | ${ratio(checks, regex)} |
${ocrRow}`
}
