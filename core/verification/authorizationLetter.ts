import { Effect, Schema } from "effect"
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib"
import { CjkFont } from "../ports/CjkFont.ts"
import { A4, wrapText as wrap } from "../documents/textLayout.ts"

/** The font has no glyph for some characters of the letter (rare name characters). */
export class LetterCharactersUnsupported extends Schema.TaggedError<LetterCharactersUnsupported>()("LetterCharactersUnsupported", {
  characters: Schema.String,
}) {}

/** Who and what the letter names (V3: pre-filled from step 1 and the applicant's verification). */
export interface LetterData {
  readonly applicationId: string
  readonly enterpriseName: string
  readonly creditCode: string
  readonly legalRepresentative: string
  readonly applicantName: string
  readonly applicantIdNumber: string
}

export const PLATFORM_NAME = "Signet 电子签约平台"
export const LETTER_TITLE = "开户及管理授权书"

/** The seed's appendix 1 (联合信签开户及管理授权书), worded for this platform, filled in. */
export const letterParagraphs = (d: LetterData): ReadonlyArray<string> => [
  `我公司${d.enterpriseName}（统一社会信用代码：${d.creditCode}）因业务需求，需开通${PLATFORM_NAME}账户并对账户进行维护管理。`,
  `现委托我单位${d.applicantName}（身份证号${d.applicantIdNumber}）作为全权代表，代为办理开户事宜，在开户完成后对账户进行维护管理，并承担由此产生的法律责任。`,
  "本授权有效期为此授权书签发之日起至法人代表书面声明本授权作废为止。",
]

const MARGIN = 72

const layOut = (page: PDFPage, font: PDFFont, d: LetterData) => {
  const black = rgb(0, 0, 0)
  const width = A4.width - 2 * MARGIN
  let y = A4.height - 110
  const title = `${PLATFORM_NAME}${LETTER_TITLE}`
  page.drawText(title, { x: (A4.width - font.widthOfTextAtSize(title, 18)) / 2, y, size: 18, font, color: black })
  y -= 56
  page.drawText(`${PLATFORM_NAME}运营方：`, { x: MARGIN, y, size: 12, font })
  y -= 30
  for (const p of letterParagraphs(d)) {
    // Paragraphs open with a two-character indent, as Chinese letters do.
    for (const line of wrap(`\u3000\u3000${p}`, font, 12, width)) {
      page.drawText(line, { x: MARGIN, y, size: 12, font })
      y -= 22
    }
    y -= 8
  }
  page.drawText("\u3000\u3000特此委托", { x: MARGIN, y, size: 12, font })
  y -= 70
  const right = MARGIN + width / 2 + 10
  page.drawText(`委托人（法人）：${d.legalRepresentative}`, { x: MARGIN, y, size: 12, font })
  page.drawText(`被委托人：${d.applicantName}`, { x: right, y, size: 12, font })
  y -= 26
  page.drawText("（加盖企业公章）", { x: MARGIN, y, size: 10, font, color: rgb(0.4, 0.4, 0.4) })
  page.drawText("（本人签字）", { x: right, y, size: 10, font, color: rgb(0.4, 0.4, 0.4) })
  y -= 40
  page.drawText("______年____月____日", { x: MARGIN, y, size: 12, font })
  page.drawText("______年____月____日", { x: right, y, size: 12, font })
  page.drawText(`申请编号：${d.applicationId}`, { x: MARGIN, y: 60, size: 9, font, color: rgb(0.4, 0.4, 0.4) })
}

/**
 * V3: the authorization letter as a one-page A4 PDF, its Chinese text in an
 * embedded subset of the CJK font (so `pdftotext` and any viewer read it).
 * Refuses rather than print blanks when a character has no glyph.
 */
export const renderAuthorizationLetter = Effect.fn("verification.renderAuthorizationLetter")(function*(d: LetterData) {
  const font = yield* CjkFont
  const missing = font.missingGlyphs([PLATFORM_NAME, ...letterParagraphs(d), d.legalRepresentative].join(""))
  if (missing.length > 0) return yield* new LetterCharactersUnsupported({ characters: missing.join("") })
  return yield* Effect.promise(async () => {
    const doc = await PDFDocument.create()
    doc.registerFontkit(font.fontkit)
    doc.setTitle(`${PLATFORM_NAME}${LETTER_TITLE}`)
    doc.setCreator("Signet")
    doc.setProducer("Signet")
    const embedded = await doc.embedFont(font.bytes, { subset: true })
    layOut(doc.addPage([A4.width, A4.height]), embedded, d)
    return await doc.save()
  })
})
