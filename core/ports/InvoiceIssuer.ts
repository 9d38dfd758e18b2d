import { Context, type Effect, Schema } from "effect"
import type { Order } from "../orders/Order.ts"

/** The invoicing service refused or could not be reached; nothing was issued. */
export class InvoiceIssueFailed extends Schema.TaggedError<InvoiceIssueFailed>()("InvoiceIssueFailed", {
  reason: Schema.String,
}) {}

export interface IssuedInvoice {
  /** 发票号码 as the issuer numbered it. */
  readonly number: string
  /** The invoice document (PDF): e-mailed and downloadable for an electronic invoice, printed for a paper one. */
  readonly pdf: Uint8Array
}

/**
 * Issues an order's invoice (发票). The built-in adapter (adapters/invoice-pdf)
 * lays out a PDF in the shipped CJK font and numbers it itself; a real
 * tax-authority invoicing service (全电发票 / 税控开票 API) is another adapter
 * behind this same port, returning the number and the document it issued.
 */
export class InvoiceIssuer extends Context.Service<InvoiceIssuer, {
  /** Short name recorded on the invoice ("builtin-pdf"). */
  readonly name: string
  readonly issue: (order: Order, issuedAt: number) => Effect.Effect<IssuedInvoice, InvoiceIssueFailed>
}>()("core/orders/InvoiceIssuer") {}
