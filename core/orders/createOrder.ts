import { Clock, Effect, Option, Schema } from "effect"
import { withEvidence } from "../evidence/EvidenceRecorder.ts"
import { NotFound } from "../kernel/errors.ts"
import { AddressId, type UserId } from "../kernel/Ids.ts"
import { AddressRepository } from "../ports/AddressRepository.ts"
import { IdGenerator } from "../ports/IdGenerator.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import { Application } from "./Application.ts"
import { OrderCatalogue } from "../ports/OrderCatalogue.ts"
import { Invoice, invoiceMedium, type InvoiceMailing } from "./Invoice.ts"
import { type Delivery, Order, OrderHistoryEntry, type OrderId } from "./Order.ts"
import { UnknownPackage, UnknownPickupPoint } from "./OrderErrors.ts"
import { orderEvidence } from "./orderEvidence.ts"
import { sendOrderNotice } from "./orderNotices.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import { INITIAL_INVOICE } from "./invoiceMachine.ts"
import { checkLostCertificate } from "./lostCertificate.ts"
import { initialOrderState } from "./OrderState.ts"
import { priceBreakdown } from "./pricing.ts"

/**
 * What the confirm page (O5) posts. There is deliberately no price in it:
 * whatever amount a browser sends is dropped when this schema decodes the form.
 */
/** The confirm form's one-time submission token (random, made when the page is shown): 提交订单 happens once per form. */
export const SubmissionToken = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_-]{16,64}$/, { message: "submission.invalid" })))

export const CreateOrderInput = Schema.Struct({
  application: Application,
  delivery: Schema.Union([
    Schema.TaggedStruct("express", { addressId: AddressId }),
    Schema.TaggedStruct("pickup", { pointId: Schema.String }),
  ]),
  invoice: Invoice,
  /** 纸质发票: the address-book entry it is mailed to (copied into the order). */
  invoiceAddressId: Schema.optional(AddressId),
  submission: Schema.optional(SubmissionToken),
}).check(Schema.makeFilter((i: { invoice: Invoice; invoiceAddressId?: AddressId | undefined }) =>
  invoiceMedium(i.invoice) === "paper" && i.invoiceAddressId === undefined ? { path: ["invoiceAddressId"], issue: "invoiceAddress.required" } : undefined
))
export type CreateOrderInput = typeof CreateOrderInput.Type

const resolveDelivery = Effect.fn("orders.resolveDelivery")(function*(userId: UserId, choice: CreateOrderInput["delivery"]) {
  if (choice._tag === "pickup") {
    const point = (yield* OrderCatalogue).pickupPoints.find((p) => p.id === choice.pointId)
    if (point === undefined) return yield* new UnknownPickupPoint({ pointId: choice.pointId })
    const { id: pointId, name, address, phone, hours } = point
    return { _tag: "pickup", pointId, name, address, phone, hours } satisfies Delivery
  }
  const found = yield* (yield* AddressRepository).find(choice.addressId)
  // Someone else's address is as good as none.
  if (Option.isNone(found) || found.value.userId !== userId) return yield* new NotFound({ entity: "address", id: choice.addressId })
  const { recipient, mobile, region, detail } = found.value
  return { _tag: "express", addressId: choice.addressId, recipient, mobile, region, detail } satisfies Delivery
})

/** A paper invoice is mailed to one of the user's own addresses, copied now; an electronic one carries no address. */
const resolveInvoice = Effect.fn("orders.resolveInvoice")(function*(userId: UserId, input: CreateOrderInput) {
  const { mailTo: _ignored, ...invoice } = input.invoice
  if (invoiceMedium(invoice) !== "paper" || input.invoiceAddressId === undefined) return { ...invoice, medium: invoiceMedium(invoice) } satisfies Invoice
  const found = yield* (yield* AddressRepository).find(input.invoiceAddressId)
  if (Option.isNone(found) || found.value.userId !== userId) return yield* new NotFound({ entity: "address", id: input.invoiceAddressId })
  const { recipient, mobile, region, detail } = found.value
  return { ...invoice, medium: "paper", mailTo: { recipient, mobile, region, detail } satisfies InvoiceMailing } satisfies Invoice
})

/** O5 confirm order: prices the application on the server and creates an unpaid order (待支付). */
export const createOrder = Effect.fn("orders.create")(function*(userId: UserId, input: CreateOrderInput) {
  const catalogue = yield* OrderCatalogue
  const { application } = input
  const pkg = catalogue.packages.find((p) => p.id === application.packageId)
  if (pkg === undefined) return yield* new UnknownPackage({ packageId: application.packageId })
  yield* checkLostCertificate(application)
  const delivery = yield* resolveDelivery(userId, input.delivery)
  const invoice = yield* resolveInvoice(userId, input)
  const price = priceBreakdown(catalogue.rules, {
    pkg,
    quantity: application.quantity,
    business: application.business,
    delivery: delivery._tag,
  })
  const now = yield* Clock.currentTimeMillis
  const id = (yield* (yield* IdGenerator).next) as string as OrderId
  const order = new Order({
    id, userId, application, package: pkg, delivery, invoice, price,
    state: initialOrderState(delivery._tag, price.payableFen), invoiceRecord: INITIAL_INVOICE, certificateDer: null,
    version: 1, createdAt: now, updatedAt: now,
  })
  const repo = yield* OrderRepository
  const actor = { kind: "user", id: userId } as const
  const insert = withEvidence(Effect.all([
    repo.insert(order),
    repo.appendHistory(new OrderHistoryEntry({
      orderId: id, seq: 1, event: "Create", status: order.state.status, actor,
      detail: { payableFen: String(price.payableFen) }, at: now,
    })),
  ]), orderEvidence(order, "Create", actor, {}))
  // The token is claimed in the order's own transaction: a resubmitted form finds the order its first submission
  // made (a concurrent twin waits for that transaction on the token's key), and a failed insert frees the token.
  const earlier = yield* (yield* UnitOfWork).transact(Effect.gen(function*() {
    const holder = input.submission === undefined ? id : yield* repo.claimSubmission(userId, input.submission, id, now)
    if (holder !== id) return yield* repo.find(holder)
    yield* insert
    return Option.none<Order>()
  }))
  if (Option.isSome(earlier)) return earlier.value
  yield* sendOrderNotice(order, "Create")
  return order
})
