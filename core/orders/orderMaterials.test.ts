import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { layerOrderRepository } from "../../adapters/sql/orders.ts"
import { anApplication, anInvoice, anOrder, aUser } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { layerNoEvidence, TEST_EPOCH } from "../../fixtures/layers.ts"
import { syntheticPng, tinyPdf } from "../../fixtures/verification/images.ts"
import { layerVerificationTest } from "../../fixtures/verification/layers.ts"
import type { StaffId, UserId } from "../kernel/Ids.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import type { UploadId } from "../verification/Upload.ts"
import { storeUpload } from "../verification/uploads.ts"
import type { Application } from "./Application.ts"
import { applyEvent } from "./applyEvent.ts"
import { layerDefaultCatalogue } from "./Catalogue.ts"
import { makeKey } from "./makeKey.ts"
import { markCertificateMade } from "./fulfilOrder.ts"
import { amendOrder, MATERIAL_KINDS, MATERIAL_SLOTS, orderMaterialForStaff, placeOrder, readOrderMaterial } from "./orderMaterials.ts"
import { myCertificates } from "./lostCertificate.ts"
import { Order } from "./Order.ts"
import { OrderRepository } from "../ports/OrderRepository.ts"
import { approveOrder, rejectOrder } from "./reviewOrder.ts"
import { KeyMakingFailed } from "./OrderErrors.ts"
import { UsbKeyIssuer } from "../ports/UsbKeyIssuer.ts"

/** An issuer that must not be reached: the checks before it decide. */
const layerNoIssuer = Layer.succeed(UsbKeyIssuer, {
  issue: () => Effect.fail(new KeyMakingFailed({ reason: "issuer reached" })),
  revoke: () => Effect.fail(new KeyMakingFailed({ reason: "issuer reached" })),
})
const layer = Layer.mergeAll(layerOrderRepository, layerDefaultCatalogue, layerNoIssuer).pipe(Layer.provideMerge(layerVerificationTest), Layer.provideMerge(layerNoEvidence))
const staff = "1300000000000000003" as StaffId

const outcome = <A, E extends { readonly _tag: string; readonly issue?: string }, R>(eff: Effect.Effect<A, E, R>) =>
  Effect.match(eff, { onFailure: (e) => (e.issue === undefined ? e._tag : `${e._tag}:${e.issue}`), onSuccess: () => "success" })

/** A buyer and an application whose every material is one of the buyer's uploads (licence and ID cards readable by the fixture OCR). */
const buyerWithMaterials = (kind: Parameters<typeof anApplication>[0] = {}) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(TEST_EPOCH)
    const user = aUser()
    yield* (yield* UserRepository).insert(user)
    const base = anApplication(kind)
    const ocr: Partial<Record<string, Record<string, string>>> = {
      licence: { name: base.enterprise?.name ?? "", creditCode: base.enterprise?.creditCode ?? "" },
      holderIdFront: { name: base.holder.name, idNumber: base.holder.idNumber },
      agentIdFront: { name: "赵七", idNumber: base.agent.idNumber },
    }
    const materials: Record<string, string | null> = {}
    for (const slot of MATERIAL_SLOTS) {
      if (base.materials[slot] === null) {
        materials[slot] = null
        continue
      }
      const bytes = MATERIAL_KINDS[slot] === "letter" ? tinyPdf() : syntheticPng(800, 500, ocr[slot])
      materials[slot] = (yield* storeUpload(user.id, MATERIAL_KINDS[slot], bytes)).id
    }
    return { user, application: { ...base, materials } as Application }
  })

const place = (userId: UserId, application: Application) =>
  placeOrder(userId, { application, delivery: { _tag: "pickup", pointId: "nj-hq" }, invoice: anInvoice() })

describe("order materials are the buyer's own uploads (O3, O4, O7)", () => {
  it.layer(layer)((it) => {
    it.effect("an order naming another user's upload, an upload of the wrong kind or a made-up id is refused and not created", () =>
      Effect.gen(function*() {
        const a = yield* buyerWithMaterials()
        const b = yield* buyerWithMaterials()
        const foreign = { ...b.application, materials: { ...b.application.materials, holderIdBack: a.application.materials.holderIdBack } }
        expect(yield* outcome(place(b.user.id, foreign))).toBe("InvalidApplication:material.holderIdBack")
        const wrongKind = { ...b.application, materials: { ...b.application.materials, licence: b.application.materials.applicationForm } }
        expect(yield* outcome(place(b.user.id, wrongKind))).toBe("InvalidApplication:material.licence")
        const madeUp = { ...b.application, materials: { ...b.application.materials, serviceAgreement: "1999999999999999999" } }
        expect(yield* outcome(place(b.user.id, madeUp))).toBe("InvalidApplication:material.serviceAgreement")
        expect(yield* (yield* OrderRepository).listByUser(b.user.id, ["pending_payment"])).toEqual([])
        expect(yield* outcome(place(b.user.id, b.application))).toBe("success")
      }))

    it.effect("staff see only files the order names; OCR is shown next to what was typed", () =>
      Effect.gen(function*() {
        const a = yield* buyerWithMaterials()
        const b = yield* buyerWithMaterials()
        const order = yield* place(a.user.id, a.application)
        const licence = a.application.materials.licence! as UploadId
        expect((yield* orderMaterialForStaff(order.id, licence)).upload.id).toBe(licence)
        expect(yield* outcome(orderMaterialForStaff(order.id, b.application.materials.licence! as UploadId))).toBe("NotFound")
        expect(yield* readOrderMaterial(order.id, "licence")).toEqual([
          { label: "name", typed: a.application.enterprise!.name, read: a.application.enterprise!.name, confidence: 0.99 },
          { label: "number", typed: a.application.enterprise!.creditCode, read: a.application.enterprise!.creditCode, confidence: 0.99 },
        ])
        // The agent's photo says 赵七, the application 赵六: the reviewer sees both.
        const agent = yield* readOrderMaterial(order.id, "agentIdFront")
        expect(agent[0]).toMatchObject({ typed: "赵六", read: "赵七" })
      }))

    it.effect("修改订单 with another user's file is refused; the order stays rejected", () =>
      Effect.gen(function*() {
        const a = yield* buyerWithMaterials({ applicant: "personal" })
        const b = yield* buyerWithMaterials({ applicant: "personal" })
        const order = yield* place(a.user.id, a.application)
        yield* applyEvent(order, { _tag: "Pay", tradeNo: `T${order.id}`, amountFen: order.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })
        yield* rejectOrder(staff, order.id, ["身份证反面不清晰"])
        const { business, applicant, packageId, quantity, ...details } = a.application
        void business, applicant, packageId, quantity
        const stolen = { ...details, materials: { ...details.materials, holderIdBack: b.application.materials.holderIdBack } }
        expect(yield* outcome(amendOrder(a.user.id, order.id, stolen))).toBe("InvalidApplication:material.holderIdBack")
        expect(Option.getOrThrow(yield* (yield* OrderRepository).find(order.id)).state.status).toBe("rejected")
        expect((yield* amendOrder(a.user.id, order.id, details)).state.status).toBe("in_review")
      }))

    it.effect("补办: an unknown serial and another holder's certificate are refused at submission; the holder's own passes and reaches the issuer", () =>
      Effect.gen(function*() {
        const first = yield* buyerWithMaterials({ applicant: "personal" })
        const issued = yield* place(first.user.id, first.application)
        yield* applyEvent(issued, { _tag: "Pay", tradeNo: `T${issued.id}`, amountFen: issued.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })
        yield* approveOrder(staff, issued.id)
        yield* markCertificateMade(staff, issued.id, "c0ffee01")
        expect((yield* myCertificates(first.user.id)).map((c) => [c.serial, c.orderId])).toEqual([["c0ffee01", issued.id]])
        const other = yield* buyerWithMaterials({ business: "reissue", applicant: "personal" })
        expect(yield* myCertificates(other.user.id)).toEqual([])
        const claim = { ...other.application, holder: { ...other.application.holder, idNumber: other.application.agent.idNumber }, lostCertificateSerial: "C0FFEE01" }
        expect(yield* outcome(place(other.user.id, claim))).toBe("LostCertificateMismatch")
        expect(yield* outcome(place(other.user.id, { ...claim, lostCertificateSerial: "dead01" }))).toBe("LostCertificateUnknown")
        expect((yield* (yield* OrderRepository).listByUser(other.user.id, ["pending_payment"])).length).toBe(0)
        // The same holder's reissue passes the check and reaches the issuer.
        const own = yield* place(first.user.id, { ...first.application, business: "reissue", lostCertificateSerial: "c0ffee01" })
        yield* applyEvent(own, { _tag: "Pay", tradeNo: `T${own.id}`, amountFen: own.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })
        yield* approveOrder(staff, own.id)
        expect(yield* Effect.match(makeKey(staff, own.id), { onFailure: (e) => e._tag === "KeyMakingFailed" ? e.reason : e._tag, onSuccess: () => "success" })).toBe("issuer reached")
      }))

    it.effect("补办: review cannot approve an order whose certificate check fails (one stored before the check existed); it can reject it", () =>
      Effect.gen(function*() {
        const first = yield* buyerWithMaterials({ applicant: "personal" })
        const issued = yield* place(first.user.id, first.application)
        yield* applyEvent(issued, { _tag: "Pay", tradeNo: `T${issued.id}`, amountFen: issued.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })
        yield* approveOrder(staff, issued.id)
        yield* markCertificateMade(staff, issued.id, "beef02")
        const other = yield* buyerWithMaterials({ business: "reissue", applicant: "personal" })
        const repo = yield* OrderRepository
        for (const [serial, refusal] of [["beef02", "LostCertificateMismatch"], ["0badbad0", "LostCertificateUnknown"]] as const) {
          const legacy = anOrder(other.user.id, TEST_EPOCH)
          const application = { ...other.application, holder: { ...other.application.holder, idNumber: other.application.agent.idNumber }, lostCertificateSerial: serial }
          yield* repo.insert(new Order({ ...legacy, application }))
          const paid = yield* applyEvent(Option.getOrThrow(yield* repo.find(legacy.id)), { _tag: "Pay", tradeNo: `T${legacy.id}`, amountFen: legacy.price.payableFen, at: TEST_EPOCH }, { kind: "payment", id: "test" })
          expect(yield* outcome(approveOrder(staff, paid.id))).toBe(refusal)
          expect(Option.getOrThrow(yield* repo.find(paid.id)).state.status).toBe("in_review")
          expect((yield* rejectOrder(staff, paid.id, ["原证书不属于申请人"])).state.status).toBe("rejected")
        }
      }))
  })
})
