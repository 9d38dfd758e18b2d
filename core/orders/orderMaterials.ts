import { Effect, Option, Schema } from "effect"
import { NotFound } from "../kernel/errors.ts"
import type { UserId } from "../kernel/Ids.ts"
import { Ocr } from "../ports/Ocr.ts"
import { UploadRepository } from "../ports/VerificationRepository.ts"
import { UploadId, type UploadKind } from "../verification/Upload.ts"
import { ownUpload, uploadContent } from "../verification/uploads.ts"
import type { ApplicationDetails, Materials } from "./Application.ts"
import { loadOrder } from "./applyEvent.ts"
import { createOrder, type CreateOrderInput } from "./createOrder.ts"
import type { Order, OrderId } from "./Order.ts"
import { InvalidApplication } from "./OrderErrors.ts"
import { resubmitOrder } from "./resubmitOrder.ts"

export type MaterialSlot = keyof Materials

/**
 * What each material must be, as the upload checks know it: photos of the
 * licence and ID cards are jpeg/png; the three signed and stamped documents
 * may also be scanned PDFs.
 */
export const MATERIAL_KINDS: Record<MaterialSlot, UploadKind> = {
  licence: "licence",
  holderIdFront: "id-photo",
  holderIdBack: "id-photo",
  agentIdFront: "id-photo",
  agentIdBack: "id-photo",
  applicationForm: "letter",
  authorizationLetter: "letter",
  serviceAgreement: "letter",
}
export const MATERIAL_SLOTS = Object.keys(MATERIAL_KINDS) as ReadonlyArray<MaterialSlot>

/**
 * Every material must be a file the buyer uploaded, for that purpose: an
 * order can never point at someone else's ID card. A missing or foreign
 * reference is an InvalidApplication keyed `material.<slot>`.
 */
export const checkMaterials = Effect.fn("orders.checkMaterials")(function*(userId: UserId, materials: Materials) {
  for (const slot of MATERIAL_SLOTS) {
    const ref = materials[slot]
    if (ref === null) continue
    const id = Schema.decodeUnknownOption(UploadId)(ref)
    const owned = Option.isNone(id) ? Option.none() : yield* Effect.option(ownUpload(userId, id.value, MATERIAL_KINDS[slot]))
    if (Option.isNone(owned)) return yield* new InvalidApplication({ issue: `material.${slot}` })
  }
})

/** O5 提交订单 from the portal: the materials are the buyer's own uploads, then the server prices and creates the order. */
export const placeOrder = Effect.fn("orders.place")(function*(userId: UserId, input: CreateOrderInput) {
  yield* checkMaterials(userId, input.application.materials)
  return yield* createOrder(userId, input)
})

/** O7 修改订单 from the portal: the same ownership rule for the edited materials, then resubmission. */
export const amendOrder = Effect.fn("orders.amend")(function*(userId: UserId, id: OrderId, details: ApplicationDetails) {
  yield* checkMaterials(userId, details.materials)
  return yield* resubmitOrder(userId, id, details)
})

const slotOf = (order: Order, uploadId: string): MaterialSlot | undefined =>
  MATERIAL_SLOTS.find((s) => order.application.materials[s] === uploadId)

/** X2: a material of an order, for staff; only files the order names, and only the buyer's own. */
export const orderMaterialForStaff = Effect.fn("orders.materialForStaff")(function*(orderId: OrderId, uploadId: UploadId) {
  const order = yield* loadOrder(orderId)
  const found = slotOf(order, uploadId) === undefined ? Option.none() : yield* (yield* UploadRepository).find(uploadId)
  if (Option.isNone(found) || found.value.ownerId !== order.userId) return yield* new NotFound({ entity: "upload", id: uploadId })
  return yield* uploadContent(found.value)
})

/** The photos OCR reads, and which typed fields each should agree with. */
export const OCR_SLOTS = ["licence", "holderIdFront", "agentIdFront"] as const
export type OcrSlot = (typeof OCR_SLOTS)[number]

export interface FieldReading {
  readonly label: "name" | "number"
  /** What the buyer typed (and the certificate will carry). */
  readonly typed: string
  /** What OCR read from the photo, null when it read nothing. */
  readonly read: string | null
  readonly confidence: number | null
}

/**
 * O7 review aid: OCR of a material photo next to what the buyer typed, so a
 * reviewer sees at once whether the licence and ID cards say what the
 * application says. Advisory only: an unreadable photo reads as nothing.
 */
export const readOrderMaterial = Effect.fn("orders.readMaterial")(function*(orderId: OrderId, slot: OcrSlot) {
  const order = yield* loadOrder(orderId)
  const a = order.application
  const ref = a.materials[slot]
  const id = ref === null ? Option.none() : Schema.decodeUnknownOption(UploadId)(ref)
  if (Option.isNone(id)) return yield* new NotFound({ entity: "upload", id: String(ref) })
  const { bytes } = yield* orderMaterialForStaff(orderId, id.value)
  const ocr = yield* Ocr
  const f = (x: { value: string; confidence: number } | null, typed: string, label: FieldReading["label"]): FieldReading =>
    ({ label, typed, read: x?.value ?? null, confidence: x?.confidence ?? null })
  if (slot === "licence") {
    const r = yield* ocr.readLicence(bytes).pipe(Effect.orElseSucceed(() => ({ name: null, creditCode: null })))
    return [f(r.name, a.enterprise?.name ?? "", "name"), f(r.creditCode, a.enterprise?.creditCode ?? "", "number")]
  }
  const person = slot === "holderIdFront" ? a.holder : a.agent
  const r = yield* ocr.readIdCard(bytes).pipe(Effect.orElseSucceed(() => ({ name: null, idNumber: null })))
  return [f(r.name, person.name, "name"), f(r.idNumber, person.idNumber, "number")]
})
