import { Effect, Schema } from "effect"
import { addAddress, listAddresses } from "../accounts/addressBook.ts"
import { AddressInput } from "../accounts/User.ts"
import { creditCodeCheckChar } from "../kernel/CreditCode.ts"
import { residentIdCheckChar } from "../verification/ResidentIdNumber.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import { Application, type Materials } from "./Application.ts"
import { createOrder } from "./createOrder.ts"
import { completeShippedOrder, confirmPickup, markCertificateMade, notifyPickup, shipOrder } from "./fulfilOrder.ts"
import { Invoice } from "./Invoice.ts"
import type { Order } from "./Order.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import { OrderStatus } from "./OrderState.ts"
import { recordPayment } from "./payOrder.ts"
import { cancelOrder } from "./cancelOrder.ts"
import { refundOrder } from "./refundOrder.ts"
import { approveOrder, rejectOrder } from "./reviewOrder.ts"

/** Valid-looking demo identities (check characters computed, not real people or companies). */
const withCheck = (first17: string, check: (s: string) => string) => first17 + check(first17)
export const DEMO_APPLICANT = {
  enterprise: { name: "南京演示科技有限公司", creditCode: withCheck("91320100MA1DEMX00", creditCodeCheckChar) },
  holder: { name: "张演示", idNumber: withCheck("32010519800101123", residentIdCheckChar) },
  agent: { name: "李经办", idNumber: withCheck("32010619900202234", residentIdCheckChar), mobile: "13800000002", email: "agent@demo.signet.cn" },
}

/** Placeholder references; the dev seed passes real uploads (apps/platform/seedOrders.ts). */
const placeholderMaterials = (enterprise: boolean): Materials => ({
  licence: enterprise ? "1000000000000000101" : null,
  holderIdFront: "1000000000000000102",
  holderIdBack: "1000000000000000103",
  agentIdFront: "1000000000000000104",
  agentIdBack: "1000000000000000105",
  applicationForm: "1000000000000000106",
  authorizationLetter: "1000000000000000107",
  serviceAgreement: "1000000000000000108",
})

export interface DemoMaterials {
  readonly enterprise: Materials
  readonly personal: Materials
}

const application = (business: "new" | "reissue", applicant: "enterprise" | "personal", packageId: string, materials: DemoMaterials, lost: string | null) =>
  Schema.decodeUnknownEffect(Application)({
    business, applicant, packageId, quantity: 1,
    userType: applicant === "enterprise" ? "企业法人" : "自然人",
    enterprise: applicant === "enterprise" ? DEMO_APPLICANT.enterprise : null,
    holder: DEMO_APPLICANT.holder,
    agent: DEMO_APPLICANT.agent,
    lostCertificateSerial: lost,
    materials: materials[applicant],
  })

const invoice = Schema.decodeUnknownEffect(Invoice)({ kind: "enterprise", title: DEMO_APPLICANT.enterprise.name, taxpayerId: DEMO_APPLICANT.enterprise.creditCode, email: "invoice@demo.signet.cn" })

/** Places demo orders of `userId` (the demo address book's first address for express). */
const demoOrderMaker = Effect.fn("orders.demoMaker")(function*(userId: UserId, materials: DemoMaterials) {
  const existing = yield* listAddresses(userId)
  const address = existing[0] ?? (yield* addAddress(userId, yield* Schema.decodeUnknownEffect(AddressInput)({
    recipient: DEMO_APPLICANT.agent.name, mobile: DEMO_APPLICANT.agent.mobile, region: "江苏省 南京市 建邺区", detail: "江东中路 100 号 演示大厦 8 楼", isDefault: true,
  })))
  const inv = yield* invoice
  // A reissue names `lost` (a certificate the platform made for the same holder); `paperInvoice` mails the invoice to the address.
  return (business: "new" | "reissue", applicant: "enterprise" | "personal", packageId: string, express: boolean, lost: string | null = null, paperInvoice = false) =>
    Effect.flatMap(application(business, applicant, packageId, materials, lost), (app) =>
      createOrder(userId, {
        application: app,
        delivery: express ? { _tag: "express", addressId: address.id } : { _tag: "pickup", pointId: "nj-hq" },
        invoice: paperInvoice ? { ...inv, medium: "paper" } : inv,
        ...(paperInvoice ? { invoiceAddressId: address.id } : {}),
      }))
})

/**
 * Dev demo of the money paths (issue 18), paid through the configured
 * gateway by `payAtProvider` (the dev seed pays at the mock provider, so the
 * refunds are real ones of its trades): an approved order refunded in part
 * (已退款), and an order paid after it was cancelled whose automatic refund the
 * provider refused (`whileRefusing` runs the late payment with refunds
 * refused), so it waits in the staff queue 待退款.
 */
export const seedDemoRefunds = <E, R>(
  userId: UserId,
  staffId: StaffId,
  materials: DemoMaterials,
  payAtProvider: (o: Order) => Effect.Effect<void, E, R>,
  whileRefusing: (eff: Effect.Effect<void, E, R>) => Effect.Effect<void, E, R>,
) => Effect.gen(function*() {
  const order = yield* demoOrderMaker(userId, materials)
  const refunded = yield* order("new", "personal", "main-2y", false)
  yield* payAtProvider(refunded)
  yield* approveOrder(staffId, refunded.id)
  yield* refundOrder(staffId, refunded.id, { amountFen: refunded.price.payableFen - 5_000, reason: "证书签发暂停，无法制证（演示，保留服务费 50 元）" })
  const late = yield* order("new", "enterprise", "main-1y", false)
  yield* cancelOrder(userId, late.id)
  yield* whileRefusing(payAtProvider(late))
  return [refunded.id, late.id]
}).pipe(Effect.withSpan("orders.seedDemoRefunds"))

/**
 * Dev profile demo data (`npm start`): one order of `userId` in every tab of
 * 我的订单, made through the real use cases (the completed express order wants a paper invoice, the
 * others an electronic one; apps/platform/seedOrders.ts issues two of them). Does nothing if the user already
 * has orders, so running it on every start is harmless.
 */
export const seedDemoOrders = Effect.fn("orders.seedDemo")(function*(
  userId: UserId,
  staffId: StaffId,
  materials: DemoMaterials = { enterprise: placeholderMaterials(true), personal: placeholderMaterials(false) },
) {
  const repo = yield* OrderRepository
  if ((yield* repo.listByUser(userId, OrderStatus.literals)).length > 0) return []
  const order = yield* demoOrderMaker(userId, materials)
  const paid = (o: Order) => recordPayment("demo", { outTradeNo: o.id, tradeNo: `DEMO${o.id}`, amountFen: o.price.payableFen, status: "paid" })

  // Keys first: a reissue (补办) names a certificate the platform made for the same holder.
  const shipped = yield* order("new", "enterprise", "main-1y", true)
  yield* paid(shipped)
  yield* approveOrder(staffId, shipped.id)
  yield* markCertificateMade(staffId, shipped.id, "0de30001")
  yield* shipOrder(staffId, shipped.id, { carrier: "顺丰速运", trackingNo: "SF1400000000001" })
  const delivered = yield* order("new", "personal", "secondary-1y", true, null, true)
  yield* paid(delivered)
  yield* approveOrder(staffId, delivered.id)
  yield* markCertificateMade(staffId, delivered.id, "0de30003")
  yield* shipOrder(staffId, delivered.id, { carrier: "中国邮政 EMS", trackingNo: "EMS1400000000002" })
  yield* completeShippedOrder(staffId, delivered.id)
  const unpaid = yield* order("new", "enterprise", "main-3y", true)
  const inReview = yield* order("reissue", "personal", "main-1y", false, "0de30003")
  yield* paid(inReview)
  const rejected = yield* order("new", "enterprise", "secondary-2y", true)
  yield* paid(rejected)
  yield* rejectOrder(staffId, rejected.id, ["《授权委托及诚信承诺书》未加盖公章", "法定代表人身份证反面照片不清晰"])
  const processing = yield* order("new", "personal", "main-2y", true)
  yield* paid(processing)
  yield* approveOrder(staffId, processing.id)
  const pickedUp = yield* order("reissue", "enterprise", "secondary-1y", false, "0de30001")
  yield* paid(pickedUp)
  yield* approveOrder(staffId, pickedUp.id)
  yield* markCertificateMade(staffId, pickedUp.id, "0de30002")
  yield* notifyPickup(staffId, pickedUp.id)
  yield* confirmPickup(staffId, pickedUp.id)
  return [unpaid.id, inReview.id, rejected.id, processing.id, shipped.id, pickedUp.id, delivered.id]
})
