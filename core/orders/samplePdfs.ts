import { Effect } from "effect"
import { PDFDocument, rgb } from "pdf-lib"
import { A4 } from "../documents/textLayout.ts"
import { CjkFont } from "../ports/CjkFont.ts"
import type { Application } from "./Application.ts"
import type { Package } from "./Catalogue.ts"

/** The three documents an application uploads, printed, signed and stamped (O3, O4). */
export const SAMPLE_DOCUMENTS = {
  applicationForm: "“数字证书与电子签章”业务申请表",
  authorizationLetter: "授权委托及诚信承诺书",
  serviceAgreement: "服务协议",
} as const
export type SampleDocument = keyof typeof SAMPLE_DOCUMENTS

const BLANK = "__________"

/** What the samples are filled in with when an application is at hand; blanks otherwise. */
const fieldsOf = (app: Application | null, pkg: Package | null) => ({
  kind: app === null ? BLANK : `${app.business === "new" ? "新办" : "补办"}（${app.applicant === "enterprise" ? "企业" : "个人"}）`,
  holderTitle: app?.applicant === "personal" ? "申请人" : "单位名称",
  holder: app === null ? BLANK : app.enterprise?.name ?? app.holder.name,
  code: app === null ? BLANK : app.enterprise?.creditCode ?? app.holder.idNumber,
  legal: app === null ? BLANK : app.holder.name,
  agent: app?.agent.name ?? BLANK,
  agentId: app?.agent.idNumber ?? BLANK,
  agentMobile: app?.agent.mobile ?? BLANK,
  agentEmail: app?.agent.email ?? BLANK,
  pkg: pkg === null ? BLANK : `${pkg.name}（${pkg.keyType === "main" ? "主锁" : "副锁"}，${pkg.years} 年）`,
  lost: app?.lostCertificateSerial ?? (app === null ? BLANK : "不适用"),
})

const linesOf = (doc: SampleDocument, f: ReturnType<typeof fieldsOf>): ReadonlyArray<string> => {
  switch (doc) {
    case "applicationForm":
      return [
        `业务类型：${f.kind}`, `${f.holderTitle}：${f.holder}`, `统一社会信用代码 / 身份证号：${f.code}`, `法定代表人：${f.legal}`,
        `经办人：${f.agent}`, `经办人身份证号：${f.agentId}`, `经办人手机：${f.agentMobile}`, `经办人邮箱：${f.agentEmail}`,
        `套餐：${f.pkg}`, `补办证书序列号：${f.lost}`, "",
        "申请单位（盖章）：", "经办人（签字）：", "日期：        年    月    日",
      ]
    case "authorizationLetter":
      return [
        `兹授权 ${f.agent}（身份证号：${f.agentId}）`, `代表 ${f.holder} 办理电子签章（含数字证书）`, `${f.kind}业务，并签署相关文件。`, "",
        "本单位承诺：所提交的申请材料真实、准确、完整，", "如有虚假，愿意承担由此产生的一切法律责任。", "",
        "法定代表人（签字）：", "单位（盖章）：", "日期：        年    月    日",
      ]
    case "serviceAgreement":
      return [
        "甲方（用户）：" + f.holder, "乙方（服务方）：Signet 电子签章服务", "",
        "一、乙方为甲方制作数字证书及电子签章，", "    并以 USB-Key 介质交付。", "二、甲方应妥善保管 USB-Key 及其口令，",
        "    遗失或损坏时应及时申请补办并注销原证书。", "三、证书有效期以所选套餐为准：" + f.pkg, "",
        "甲方（盖章）：", "乙方（盖章）：", "日期：        年    月    日",
      ]
  }
}

/**
 * O3 示例文档: a one-page A4 PDF of the document, filled in from the
 * application when given. Chinese text is set in an embedded subset of the
 * shipped CJK font (any viewer and `pdftotext` read it without a language
 * pack); a character the font lacks prints as □ (a sample, not a contract).
 */
export const samplePdf = Effect.fn("orders.samplePdf")(function*(doc: SampleDocument, app: Application | null = null, pkg: Package | null = null) {
  const font = yield* CjkFont
  const title = SAMPLE_DOCUMENTS[doc]
  const lines = linesOf(doc, fieldsOf(app, pkg))
  const footer = "示例文档：请打印、填写、签字并加盖公章后拍照或扫描上传。"
  const missing = new Set(font.missingGlyphs([title, ...lines, footer].join("")))
  const printable = (text: string) => [...text].map((ch) => (missing.has(ch) ? "□" : ch)).join("")
  return yield* Effect.promise(async () => {
    const pdf = await PDFDocument.create()
    pdf.registerFontkit(font.fontkit)
    pdf.setTitle(title)
    pdf.setCreator("Signet")
    pdf.setProducer("Signet")
    const embedded = await pdf.embedFont(font.bytes, { subset: true })
    const page = pdf.addPage([A4.width, A4.height])
    page.drawText(printable(title), { x: (A4.width - embedded.widthOfTextAtSize(printable(title), 20)) / 2, y: 770, size: 20, font: embedded })
    lines.forEach((l, i) => page.drawText(printable(l), { x: 60, y: 720 - i * 26, size: 13, font: embedded }))
    page.drawText(printable(footer), { x: 60, y: 40, size: 9, font: embedded, color: rgb(0.4, 0.4, 0.4) })
    return new Uint8Array(await pdf.save())
  })
})
