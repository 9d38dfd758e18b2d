import { Effect, Option } from "effect"
import type { Materials } from "../../core/orders/Application.ts"
import { DEMO_APPLICANT, seedDemoOrders, seedDemoRefunds } from "../../core/orders/demoOrders.ts"
import type { Order } from "../../core/orders/Order.ts"
import { handlePaymentNotification } from "../../core/orders/payOrder.ts"
import { PaymentCallbacks, PaymentGateway } from "../../core/ports/PaymentGateway.ts"
import { MockCheckout } from "../../adapters/payment-mock/index.ts"
import { issueInvoice, mailInvoice } from "../../core/orders/invoicing.ts"
import { OrderStatus } from "../../core/orders/OrderState.ts"
import { OrderRepository } from "../../core/ports/OrderRepository.ts"
import { samplePdf } from "../../core/orders/samplePdfs.ts"
import { StaffRepository, UserRepository } from "../../core/ports/UserRepository.ts"
import type { UploadKind } from "../../core/verification/Upload.ts"
import { storeUpload } from "../../core/verification/uploads.ts"
import { syntheticPng } from "../../fixtures/verification/images.ts"

/**
 * Demo orders of the dev profile: 张三 (13800000001) has an order in every tab
 * of 我的订单 (one rejected with reasons, one shipped, one picked up...), made
 * through the real use cases by the demo reviewer. The materials are real
 * uploads: synthetic licence and ID photos the dev OCR reads, and the
 * project's own sample PDFs standing in for the stamped documents, so the
 * admin review shows files and OCR results. With the mock payment provider,
 * an order refunded in part and a late payment waiting in 待退款 too. Two orders are invoiced: one electronic invoice
 * e-mailed, one paper invoice mailed with its tracking number.
 */
export const seedOrders = Effect.gen(function*() {
  const zhang = yield* UserRepository.use((r) => r.findByMobile("13800000001"))
  const reviewer = yield* StaffRepository.use((r) => r.findByUsername("reviewer"))
  if (Option.isNone(zhang) || Option.isNone(reviewer)) return
  if ((yield* OrderRepository.use((r) => r.listByUser(zhang.value.id, OrderStatus.literals))).length > 0) return
  const put = (kind: UploadKind, bytes: Uint8Array) => Effect.map(storeUpload(zhang.value.id, kind, bytes), (u) => u.id)
  const d = DEMO_APPLICANT
  const idPhoto = (p: { name: string; idNumber: string }) => put("id-photo", syntheticPng(856, 540, { name: p.name, idNumber: p.idNumber }))
  const common = {
    holderIdFront: yield* idPhoto(d.holder),
    holderIdBack: yield* put("id-photo", syntheticPng(856, 540)),
    agentIdFront: yield* idPhoto(d.agent),
    agentIdBack: yield* put("id-photo", syntheticPng(856, 540)),
    applicationForm: yield* put("letter", yield* samplePdf("applicationForm")),
    authorizationLetter: yield* put("letter", yield* samplePdf("authorizationLetter")),
    serviceAgreement: yield* put("letter", yield* samplePdf("serviceAgreement")),
  }
  const licence = yield* put("licence", syntheticPng(1200, 850, { name: d.enterprise.name, creditCode: d.enterprise.creditCode }))
  const enterprise: Materials = { ...common, licence }
  const personal: Materials = { ...common, licence: null }
  const ids = yield* seedDemoOrders(zhang.value.id, reviewer.value.id, { enterprise, personal })
  // Invoices: the picked-up reissue's electronic invoice issued and e-mailed (dev mail outbox), the completed
  // express order's paper invoice issued and mailed with a tracking number; the rest wait in 待开票.
  const [pickedUp, delivered] = [ids[5], ids[6]]
  if (pickedUp !== undefined) yield* issueInvoice(reviewer.value.id, pickedUp)
  if (delivered !== undefined) {
    yield* issueInvoice(reviewer.value.id, delivered)
    yield* mailInvoice(reviewer.value.id, delivered, { carrier: "顺丰速运", trackingNo: "SF1400000000088" })
  }
  // The money paths need real trades at the provider: only with the mock one (dev without Alipay).
  const provider = (yield* MockCheckout).provider
  if (provider === null) return
  const payAtMock = (o: Order) =>
    Effect.gen(function*() {
      yield* (yield* PaymentGateway).createPayment({
        outTradeNo: o.id, amountFen: o.price.payableFen, subject: `电子签章（含数字证书）${o.package.name}`,
        returnUrl: "/orders/pay/return", notifyUrl: (yield* PaymentCallbacks).notifyUrl,
      })
      const params = yield* Effect.promise(() => provider.pay(o.id, "cfca", "招商银行", async () => {}))
      if (params !== null) yield* handlePaymentNotification(params)
    })
  const whileRefusing = <E, R>(eff: Effect.Effect<void, E, R>) =>
    Effect.acquireUseRelease(Effect.sync(() => { provider.control.refuseRefunds = true }), () => eff, () => Effect.sync(() => { provider.control.refuseRefunds = false }))
  yield* seedDemoRefunds(zhang.value.id, reviewer.value.id, { enterprise, personal }, payAtMock, whileRefusing)
})
