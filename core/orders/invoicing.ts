import { Clock, Effect, Option } from "effect"
import { runAct } from "../acts/aggregate.ts"
import type { EventOf } from "../evidence/EvidenceRecorder.ts"
import type { EventType } from "../evidence/Event.ts"
import { NotFound } from "../kernel/errors.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import { BlobStore } from "../ports/BlobStore.ts"
import { MailSender } from "../ports/MailSender.ts"
import { SmsSender } from "../ports/SmsSender.ts"
import type { SmsContent } from "../ports/SmsTemplates.ts"
import { loadOrder, loadOwnOrder, orderAggregate } from "./applyEvent.ts"
import type { ShipmentInput } from "./fulfilOrder.ts"
import { type InvoiceMedium, invoiceMedium } from "./Invoice.ts"
import { InvoiceIssuer } from "../ports/InvoiceIssuer.ts"
import { type InvoiceEvent, type InvoiceEventTag, invoiceLines, type InvoiceStatus, invoiceTransition, InvoiceTransitionRefused } from "./invoiceMachine.ts"
import { yuanString } from "./Money.ts"
import { Order, type OrderActor, OrderHistoryEntry, type OrderId } from "./Order.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import type { OrderStatus } from "./OrderState.ts"

const EVIDENCE: Record<InvoiceEventTag, EventType> = {
  IssueInvoice: "order.invoiced",
  InvoiceEmailed: "order.invoice_emailed",
  MailInvoice: "order.invoice_mailed",
  VoidInvoice: "order.invoice_voided",
}

/** Public facts only (as orderEvidence): number, issuer, medium, document hash, carrier; never the title, address or tracking number. */
const invoiceEvidence = (order: Order, event: InvoiceEventTag, actor: OrderActor): EventOf<unknown> => () => {
  const r = order.invoiceRecord
  const facts: Record<string, string | number | boolean | null> = {
    event, invoiceStatus: r.status, version: order.version, medium: invoiceMedium(order.invoice),
  }
  if (event === "IssueInvoice") Object.assign(facts, { number: r.number, issuer: r.issuer, document: r.documentSha256, totalFen: order.price.payableFen })
  if (event === "MailInvoice") Object.assign(facts, { carrier: r.shipment?.carrier ?? null })
  return { type: EVIDENCE[event], subjectId: order.id, role: actor.kind, actor: actor.id, data: facts }
}

const contextOf = (o: Order) => ({ medium: invoiceMedium(o.invoice), orderStatus: o.state.status, paid: o.state.payment !== null })

/**
 * Runs the invoice machine on `order` and stores the result with a timeline
 * entry and its evidence event in one transaction, under the order's version
 * guard (two staff clicks: the loser writes nothing). The order's own state is untouched.
 */
export const applyInvoiceEvent = Effect.fn("orders.applyInvoiceEvent")(function*(order: Order, event: InvoiceEvent, actor: OrderActor, detail: Record<string, string> = {}) {
  const repo = yield* OrderRepository
  const { saved } = yield* runAct(orderAggregate(repo, order.id), {
    loaded: order,
    decide: (current: Order) =>
      Effect.gen(function*() {
        const next = yield* Effect.fromResult(invoiceTransition(current.invoiceRecord, contextOf(current), event))
        const now = yield* Clock.currentTimeMillis
        return { next: new Order({ ...current, invoiceRecord: next, version: current.version + 1, updatedAt: now }), result: undefined }
      }),
    within: (saved) =>
      repo.appendHistory(new OrderHistoryEntry({ orderId: saved.id, seq: saved.version, event: event._tag, status: saved.state.status, actor, detail, at: saved.updatedAt })),
    evidence: (saved) => [invoiceEvidence(saved, event._tag, actor)(undefined)],
  })
  return saved
})

const staff = (id: StaffId) => ({ kind: "staff", id }) as const

const texted = (order: Order, content: SmsContent) =>
  SmsSender.use((s) => s.send({ mobile: order.application.agent.mobile, ...content })).pipe(
    Effect.catch((e) => Effect.logWarning("invoice text message not sent", { order: order.id, reason: e.reason })),
  )

/** 发票-<number>.pdf */
export const invoiceFileName = (number: string) => `发票-${number}.pdf`

/** The e-mail that carries an electronic invoice (its PDF attached) to the invoice address given on the order. */
export const invoiceMail = (order: Order, pdf: Uint8Array) => {
  const r = order.invoiceRecord
  const lines = invoiceLines(order.price, order.package.name)
  return {
    to: order.invoice.email,
    subject: `【Signet】订单 ${order.id} 的电子发票（发票号码 ${r.number ?? ""}）`,
    text: [
      "您好：", "",
      `您的订单 ${order.id} 的电子发票已开具，详见附件 PDF。`,
      `发票抬头：${order.invoice.title}`,
      ...(order.invoice.taxpayerId === null ? [] : [`纳税人识别号：${order.invoice.taxpayerId}`]),
      `发票号码：${r.number ?? ""}`,
      ...lines.map((l) => `${l.name.replace(/^\*[^*]+\*/, "")}：金额 ${yuanString(l.amountFen)} 元，税率 ${l.ratePercent}%，税额 ${yuanString(l.taxFen)} 元`),
      `价税合计：${yuanString(order.price.payableFen)} 元`, "",
      "也可登录 Signet 个人中心 → 我的订单 → 订单详情 下载。", "此邮件由系统自动发送，请勿回复。",
    ].join("\n"),
    attachments: [{ filename: invoiceFileName(r.number ?? order.id), contentType: "application/pdf", content: pdf }],
  }
}

/**
 * E-mails an issued electronic invoice and records when; a mail server that
 * refuses it leaves the invoice issued but not e-mailed (staff see 未发送 and
 * may send it again), and never undoes the issue.
 */
const emailInvoice = (order: Order, pdf: Uint8Array, actor: OrderActor) =>
  MailSender.use((m) => m.send(invoiceMail(order, pdf))).pipe(
    Effect.flatMap(() => Clock.currentTimeMillis),
    Effect.flatMap((at) => applyInvoiceEvent(order, { _tag: "InvoiceEmailed", at }, actor, { to: order.invoice.email })),
    Effect.tap((o) => texted(o, { template: "SIGNET_INVOICE_EMAILED", vars: { no: o.id } })),
    Effect.catchTag("MailNotDelivered", (e) =>
      Effect.as(Effect.logWarning("invoice e-mail not sent", { order: order.id, reason: e.reason }), order)),
  )

const documentOf = Effect.fn("orders.invoiceDocument")(function*(order: Order) {
  const sha = order.invoiceRecord.documentSha256
  if (sha === null) return yield* new NotFound({ entity: "invoice", id: order.id })
  const bytes = yield* (yield* BlobStore).get(sha)
  if (Option.isNone(bytes)) return yield* new NotFound({ entity: "invoice", id: order.id })
  return { number: order.invoiceRecord.number ?? order.id, pdf: bytes.value }
})

/**
 * 开具发票 (staff): the issuer numbers and makes the document (kept in the
 * blob store by its hash); an electronic invoice is then e-mailed with the PDF
 * attached, a paper one waits to be mailed (寄出). Refused before anything is
 * issued when the order is unpaid, closed, or already invoiced.
 */
export const issueInvoice = Effect.fn("orders.issueInvoice")(function*(staffId: StaffId, id: OrderId) {
  const order = yield* loadOrder(id)
  const now = yield* Clock.currentTimeMillis
  // The machine's refusal comes before the issuer is asked: a tax service must not number an invoice that is not recorded.
  yield* Effect.fromResult(invoiceTransition(order.invoiceRecord, contextOf(order), { _tag: "IssueInvoice", number: "-", issuer: "-", at: now, documentSha256: "-" }))
  const issuer = yield* InvoiceIssuer
  const issued = yield* issuer.issue(order, now)
  const sha = yield* (yield* BlobStore).put(issued.pdf)
  const updated = yield* applyInvoiceEvent(order, { _tag: "IssueInvoice", number: issued.number, issuer: issuer.name, at: now, documentSha256: sha }, staff(staffId), {
    number: issued.number,
  })
  return invoiceMedium(updated.invoice) === "electronic" ? yield* emailInvoice(updated, issued.pdf, staff(staffId)) : updated
})

/** 重新发送 an electronic invoice (the first mail was refused, or the buyer lost it). */
export const resendInvoice = Effect.fn("orders.resendInvoice")(function*(staffId: StaffId, id: OrderId) {
  const order = yield* loadOrder(id)
  if (invoiceMedium(order.invoice) !== "electronic" || order.invoiceRecord.status !== "issued") {
    return yield* new InvoiceTransitionRefused({ status: order.invoiceRecord.status, event: "InvoiceEmailed", why: invoiceMedium(order.invoice) === "electronic" ? "state" : "medium" })
  }
  const { pdf } = yield* documentOf(order)
  const sent = yield* emailInvoice(order, pdf, staff(staffId))
  return { order: sent, emailed: sent !== order }
})

/** 寄出 a paper invoice: carrier and tracking number recorded, the buyer told by text message and e-mail. */
export const mailInvoice = Effect.fn("orders.mailInvoice")(function*(staffId: StaffId, id: OrderId, shipment: ShipmentInput) {
  const order = yield* loadOrder(id)
  const at = yield* Clock.currentTimeMillis
  const updated = yield* applyInvoiceEvent(order, { _tag: "MailInvoice", ...shipment, at }, staff(staffId), { ...shipment })
  const vars = { no: updated.id, carrier: shipment.carrier, trackingNo: shipment.trackingNo }
  yield* texted(updated, { template: "SIGNET_INVOICE_MAILED", vars })
  yield* MailSender.use((m) =>
    m.send({
      to: updated.invoice.email,
      subject: `【Signet】订单 ${updated.id} 的纸质发票已寄出`,
      text: [
        "您好：", "", `您的订单 ${updated.id} 的纸质发票（发票号码 ${updated.invoiceRecord.number ?? ""}）已寄出。`,
        `快递公司：${shipment.carrier}`, `运单号：${shipment.trackingNo}`,
        ...(updated.invoice.mailTo === undefined ? [] : [`寄往：${updated.invoice.mailTo.recipient} ${updated.invoice.mailTo.region} ${updated.invoice.mailTo.detail}`]),
        "", "此邮件由系统自动发送，请勿回复。",
      ].join("\n"),
    })
  ).pipe(Effect.catch((e) => Effect.logWarning("invoice e-mail not sent", { order: id, reason: e.reason })))
  return updated
})

/** 作废 (红冲) the invoice of a refunded order. */
export const voidInvoice = Effect.fn("orders.voidInvoice")(function*(staffId: StaffId, id: OrderId, reason: string) {
  return yield* applyInvoiceEvent(yield* loadOrder(id), { _tag: "VoidInvoice", reason }, staff(staffId), { reason: reason.trim() })
})

/** The buyer's electronic invoice document (their own order only; a paper invoice is not downloadable). */
export const myInvoiceDocument = Effect.fn("orders.myInvoiceDocument")(function*(userId: UserId, id: OrderId) {
  const order = yield* loadOwnOrder(userId, id)
  if (invoiceMedium(order.invoice) !== "electronic" || order.invoiceRecord.status === "voided") return yield* new NotFound({ entity: "invoice", id })
  return yield* documentOf(order)
})

/** Staff: the document of any issued invoice (a paper one is printed from it). */
export const invoiceDocumentForStaff = Effect.fn("orders.staffInvoiceDocument")(function*(id: OrderId) {
  return yield* documentOf(yield* loadOrder(id))
})

/** Orders whose money is kept: the only ones invoiced. */
export const INVOICEABLE: ReadonlyArray<OrderStatus> = ["in_review", "rejected", "approved", "certificate_made", "shipped", "awaiting_pickup", "completed"]

/** Staff invoicing queues: 待开票 (paid, not issued) and 待寄出 (paper invoices issued, not mailed). */
export const INVOICE_QUEUES = {
  toIssue: { status: "pending", medium: null },
  toMail: { status: "issued", medium: "paper" },
} as const satisfies Record<string, { status: InvoiceStatus; medium: InvoiceMedium | null }>

export const invoiceQueue = Effect.fn("orders.invoiceQueue")(function*(queue: keyof typeof INVOICE_QUEUES, limit = 100) {
  const q = INVOICE_QUEUES[queue]
  return yield* (yield* OrderRepository).listForInvoicing(q.status, q.medium, INVOICEABLE, limit)
})
