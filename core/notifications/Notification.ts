/**
 * 提醒: the notification centre in the portal's header (the manual's "个人账户
 * … 提醒 退出"). Every notice texted to a mobile number is also kept here, in
 * the words of its SMS template, so what the phone got and what the portal
 * shows never differ; a one-time code is never kept (it is no notice).
 */
import { Schema } from "effect"
import { Millis } from "../kernel/Millis.ts"
import { NumericId } from "../kernel/Ids.ts"
import { renderSms, type SmsContent, type SmsTemplateId } from "../ports/SmsTemplates.ts"

export class Notification extends Schema.Class<Notification>("Notification")({
  id: NumericId,
  /** The number texted: a user sees what was sent to their mobile, also before they registered (an invitation to sign). */
  mobile: Schema.String,
  template: Schema.String,
  text: Schema.String,
  /** Where the notice leads in the portal (the contract, the invitations, the order), if anywhere. */
  link: Schema.NullOr(Schema.String),
  createdAt: Millis,
  readAt: Schema.NullOr(Millis),
}) {}

/** The notice's words: the SMS text without the sign (【Signet】) a gateway needs. */
export const noticeText = (content: SmsContent): string => renderSms(content).replace(/^【[^】]*】/u, "")

const CONTRACT_TEMPLATES: ReadonlySet<SmsTemplateId> = new Set([
  "SIGNET_CONTRACT_SENT", "SIGNET_CONTRACT_REMIND", "SIGNET_CONTRACT_TURN", "SIGNET_CONTRACT_COMPLETED",
  "SIGNET_CONTRACT_REJECTED", "SIGNET_CONTRACT_REVOKED", "SIGNET_CONTRACT_EXPIRED",
])

const DIGITS = /^[1-9][0-9]{0,18}$/

/** The portal page a notice leads to, from its template and variables (numbers only, so a variable never makes a link elsewhere). */
export const noticeLink = (content: SmsContent): string | null => {
  const t = content.template
  if (CONTRACT_TEMPLATES.has(t)) return DIGITS.test(content.vars.id ?? "") ? `/contracts/${content.vars.id}` : null
  if (t.startsWith("SIGNET_ORDER_")) return DIGITS.test(content.vars.no ?? "") ? `/orders/${content.vars.no}` : "/orders"
  // The enterprise chooser lists invitations and handover requests to answer, and the user's enterprises.
  if (t.startsWith("SIGNET_ORG_")) return "/org"
  if (t.startsWith("SIGNET_VERIFICATION_")) return "/verification/enterprise"
  return null
}
