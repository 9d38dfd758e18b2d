import { Effect } from "effect"
import { PDFDocument, rgb } from "pdf-lib"
import { A4 } from "../documents/textLayout.ts"
import { beijingDay } from "../kernel/time.ts"
import { CjkFont } from "../ports/CjkFont.ts"
import { invoiceMedium } from "./Invoice.ts"
import { invoiceLines } from "./invoiceMachine.ts"
import { yuanString } from "./Money.ts"
import type { Order } from "./Order.ts"

const DIGITS = "零壹贰叁肆伍陆柒捌玖"
const UNITS = ["", "拾", "佰", "仟"]
const GROUPS = ["", "万", "亿"]

/** 价税合计（大写）: 1050.00 yuan is 壹仟零伍拾圆整, 12.34 is 壹拾贰圆叁角肆分. */
export const rmbUppercase = (fen: number): string => {
  const yuan = Math.floor(fen / 100)
  const jiao = Math.floor(fen / 10) % 10
  const cents = fen % 10
  let whole = ""
  if (yuan === 0) whole = "零"
  else {
    const groups: Array<number> = []
    for (let n = yuan; n > 0; n = Math.floor(n / 10000)) groups.push(n % 10000)
    let zero = false
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g]!
      if (group === 0) {
        zero = whole !== ""
        continue
      }
      if (zero || (whole !== "" && group < 1000)) whole += "零"
      zero = false
      let inner = ""
      let innerZero = false
      for (let i = 3; i >= 0; i--) {
        const d = Math.floor(group / 10 ** i) % 10
        if (d === 0) {
          innerZero = inner !== ""
          continue
        }
        if (innerZero) inner += "零"
        innerZero = false
        inner += DIGITS[d]! + UNITS[i]!
      }
      whole += inner + GROUPS[g]!
    }
  }
  const yuanPart = `${whole}圆`
  if (jiao === 0 && cents === 0) return `${yuanPart}整`
  return `${yuan === 0 ? "" : yuanPart}${jiao === 0 ? (yuan === 0 ? "" : "零") : `${DIGITS[jiao]}角`}${cents === 0 ? "" : `${DIGITS[cents]}分`}`
}

/** Who sells: the platform operator (the built-in issuer's letterhead). */
export const SELLER = { name: "Signet 电子签章服务", taxpayerId: "91320100MA1XXXXXX0" } as const

/**
 * The built-in invoice document: an A4 PDF in an embedded subset of the
 * shipped CJK font with the invoice number and date, buyer (title, taxpayer
 * id), seller, the order number, the amount breakdown (金额, 税率, 税额 per
 * line) and 价税合计 in figures and in capitals. Not a tax-authority invoice:
 * the page says so; a real invoicing service issues through its own adapter.
 */
export const invoicePdf = Effect.fn("orders.invoicePdf")(function*(order: Order, number: string, issuedAt: number) {
  const font = yield* CjkFont
  const lines = invoiceLines(order.price, order.package.name)
  const total = lines.reduce((s, l) => s + l.totalFen, 0)
  const amount = lines.reduce((s, l) => s + l.amountFen, 0)
  const tax = lines.reduce((s, l) => s + l.taxFen, 0)
  const paper = invoiceMedium(order.invoice) === "paper"
  const title = paper ? "增值税普通发票（纸质）" : "电子发票（普通发票）"
  const head = [
    `发票号码：${number}`, `开票日期：${beijingDay(issuedAt)}`, `订单号：${order.id}`,
  ]
  const buyer = [
    `购买方名称：${order.invoice.title}`,
    `购买方纳税人识别号：${order.invoice.taxpayerId ?? "（个人）"}`,
  ]
  const seller = [`销售方名称：${SELLER.name}`, `销售方纳税人识别号：${SELLER.taxpayerId}`]
  const table = lines.map((l) => [l.name, `${l.ratePercent}%`, yuanString(l.amountFen), yuanString(l.taxFen)])
  const totals = [`合计  金额 ￥${yuanString(amount)}  税额 ￥${yuanString(tax)}`, `价税合计（大写）${rmbUppercase(total)}    （小写）￥${yuanString(total)}`]
  const footer = "本发票由 Signet 内置开票程序生成；接入税务机关开票服务后，以该服务开具的发票为准。"
  const all = [title, ...head, ...buyer, ...seller, ...table.flat(), ...totals, footer, "项目名称税率金额税额"].join("")
  const missing = new Set(font.missingGlyphs(all))
  const printable = (text: string) => [...text].map((ch) => (missing.has(ch) ? "□" : ch)).join("")
  return yield* Effect.promise(async () => {
    const pdf = await PDFDocument.create()
    pdf.registerFontkit(font.fontkit)
    pdf.setTitle(`${title} ${number}`)
    pdf.setCreator("Signet")
    pdf.setProducer("Signet")
    pdf.setCreationDate(new Date(issuedAt))
    pdf.setModificationDate(new Date(issuedAt))
    const f = await pdf.embedFont(font.bytes, { subset: true })
    const page = pdf.addPage([A4.width, A4.height])
    const red = rgb(0.6, 0.1, 0.1)
    const text = (s: string, x: number, y: number, size = 11, color = rgb(0, 0, 0)) => page.drawText(printable(s), { x, y, size, font: f, color })
    text(title, (A4.width - f.widthOfTextAtSize(printable(title), 20)) / 2, 780, 20, red)
    head.forEach((s, i) => text(s, 380, 740 - i * 18, 10))
    page.drawRectangle({ x: 50, y: 585, width: A4.width - 100, height: 95, borderColor: red, borderWidth: 0.8 })
    // A long title (up to 100 characters) shrinks to the box's width instead of running out of it.
    const fit = (s: string, size: number) => Math.min(size, (A4.width - 120) / Math.max(1, f.widthOfTextAtSize(printable(s), 1)))
    buyer.forEach((s, i) => text(s, 60, 660 - i * 20, fit(s, 11)))
    seller.forEach((s, i) => text(s, 60, 617 - i * 16, 9, rgb(0.3, 0.3, 0.3)))
    const cols = [60, 340, 410, 490]
    const top = 560
    ;["项目名称", "税率", "金额", "税额"].forEach((h, i) => text(h, cols[i]!, top, 10, red))
    page.drawLine({ start: { x: 50, y: top - 6 }, end: { x: A4.width - 50, y: top - 6 }, color: red, thickness: 0.6 })
    table.forEach((row, r) => row.forEach((cell, i) => text(cell, cols[i]!, top - 26 - r * 20, i === 0 ? 9 : 10)))
    const bottom = top - 26 - table.length * 20 - 10
    page.drawLine({ start: { x: 50, y: bottom }, end: { x: A4.width - 50, y: bottom }, color: red, thickness: 0.6 })
    totals.forEach((s, i) => text(s, 60, bottom - 22 - i * 22, 11))
    text(footer, 60, 60, 8, rgb(0.4, 0.4, 0.4))
    return new Uint8Array(await pdf.save({ useObjectStreams: false }))
  })
})
