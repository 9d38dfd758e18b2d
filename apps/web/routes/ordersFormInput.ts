/**
 * The order forms as the order schemas' input, and back: the posted fields to
 * the nested Application / CreateOrderInput shapes, each schema problem shown
 * next to the form field it belongs to (zh-CN), an application back as values.
 */
import { Schema } from "effect"
import type { Application } from "../../../core/orders/Application.ts"
import { MATERIAL_SLOTS, type MaterialSlot } from "../../../core/orders/orderMaterials.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { Values } from "../../platform/views/form.tsx"
import { slotText } from "../views/ordersText.tsx"
import { translateOrder } from "./ordersErrors.ts"

export type Body = Record<string, unknown>

const AGENT_FIELDS: Record<string, string> = { name: "agentName", idNumber: "agentIdNumber", mobile: "agentMobile", email: "agentEmail" }
const INVOICE_FIELDS: Record<string, string> = { kind: "invoiceKind", title: "invoiceTitle", taxpayerId: "taxpayerId", email: "invoiceEmail", medium: "invoiceMedium" }

/** The form field a nested schema issue belongs next to. */
const fieldOfPath = (path: ReadonlyArray<unknown>): string => {
  const [a, b] = path.map(String)
  switch (a) {
    case "enterprise": return b === "creditCode" ? "creditCode" : "enterpriseName"
    case "holder": return b === "idNumber" ? "holderIdNumber" : "holderName"
    case "agent": return AGENT_FIELDS[b ?? ""] ?? "agentName"
    case "materials": return b ?? "_form"
    case "invoice": return INVOICE_FIELDS[b ?? ""] ?? "invoiceTitle"
    case "delivery": return b === "addressId" || b === "pointId" ? b : "delivery"
    case "application": return "_form"
    default: return a ?? "_form"
  }
}

/** decodeForm for the nested order schemas: every problem keyed by its form field, as a zh-CN message. */
export const decodeNested = <S extends Schema.Decoder<unknown>>(schema: S, input: unknown): { ok: true; value: S["Type"] } | { ok: false; errors: Record<string, string> } => {
  const decoded = decodeForm(schema, input, fieldOfPath)
  if (decoded.ok) return decoded
  const errors = translateOrder(decoded.errors)
  for (const slot of MATERIAL_SLOTS) if (errors[slot] !== undefined) errors[slot] = `请上传${slotText(slot, "enterprise").replace(/^法定代表人/, "")}`
  return { ok: false, errors }
}

export const text = (body: Body, k: string) => (typeof body[k] === "string" ? (body[k] as string).trim() : "")
export const upper = (body: Body, k: string) => text(body, k).toUpperCase()

/** The posted form as the Application schema's input (materials from the uploads made). */
export const applicationInput = (body: Body, kind: { business: string; applicant: string; packageId: string }, materials: Partial<Record<MaterialSlot, string>>) => ({
  ...kind,
  quantity: 1,
  userType: text(body, "userType"),
  enterprise: kind.applicant === "enterprise" ? { name: text(body, "enterpriseName"), creditCode: upper(body, "creditCode") } : null,
  holder: { name: text(body, "holderName"), idNumber: upper(body, "holderIdNumber") },
  agent: { name: text(body, "agentName"), idNumber: upper(body, "agentIdNumber"), mobile: text(body, "agentMobile"), email: text(body, "agentEmail") },
  // A certificate picked from 我的证书 wins over a typed serial.
  lostCertificateSerial: kind.business === "reissue" ? (text(body, "lostCertificatePick") || text(body, "lostCertificateSerial")).toLowerCase() : null,
  materials: Object.fromEntries(MATERIAL_SLOTS.map((s) => [s, s === "licence" && kind.applicant !== "enterprise" ? null : materials[s]])),
})

/** An application back as form values (修改订单, 返回修改). */
export const valuesOf = (a: Application): Values => ({
  packageId: a.packageId, userType: a.userType, enterpriseName: a.enterprise?.name, creditCode: a.enterprise?.creditCode,
  holderName: a.holder.name, holderIdNumber: a.holder.idNumber, agentName: a.agent.name, agentIdNumber: a.agent.idNumber,
  agentMobile: a.agent.mobile, agentEmail: a.agent.email, lostCertificateSerial: a.lostCertificateSerial ?? undefined,
})
