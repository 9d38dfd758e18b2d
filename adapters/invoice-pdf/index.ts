/**
 * The built-in InvoiceIssuer (the default adapter): numbers the invoice with
 * the platform's id generator and lays its PDF out in the shipped CJK font
 * (core/orders/invoicePdf.ts). A tax-authority invoicing service
 * (全电发票 / 税控开票) is wired instead behind the same port.
 */
import { Effect, Layer } from "effect"
import { InvoiceIssuer } from "../../core/ports/InvoiceIssuer.ts"
import { invoicePdf } from "../../core/orders/invoicePdf.ts"
import { CjkFont } from "../../core/ports/CjkFont.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"

export const layer = Layer.effect(
  InvoiceIssuer,
  Effect.gen(function*() {
    const font = yield* CjkFont
    const ids = yield* IdGenerator
    return {
      name: "builtin-pdf",
      issue: (order, issuedAt) =>
        Effect.gen(function*() {
          const number = yield* ids.next
          const pdf = yield* invoicePdf(order, number, issuedAt).pipe(Effect.provideService(CjkFont, font))
          return { number, pdf }
        }),
    }
  }),
)
