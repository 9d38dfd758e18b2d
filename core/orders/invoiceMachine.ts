import { Result, Schema } from "effect"
import { Fen } from "./Money.ts"
import type { InvoiceMedium } from "./Invoice.ts"
import { Millis, type OrderStatus, Shipment } from "./OrderState.ts"
import type { PriceBreakdown } from "./pricing.ts"

/**
 * Where an order's invoice (发票) is, beside the order's own state: its own
 * small machine, so the order life cycle does not multiply by the invoice's.
 * 待开票 (pending) → 已开票 (issued: the electronic document made, or the paper
 * one printed) → 已寄出 (mailed, paper only); an issued invoice of an order
 * that was refunded is 已作废 (voided, 红冲).
 */
export const InvoiceStatus = Schema.Literals(["pending", "issued", "mailed", "voided"])
export type InvoiceStatus = typeof InvoiceStatus.Type

export const InvoiceRecord = Schema.Struct({
  status: InvoiceStatus,
  /** 发票号码, from the issuer. */
  number: Schema.NullOr(Schema.String),
  /** Which InvoiceIssuer made it ("builtin-pdf", or a tax-authority service's name). */
  issuer: Schema.NullOr(Schema.String),
  issuedAt: Schema.NullOr(Millis),
  /** The electronic document (PDF) in the blob store. */
  documentSha256: Schema.NullOr(Schema.String),
  /** When the electronic invoice was last e-mailed (null: not yet, or the mail server refused it). */
  emailedAt: Schema.NullOr(Millis),
  shipment: Schema.NullOr(Shipment),
  mailedAt: Schema.NullOr(Millis),
  voidReason: Schema.NullOr(Schema.String),
})
export type InvoiceRecord = typeof InvoiceRecord.Type

export const INITIAL_INVOICE: InvoiceRecord = {
  status: "pending", number: null, issuer: null, issuedAt: null, documentSha256: null, emailedAt: null, shipment: null, mailedAt: null, voidReason: null,
}

export type InvoiceEvent =
  | { readonly _tag: "IssueInvoice"; readonly number: string; readonly issuer: string; readonly at: number; readonly documentSha256: string | null }
  | { readonly _tag: "InvoiceEmailed"; readonly at: number }
  | { readonly _tag: "MailInvoice"; readonly carrier: string; readonly trackingNo: string; readonly at: number }
  | { readonly _tag: "VoidInvoice"; readonly reason: string }
export type InvoiceEventTag = InvoiceEvent["_tag"]

/** What the machine reads of the order: how the invoice is delivered and whether the money was kept. */
export interface InvoiceContext {
  readonly medium: InvoiceMedium
  readonly orderStatus: OrderStatus
  readonly paid: boolean
}

/** The invoice step is not possible now (issuing for an unpaid or cancelled order, mailing an electronic invoice, ...). */
export class InvoiceTransitionRefused extends Schema.TaggedError<InvoiceTransitionRefused>()("InvoiceTransitionRefused", {
  status: Schema.String,
  event: Schema.String,
  /** Why, as a key: "unpaid", "closed", "medium", "document", "state", "reason". */
  why: Schema.String,
}) {}

/** Orders whose money was not (or no longer) kept get no invoice. */
const CLOSED: ReadonlyArray<OrderStatus> = ["cancelled", "refunding", "refunded", "pending_payment"]

const refuse = (r: InvoiceRecord, e: InvoiceEvent, why: string) =>
  Result.fail(new InvoiceTransitionRefused({ status: r.status, event: e._tag, why }))

/**
 * Rules: an invoice is issued once, only for a paid order that was not
 * refunded or cancelled, and an electronic one only with its document; the
 * electronic one may be e-mailed again (a refused mail, a lost message);
 * only a paper one is mailed, once, with carrier and tracking number; an
 * issued invoice is voided only when the order was refunded, with a reason.
 */
export const invoiceTransition = (r: InvoiceRecord, ctx: InvoiceContext, e: InvoiceEvent): Result.Result<InvoiceRecord, InvoiceTransitionRefused> => {
  switch (e._tag) {
    case "IssueInvoice":
      if (r.status !== "pending") return refuse(r, e, "state")
      if (!ctx.paid) return refuse(r, e, "unpaid")
      if (CLOSED.includes(ctx.orderStatus)) return refuse(r, e, "closed")
      if (ctx.medium === "electronic" && e.documentSha256 === null) return refuse(r, e, "document")
      return Result.succeed({ ...r, status: "issued", number: e.number, issuer: e.issuer, issuedAt: e.at, documentSha256: e.documentSha256 })
    case "InvoiceEmailed":
      if (ctx.medium !== "electronic") return refuse(r, e, "medium")
      return r.status === "issued" ? Result.succeed({ ...r, emailedAt: e.at }) : refuse(r, e, "state")
    case "MailInvoice":
      if (ctx.medium !== "paper") return refuse(r, e, "medium")
      if (r.status !== "issued") return refuse(r, e, "state")
      return Result.succeed({ ...r, status: "mailed", shipment: { carrier: e.carrier, trackingNo: e.trackingNo }, mailedAt: e.at })
    case "VoidInvoice": {
      if (r.status !== "issued" && r.status !== "mailed") return refuse(r, e, "state")
      if (ctx.orderStatus !== "refunded") return refuse(r, e, "closed")
      const reason = e.reason.trim()
      if (reason === "") return refuse(r, e, "reason")
      return Result.succeed({ ...r, status: "voided", voidReason: reason })
    }
  }
}

/** One line of the invoice: 价税合计 split into 金额 and 税额 at the line's rate (percent). */
export const InvoiceLine = Schema.Struct({ name: Schema.String, ratePercent: Schema.Number, amountFen: Fen, taxFen: Fen, totalFen: Fen })
export type InvoiceLine = typeof InvoiceLine.Type

/** VAT rates: the USB-Key with its certificate is goods (13%); delivery and the service fee are services (6%). */
export const INVOICE_RATES = { goods: 13, delivery: 6, service: 6 } as const

const line = (name: string, ratePercent: number, totalFen: number): InvoiceLine => {
  // Prices include VAT: 金额 = 价税合计 / (1 + rate), rounded to the fen; 税额 takes the rest, so the line adds up exactly.
  const amountFen = Math.round((totalFen * 100) / (100 + ratePercent))
  return { name, ratePercent, amountFen, taxFen: totalFen - amountFen, totalFen }
}

/** The invoice's amount breakdown from the order's price (lines with nothing to bill are left out); the totals equal what was paid. */
export const invoiceLines = (price: PriceBreakdown, packageName: string): ReadonlyArray<InvoiceLine> =>
  [
    line(`*信息安全设备*电子签章 USB-Key（${packageName}）`, INVOICE_RATES.goods, price.goodsFen),
    line("*物流辅助服务*快递服务费", INVOICE_RATES.delivery, price.deliveryFeeFen),
    line("*信息技术服务*数字证书服务费", INVOICE_RATES.service, price.serviceFeeFen),
  ].filter((l) => l.totalFen > 0)
