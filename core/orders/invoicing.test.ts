import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"
import { layer as layerBlobs } from "../../adapters/blobs-fs/index.ts"
import { layer as layerCjkFont } from "../../adapters/font-cjk/index.ts"
import { layer as layerInvoicePdf } from "../../adapters/invoice-pdf/index.ts"
import { MailOutbox } from "../../adapters/mail-outbox/index.ts"
import { SmsOutbox } from "../../adapters/sms/index.ts"
import { layerOrderRepository } from "../../adapters/sql/orders.ts"
import { anApplication, anInvoice, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerTestNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { requireTools } from "../../fixtures/tools.ts"
import { addAddress } from "../accounts/addressBook.ts"
import type { StaffId } from "../kernel/Ids.ts"
import type { Mobile } from "../kernel/Mobile.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { applyEvent } from "./applyEvent.ts"
import { layerDefaultCatalogue } from "./Catalogue.ts"
import { createOrder, CreateOrderInput } from "./createOrder.ts"
import { invoiceQueue, issueInvoice, mailInvoice, myInvoiceDocument, resendInvoice } from "./invoicing.ts"
import { rmbUppercase } from "./invoicePdf.ts"
import { getMyOrder } from "./listOrders.ts"
import { yuanString } from "./Money.ts"
import type { Order } from "./Order.ts"

const tools = requireTools("invoice PDF text", "pdftotext", "qpdf")
const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, layerBlobs(tempDir("signet-invoice-blobs-")), layerInvoicePdf).pipe(
  Layer.provideMerge(layerCjkFont()),
  Layer.provideMerge(layerTestNoEvidence),
)
const staff = "1300000000000000003" as StaffId

const outcome = <A, E extends { readonly _tag: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const pdfText = (pdf: Uint8Array) => {
  const file = join(tempDir("signet-invoice-"), "i.pdf")
  writeFileSync(file, pdf)
  execFileSync("qpdf", ["--check", file], { stdio: "pipe" })
  return execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "")
}

const buyer = Effect.gen(function*() {
  const u = aUser()
  yield* (yield* UserRepository).insert(u)
  const address = yield* addAddress(u.id, { recipient: "王五", mobile: "13900139000" as Mobile, region: "江苏省 南京市", detail: "汉中路 8 号", isDefault: true })
  return { user: u, address }
})
const pay = (o: Order) => applyEvent(o, { _tag: "Pay", tradeNo: `T${o.id}`, amountFen: o.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })

describe("invoices (发票) on SQLite", () => {
  it.layer(layer, { timeout: 60_000 })((it) => {
    it.effect("电子发票: issued once for a paid order, PDF e-mailed as an attachment and downloadable by its buyer only", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user } = yield* buyer
        const created = yield* createOrder(user.id, { application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: { ...anInvoice(), medium: "electronic" } })
        expect(yield* outcome(issueInvoice(staff, created.id))).toBe("InvoiceTransitionRefused")
        yield* pay(created)
        expect((yield* invoiceQueue("toIssue")).map((o) => o.id)).toContain(created.id)
        const issued = yield* issueInvoice(staff, created.id)
        expect(issued.invoiceRecord).toMatchObject({ status: "issued", issuer: "builtin-pdf", emailedAt: TEST_EPOCH })
        expect((yield* invoiceQueue("toIssue")).map((o) => o.id)).not.toContain(created.id)
        expect(yield* outcome(issueInvoice(staff, created.id))).toBe("InvoiceTransitionRefused")

        const [mail] = yield* (yield* MailOutbox).recent(1, created.invoice.email)
        expect(mail?.subject).toContain(created.id)
        expect(mail?.attachments?.map((a) => [a.filename, a.contentType])).toEqual([[`发票-${issued.invoiceRecord.number}.pdf`, "application/pdf"]])
        const attached = new Uint8Array(Buffer.from(mail!.attachments![0]!.base64, "base64"))
        const own = yield* myInvoiceDocument(user.id, created.id)
        expect(Buffer.from(own.pdf).equals(Buffer.from(attached))).toBe(true)
        const stranger = yield* buyer
        expect(yield* outcome(myInvoiceDocument(stranger.user.id, created.id))).toBe("NotFound")
        if (tools) {
          const text = pdfText(own.pdf)
          for (const s of ["电子发票", created.invoice.title, created.invoice.taxpayerId!, issued.invoiceRecord.number!, created.id, "价税合计", rmbUppercase(created.price.payableFen), `￥${yuanString(created.price.payableFen)}`]) {
            expect(text).toContain(s.replace(/\s+/g, ""))
          }
        }
        const texts = (yield* (yield* SmsOutbox).recent(5, created.application.agent.mobile)).map((m) => m.text)
        expect(texts.some((t) => t.includes("电子发票已开具"))).toBe(true)
        // Sent again on request; the history shows each step.
        expect((yield* resendInvoice(staff, created.id)).emailed).toBe(true)
        const { history } = yield* getMyOrder(user.id, created.id)
        expect(history.map((h) => h.event).slice(-3)).toEqual(["IssueInvoice", "InvoiceEmailed", "InvoiceEmailed"])
      }))

    it.effect("纸质发票: mailed to the chosen address (copied at ordering), tracking number recorded and texted; never e-mailed as a PDF", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(TEST_EPOCH)
        const { user, address } = yield* buyer
        const noAddress = Schema.decodeUnknownExit(CreateOrderInput)({
          application: anApplication(), delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: { ...anInvoice(), medium: "paper" },
        })
        expect(Exit.isFailure(noAddress)).toBe(true)
        const other = yield* buyer
        const base = { application: anApplication(), delivery: { _tag: "pickup" as const, pointId: "nj-hq" }, invoice: { ...anInvoice(), medium: "paper" as const } }
        expect(yield* outcome(createOrder(user.id, { ...base, invoiceAddressId: other.address.id }))).toBe("NotFound")
        const created = yield* createOrder(user.id, { ...base, invoiceAddressId: address.id })
        expect(created.invoice).toMatchObject({ medium: "paper", mailTo: { recipient: "王五", detail: "汉中路 8 号" } })
        yield* pay(created)
        const mailsBefore = (yield* (yield* MailOutbox).recent(100, created.invoice.email)).length
        const issued = yield* issueInvoice(staff, created.id)
        expect(issued.invoiceRecord).toMatchObject({ status: "issued", emailedAt: null })
        expect((yield* invoiceQueue("toMail")).map((o) => o.id)).toContain(created.id)
        expect(yield* outcome(resendInvoice(staff, created.id))).toBe("InvoiceTransitionRefused")
        expect(yield* outcome(myInvoiceDocument(user.id, created.id))).toBe("NotFound")
        const mailed = yield* mailInvoice(staff, created.id, { carrier: "顺丰速运", trackingNo: "SF7777777777" })
        expect(mailed.invoiceRecord).toMatchObject({ status: "mailed", shipment: { carrier: "顺丰速运", trackingNo: "SF7777777777" } })
        expect((yield* invoiceQueue("toMail")).map((o) => o.id)).not.toContain(created.id)
        const sms = (yield* (yield* SmsOutbox).recent(1, created.application.agent.mobile))[0]?.text
        expect(sms).toContain("纸质发票已寄出：顺丰速运 运单号 SF7777777777")
        const mails = yield* (yield* MailOutbox).recent(100, created.invoice.email)
        expect(mails.length).toBe(mailsBefore + 1)
        expect(mails[0]?.attachments).toBeUndefined()
        expect(mails[0]?.text).toContain("SF7777777777")
        expect(yield* outcome(mailInvoice(staff, created.id, { carrier: "顺丰速运", trackingNo: "SF8888888888" }))).toBe("InvoiceTransitionRefused")
      }))
  })
})
