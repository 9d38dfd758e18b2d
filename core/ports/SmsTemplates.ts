/**
 * The fixed SMS templates (issue 16). Chinese SMS gateways send only texts
 * registered in advance: a template id and its variables. Every text Signet
 * sends is one of these; what a user typed (a contract's name, a sender's
 * name, a reason) enters only as a variable, length-capped and stripped of
 * links, phone numbers and sign brackets (【】) by `smsVariable`, so nobody
 * can make Signet text "【银行】账户异常请致电…" to arbitrary numbers.
 */

/** Template id → its text; `{name}` marks a variable. The ids are what the gateway is sent. */
export const SMS_TEMPLATES = {
  SIGNET_OTP: "【Signet】您的验证码为 {code}，用于{purpose}，5分钟内有效。请勿泄露给他人。",
  SIGNET_CONTRACT_SENT: "【Signet】{from}邀请{whom}签署《{name}》（签约编号 {id}），请于 {deadline} 前签署：{link}",
  SIGNET_CONTRACT_REMIND: "【Signet】提醒：请尽快签署《{name}》（签约编号 {id}）：{link}",
  SIGNET_CONTRACT_TURN: "【Signet】轮到{whom}签署《{name}》（签约编号 {id}）。",
  SIGNET_CONTRACT_COMPLETED: "【Signet】《{name}》（签约编号 {id}）已全部签署完成。",
  SIGNET_CONTRACT_REJECTED: "【Signet】《{name}》（签约编号 {id}）已被拒签，原因：{reason}",
  SIGNET_CONTRACT_REVOKED: "【Signet】《{name}》（签约编号 {id}）已被发起方撤销。",
  SIGNET_CONTRACT_EXPIRED: "【Signet】《{name}》（签约编号 {id}）已过签约截止日期，签约已过期。",
  SIGNET_ORG_INVITED: "【Signet】{enterprise} 邀请您成为企业{role}，请登录 Signet 后在“企业邀请”中确认。",
  SIGNET_ORG_INVITATION_WITHDRAWN: "【Signet】{enterprise} 已撤回对您的企业邀请。",
  SIGNET_ORG_HANDOVER_REQUESTED: "【Signet】{enterprise} 的管理员请您接任企业管理员，请在 72 小时内登录 Signet 后在“企业邀请”中确认。",
  SIGNET_ORG_HANDOVER_DONE: "【Signet】{enterprise} 的新管理员已接受邀请，企业管理员已更换，您在该企业的角色现为：{roles}。",
  SIGNET_ORG_HANDOVER_ACCEPTED: "【Signet】您已成为 {enterprise} 的企业管理员，您在该企业的角色现为：{roles}。",
  SIGNET_VERIFICATION_APPROVED: "【Signet】您提交的企业认证（{enterprise}）已审核通过，您已成为该企业的管理员。",
  SIGNET_VERIFICATION_REJECTED: "【Signet】您提交的企业认证（{enterprise}）未通过审核，原因：{reason}。请登录 Signet 修改后重新提交。",
  SIGNET_ORDER_CREATED: "【Signet】您的订单 {no} 已提交，应付 {amount} 元，请尽快支付。",
  SIGNET_ORDER_PAID: "【Signet】您的订单 {no} 已支付 {amount} 元，正在审核中。",
  SIGNET_ORDER_CANCELLED: "【Signet】您的订单 {no} 已取消。",
  SIGNET_ORDER_REJECTED: "【Signet】您的订单 {no} 审核不通过：{reasons}。请登录个人中心修改订单后重新提交。",
  SIGNET_ORDER_RESUBMITTED: "【Signet】您的订单 {no} 已重新提交，正在审核中。",
  SIGNET_ORDER_APPROVED: "【Signet】您的订单 {no} 已审核通过，正在为您制作数字证书 USB-Key。",
  SIGNET_ORDER_SHIPPED: "【Signet】您的订单 {no} 已发货：{carrier} 运单号 {trackingNo}。",
  SIGNET_ORDER_PICKUP: "【Signet】您的订单 {no} 的 USB-Key 已制作完成，请到{place}自提（{address}，电话 {phone}，{hours}）。",
  SIGNET_ORDER_DONE: "【Signet】您的订单 {no} 已完成，感谢您的使用。",
  SIGNET_ORDER_REFUNDED: "【Signet】您的订单 {no} 已退款 {amount} 元，原因：{reason}。",
  SIGNET_INVOICE_EMAILED: "【Signet】您的订单 {no} 的电子发票已开具并发送至您的发票邮箱，也可在订单详情中下载。",
  SIGNET_INVOICE_MAILED: "【Signet】您的订单 {no} 的纸质发票已寄出：{carrier} 运单号 {trackingNo}。",
  SIGNET_ORDER_LATE_PAYMENT: "【Signet】您的订单 {no} 已关闭，收到的付款 {amount} 元将原路退回，无需操作。",
} as const

export type SmsTemplateId = keyof typeof SMS_TEMPLATES

/** A text to send: which template, with which variables (every `{name}` of the template). */
export interface SmsContent {
  readonly template: SmsTemplateId
  readonly vars: Readonly<Record<string, string>>
}

/** The text a template makes with these variables (the outbox stores it; a gateway renders it itself from id + variables). */
export const renderSms = (m: SmsContent): string =>
  SMS_TEMPLATES[m.template].replace(/\{(\w+)\}/g, (_, name: string) => m.vars[name] ?? "")

const URL_LIKE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S*|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|vip|cc|io|me|info|biz|club|site|online|shop|app|link|ly)\b\S*/giu
/** Digit runs that may be a phone number: 5+ digits, maybe split by spaces, dashes, dots or full-width digits. */
const PHONE_LIKE = /(?:[+＋]?[0-9０-９](?:[\s\-—.()（）]*[0-9０-９]){4,})/gu

/**
 * A user-typed value fit for an SMS variable: links and phone numbers
 * removed, sign brackets (【】[]) removed, whitespace collapsed, at most
 * `max` characters (then "…"). Never empty: "—" stands for nothing left.
 */
export const smsVariable = (value: string, max: number): string => {
  const cleaned = value
    .replace(URL_LIKE, "")
    .replace(PHONE_LIKE, "")
    .replace(/[【】\[\]〖〗]/gu, "")
    .replace(/\s+/gu, " ")
    .trim()
  const chars = [...cleaned]
  const capped = chars.length > max ? `${chars.slice(0, max).join("")}…` : cleaned
  return capped === "" ? "—" : capped
}

/** Caps for user text in SMS: a contract's name, a person's or enterprise's name, a free reason. */
export const SMS_CAPS = { contractName: 20, name: 30, reason: 30 } as const
