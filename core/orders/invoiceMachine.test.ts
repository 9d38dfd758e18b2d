import { describe, expect, it } from "vitest"
import { Result } from "effect"
import fc from "fast-check"
import { INITIAL_INVOICE, type InvoiceContext, type InvoiceEvent, invoiceLines, type InvoiceRecord, invoiceTransition } from "./invoiceMachine.ts"
import { rmbUppercase } from "./invoicePdf.ts"
import { PriceBreakdown } from "./pricing.ts"
import type { OrderStatus } from "./OrderState.ts"

const ctx = (p: Partial<InvoiceContext> = {}): InvoiceContext => ({ medium: "electronic", orderStatus: "in_review", paid: true, ...p })
const issue: InvoiceEvent = { _tag: "IssueInvoice", number: "1", issuer: "builtin-pdf", at: 5, documentSha256: "ab" }
const why = (r: Result.Result<InvoiceRecord, { readonly why: string }>) => Result.isFailure(r) ? r.failure.why : "ok"
const after = (r: InvoiceRecord, c: InvoiceContext, ...events: ReadonlyArray<InvoiceEvent>) =>
  events.reduce((acc, e) => Result.getOrThrow(invoiceTransition(acc, c, e)), r)

describe("invoice machine", () => {
  it("issues once, only for a paid order whose money is kept, an electronic one only with its document", () => {
    expect(why(invoiceTransition(INITIAL_INVOICE, ctx({ paid: false, orderStatus: "pending_payment" }), issue))).toBe("unpaid")
    for (const s of ["cancelled", "refunded"] as const) expect(why(invoiceTransition(INITIAL_INVOICE, ctx({ orderStatus: s }), issue))).toBe("closed")
    expect(why(invoiceTransition(INITIAL_INVOICE, ctx(), { ...issue, documentSha256: null }))).toBe("document")
    const issued = after(INITIAL_INVOICE, ctx(), issue)
    expect(issued).toMatchObject({ status: "issued", number: "1", issuer: "builtin-pdf", issuedAt: 5, documentSha256: "ab", emailedAt: null })
    expect(why(invoiceTransition(issued, ctx(), { ...issue, number: "2" }))).toBe("state")
  })

  it("an electronic invoice is e-mailed (again if need be) and never mailed; a paper one is mailed once and never e-mailed", () => {
    const e = after(INITIAL_INVOICE, ctx(), issue, { _tag: "InvoiceEmailed", at: 6 }, { _tag: "InvoiceEmailed", at: 9 })
    expect([e.status, e.emailedAt]).toEqual(["issued", 9])
    expect(why(invoiceTransition(e, ctx(), { _tag: "MailInvoice", carrier: "顺丰速运", trackingNo: "SF1", at: 7 }))).toBe("medium")
    const paper = ctx({ medium: "paper" })
    expect(why(invoiceTransition(INITIAL_INVOICE, paper, { _tag: "MailInvoice", carrier: "顺丰速运", trackingNo: "SF1", at: 7 }))).toBe("state")
    const mailed = after(INITIAL_INVOICE, paper, issue, { _tag: "MailInvoice", carrier: "顺丰速运", trackingNo: "SF1", at: 7 })
    expect(mailed).toMatchObject({ status: "mailed", shipment: { carrier: "顺丰速运", trackingNo: "SF1" }, mailedAt: 7 })
    expect(why(invoiceTransition(mailed, paper, { _tag: "MailInvoice", carrier: "顺丰速运", trackingNo: "SF2", at: 8 }))).toBe("state")
    expect(why(invoiceTransition(after(INITIAL_INVOICE, paper, issue), paper, { _tag: "InvoiceEmailed", at: 8 }))).toBe("medium")
  })

  it("voids an issued invoice only once the order was refunded, with a reason", () => {
    const issued = after(INITIAL_INVOICE, ctx(), issue)
    expect(why(invoiceTransition(issued, ctx(), { _tag: "VoidInvoice", reason: "退款" }))).toBe("closed")
    expect(why(invoiceTransition(issued, ctx({ orderStatus: "refunded" }), { _tag: "VoidInvoice", reason: "  " }))).toBe("reason")
    expect(why(invoiceTransition(INITIAL_INVOICE, ctx({ orderStatus: "refunded" }), { _tag: "VoidInvoice", reason: "退款" }))).toBe("state")
    expect(after(issued, ctx({ orderStatus: "refunded" }), { _tag: "VoidInvoice", reason: " 退款 " })).toMatchObject({ status: "voided", voidReason: "退款" })
  })

  it("property: whatever happens, an invoice is numbered at most once and only while the money is kept", () => {
    const statuses: ReadonlyArray<OrderStatus> = ["pending_payment", "in_review", "approved", "completed", "cancelled", "refunded"]
    const event = fc.oneof(
      fc.constant<InvoiceEvent>(issue),
      fc.constant<InvoiceEvent>({ _tag: "InvoiceEmailed", at: 1 }),
      fc.constant<InvoiceEvent>({ _tag: "MailInvoice", carrier: "EMS", trackingNo: "E1", at: 1 }),
      fc.constant<InvoiceEvent>({ _tag: "VoidInvoice", reason: "退款" }),
    )
    fc.assert(fc.property(fc.constantFrom("electronic" as const, "paper" as const), fc.array(fc.tuple(fc.constantFrom(...statuses), event), { maxLength: 12 }), (medium, steps) => {
      let r = INITIAL_INVOICE
      let numbered = 0
      for (const [orderStatus, e] of steps) {
        const c = { medium, orderStatus, paid: orderStatus !== "pending_payment" && orderStatus !== "cancelled" }
        const next = invoiceTransition(r, c, e)
        if (Result.isFailure(next)) continue
        if (e._tag === "IssueInvoice") {
          numbered++
          expect(["cancelled", "refunded", "pending_payment"]).not.toContain(orderStatus)
        }
        if (e._tag === "VoidInvoice") expect(orderStatus).toBe("refunded")
        r = next.success
      }
      expect(numbered).toBeLessThanOrEqual(1)
      if (medium === "electronic") expect(r.status).not.toBe("mailed")
    }))
  })
})

describe("invoice amounts", () => {
  it("each line splits its price into amount and VAT at its rate; the lines add up to exactly what was paid", () => {
    fc.assert(fc.property(fc.nat(1_000_000), fc.nat(10_000), fc.nat(100_000), (goodsFen, deliveryFeeFen, serviceFeeFen) => {
      const price = new PriceBreakdown({ goodsFen, deliveryFeeFen, serviceFeeFen, payableFen: goodsFen + deliveryFeeFen + serviceFeeFen })
      const lines = invoiceLines(price, "主锁2年")
      expect(lines.reduce((s, l) => s + l.amountFen + l.taxFen, 0)).toBe(price.payableFen)
      for (const l of lines) {
        expect(l.totalFen).toBeGreaterThan(0)
        // VAT within half a fen of amount × rate.
        expect(Math.abs(l.taxFen - (l.amountFen * l.ratePercent) / 100)).toBeLessThanOrEqual(0.5 + l.ratePercent / 100)
      }
    }))
    const lines = invoiceLines(new PriceBreakdown({ goodsFen: 54_000, deliveryFeeFen: 1_500, serviceFeeFen: 5_000, payableFen: 60_500 }), "主锁2年")
    expect(lines.map((l) => [l.ratePercent, l.amountFen, l.taxFen])).toEqual([[13, 47_788, 6_212], [6, 1_415, 85], [6, 4_717, 283]])
  })

  it("价税合计 in capitals", () => {
    expect(rmbUppercase(105_000)).toBe("壹仟零伍拾圆整")
    expect(rmbUppercase(60_500)).toBe("陆佰零伍圆整")
    expect(rmbUppercase(1_001_000)).toBe("壹万零壹拾圆整")
    expect(rmbUppercase(10_000_000)).toBe("壹拾万圆整")
    expect(rmbUppercase(1_234)).toBe("壹拾贰圆叁角肆分")
    expect(rmbUppercase(105)).toBe("壹圆零伍分")
    expect(rmbUppercase(5)).toBe("伍分")
    expect(rmbUppercase(10_050)).toBe("壹佰圆伍角")
    expect(rmbUppercase(0)).toBe("零圆整")
  })
})
