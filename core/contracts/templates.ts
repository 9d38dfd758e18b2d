import { Effect, Schema } from "effect"
import { PDFDocument, rgb } from "pdf-lib"
import { CjkFont } from "../ports/CjkFont.ts"
import { A4, wrapText } from "../documents/textLayout.ts"
import { preparedWriter, type CjkWriterOf } from "../documents/preparedFont.ts"
import { SignField } from "./Contract.ts"
import type { PartyKind } from "./fieldPlacement.ts"

/** The text has characters the shipped font cannot draw (rare characters outside GB 2312). */
export class TemplateCharactersUnsupported extends Schema.TaggedError<TemplateCharactersUnsupported>()("TemplateCharactersUnsupported", {
  characters: Schema.String,
}) {}

export interface TemplateField {
  readonly name: string
  readonly label: string
  readonly placeholder: string
}

/** 拟定合同: a zh-CN contract template with fill-in fields; parties sign at the 签章 lines it draws. */
export interface ContractTemplate {
  readonly id: string
  readonly title: string
  readonly summary: string
  readonly fields: ReadonlyArray<TemplateField>
  readonly clauses: (v: Readonly<Record<string, string>>) => ReadonlyArray<string>
  /** Labels of the two signing blocks (甲方 / 乙方). */
  readonly sides: readonly [string, string]
}

export const templates: ReadonlyArray<ContractTemplate> = [
  {
    id: "nda", title: "保密协议", summary: "双方就合作中知悉的商业秘密约定保密义务。", sides: ["甲方", "乙方"],
    fields: [
      { name: "partyA", label: "甲方名称", placeholder: "如：北京某某科技有限公司" },
      { name: "partyB", label: "乙方名称", placeholder: "如：张三" },
      { name: "years", label: "保密期限（年）", placeholder: "如：3" },
      { name: "place", label: "签订地点", placeholder: "如：北京市海淀区" },
    ],
    clauses: (v) => [
      `甲方：${v.partyA}　　乙方：${v.partyB}`,
      "第一条　保密信息：指一方在合作过程中向另一方披露的、未为公众所知悉的技术信息、经营信息及其他商业秘密。",
      `第二条　保密义务：接收方应对保密信息严格保密，未经披露方书面同意，不得向任何第三方披露或用于合作目的以外的用途。保密期限为本协议生效之日起${v.years}年。`,
      "第三条　违约责任：任何一方违反本协议约定，应赔偿对方因此遭受的全部损失。",
      `第四条　本协议自双方签署之日起生效，于${v.place}签订，以电子签名方式签署，与纸质签字盖章具有同等法律效力。`,
    ],
  },
  {
    id: "service", title: "技术服务合同", summary: "委托方委托服务方提供技术服务并支付服务费用。", sides: ["委托方", "服务方"],
    fields: [
      { name: "partyA", label: "委托方", placeholder: "如：上海某某有限公司" },
      { name: "partyB", label: "服务方", placeholder: "如：杭州某某技术有限公司" },
      { name: "scope", label: "服务内容", placeholder: "如：电子签约系统部署与运维" },
      { name: "fee", label: "服务费用（元）", placeholder: "如：120000" },
      { name: "period", label: "服务期限", placeholder: "如：2026年1月1日至2026年12月31日" },
    ],
    clauses: (v) => [
      `委托方：${v.partyA}　　服务方：${v.partyB}`,
      `第一条　服务内容：服务方为委托方提供以下技术服务：${v.scope}。`,
      `第二条　服务期限：${v.period}。`,
      `第三条　服务费用：人民币${v.fee}元，委托方于服务验收合格后十个工作日内一次性支付。`,
      "第四条　双方应对履行本合同过程中知悉的对方商业秘密承担保密义务。",
      "第五条　本合同自双方签署之日起生效，以电子签名方式签署，与纸质签字盖章具有同等法律效力。",
    ],
  },
  {
    id: "purchase", title: "采购合同", summary: "采购方向供应方采购货物，约定数量、价款与交付。", sides: ["采购方", "供应方"],
    fields: [
      { name: "partyA", label: "采购方", placeholder: "如：广州某某贸易有限公司" },
      { name: "partyB", label: "供应方", placeholder: "如：深圳某某电子有限公司" },
      { name: "goods", label: "货物名称及规格", placeholder: "如：USB-Key 数字证书介质" },
      { name: "quantity", label: "数量", placeholder: "如：500 个" },
      { name: "amount", label: "总价（元）", placeholder: "如：25000" },
      { name: "delivery", label: "交货日期", placeholder: "如：2026年12月31日前" },
    ],
    clauses: (v) => [
      `采购方：${v.partyA}　　供应方：${v.partyB}`,
      `第一条　采购标的：${v.goods}，数量${v.quantity}。`,
      `第二条　合同价款：总价人民币${v.amount}元（含税）。`,
      `第三条　交付：供应方应于${v.delivery}将货物交付至采购方指定地点，并提供合格证明。`,
      "第四条　验收：采购方应于收货后五个工作日内验收，逾期未提出异议视为验收合格。",
      "第五条　本合同自双方签署之日起生效，以电子签名方式签署，与纸质签字盖章具有同等法律效力。",
    ],
  },
]

const MARGIN = 72

/**
 * Renders a filled template as a PDF with the CJK font embedded and subset,
 * and returns where each side signs: a person on the line under its 签章
 * label; an enterprise's signatory on the left part of that line and its seal
 * to the right, below the label (a box never covers printed text).
 */
export const renderTemplate = Effect.fn("contracts.renderTemplate")(function*(
  template: ContractTemplate,
  values: Readonly<Record<string, string>>,
  kinds: ReadonlyArray<PartyKind> = template.sides.map(() => "person"),
  /** How the font goes in: once per template (the default), or pdf-lib's own subset per document (the benchmark's baseline). */
  writerOf: CjkWriterOf = preparedWriter,
) {
  const font = yield* CjkFont
  const clauses = template.clauses(values)
  const labels = template.sides.map((side) => `${side}（签章）：`)
  const text = [template.title, ...clauses, ...labels, "日期："].join("")
  const missing = font.missingGlyphs(text)
  if (missing.length > 0) return yield* new TemplateCharactersUnsupported({ characters: missing.join("") })
  // What every document of this template draws whatever the values: its wording, the digits and a space.
  const blank = Object.fromEntries(template.fields.map((f) => [f.name, ""]))
  const kindText = [template.title, ...template.clauses(blank), ...labels, "日期：", "0123456789 "].join("")
  return yield* Effect.promise(async () => {
    const doc = await PDFDocument.create()
    const cjk = await writerOf(doc, font, kindText, text)
    doc.setTitle(template.title)
    const page = doc.addPage([A4.width, A4.height])
    let y = A4.height - 100
    cjk.draw(page, template.title, { x: (A4.width - cjk.measure.widthOfTextAtSize(template.title, 20)) / 2, y, size: 20 })
    y -= 50
    for (const clause of clauses) {
      for (const line of wrapText(clause, cjk.measure, 12, A4.width - 2 * MARGIN)) {
        cjk.draw(page, line, { x: MARGIN, y, size: 12 })
        y -= 22
      }
      y -= 8
    }
    const signY = 150
    template.sides.forEach((_, i) => {
      const x = MARGIN + i * 240
      cjk.draw(page, labels[i]!, { x, y: signY + 70, size: 12 })
      page.drawRectangle({ x, y: signY, width: 180, height: 60, borderColor: rgb(0.8, 0.8, 0.8), borderWidth: 0.5 })
      cjk.draw(page, "日期：", { x, y: signY - 24, size: 12 })
    })
    const fields = template.sides.flatMap((_, i) => {
      const x = MARGIN + i * 240
      if (kinds[i] !== "enterprise") return [new SignField({ partyIndex: i, page: 1, x, y: signY, width: 180, height: 60, kind: "signature" })]
      // The label (at most 8 characters of 12 pt) ends before x + 100; the seal sits right of it, under its baseline.
      return [
        new SignField({ partyIndex: i, page: 1, x, y: signY, width: 95, height: 60, kind: "signature" }),
        new SignField({ partyIndex: i, page: 1, x: x + 100, y: signY - 12, width: 80, height: 80, kind: "seal" }),
      ]
    })
    // The page as the contract pages task reads it back (core/untrusted/tasks.ts): a drawn document needs no parsing.
    const { x, y: bottom, width, height } = page.getCropBox()
    return { pdf: await doc.save({ useObjectStreams: false }), fields, pages: [{ x, y: bottom, width, height }] }
  })
})
