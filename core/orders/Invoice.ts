import { Schema } from "effect"
import { Email } from "../accounts/User.ts"
import { Mobile } from "../kernel/Mobile.ts"
import { creditCodeProblem } from "../kernel/CreditCode.ts"

/**
 * 纳税人识别号: since 2015 an enterprise's is its unified social credit code
 * (18 characters, GB 32100 check character verified); older registrations
 * still carry 15, 17 or 20 character tax numbers (digits and capitals), which
 * have no check character to verify.
 */
export const taxpayerIdProblem = (id: string): string | null => {
  if (id.length === 18) return creditCodeProblem(id) === null ? null : "taxpayerId.checkDigit"
  return /^(?:[0-9A-Z]{15}|[0-9A-Z]{17}|[0-9A-Z]{20})$/.test(id) ? null : "taxpayerId.format"
}

export const TaxpayerId = Schema.String.pipe(Schema.check(Schema.makeFilter((s: string) => taxpayerIdProblem(s) ?? true)))

/** 发票抬头 kind: a company invoice needs the taxpayer id, a personal one has none. */
export const InvoiceKind = Schema.Literals(["enterprise", "personal"])

const Title = Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "title.trim" }), Schema.isBetweenLength(1, 100, { message: "title.length" })))

const needsTaxpayerId = Schema.makeFilter((i: { kind: "enterprise" | "personal"; taxpayerId: string | null }) => {
  if (i.kind === "enterprise" && i.taxpayerId === null) return { path: ["taxpayerId"], issue: "taxpayerId.required" }
  if (i.kind === "personal" && i.taxpayerId !== null) return { path: ["taxpayerId"], issue: "taxpayerId.notAllowed" }
  return undefined
})

/** 电子发票 (a PDF e-mailed and downloadable) or 纸质发票 (printed and mailed to an address). */
export const InvoiceMedium = Schema.Literals(["electronic", "paper"])
export type InvoiceMedium = typeof InvoiceMedium.Type

/** Where a paper invoice is mailed: a copy of the address-book entry at the time of ordering. */
export const InvoiceMailing = Schema.Struct({
  recipient: Schema.String,
  mobile: Mobile,
  region: Schema.String,
  detail: Schema.String,
})
export type InvoiceMailing = typeof InvoiceMailing.Type

/**
 * Invoice details (O5): the e-invoice goes to `email` (the paper one's notices too). `medium` absent is an
 * electronic invoice (orders from before the choice existed); `mailTo` is set by the server for paper invoices only.
 */
export const Invoice = Schema.Struct({
  kind: InvoiceKind,
  title: Title,
  taxpayerId: Schema.NullOr(TaxpayerId),
  email: Email,
  medium: Schema.optionalKey(InvoiceMedium),
  mailTo: Schema.optionalKey(InvoiceMailing),
}).check(needsTaxpayerId)
export type Invoice = typeof Invoice.Type

export const invoiceMedium = (i: Invoice): InvoiceMedium => i.medium ?? "electronic"
