import { Effect } from "effect"
import { MailSender } from "../ports/MailSender.ts"
import { notify, type Notice } from "../notifications/notify.ts"
import { renderSms, SMS_CAPS, smsVariable, type SmsContent } from "../ports/SmsTemplates.ts"
import { yuanString } from "./Money.ts"
import type { Order } from "./Order.ts"
import type { OrderEventTag } from "./OrderState.ts"

/**
 * O10: the text message the applicant's agent (经办人) receives when the
 * order changes state, or null when the change needs no message. The agent's
 * mobile was given on the application "用于接收订单审核通知".
 */
export const orderNotice = (order: Order, event: OrderEventTag | "Create", detail: Readonly<Record<string, string>> = {}): SmsContent | null => {
  const no = order.id
  const s = order.state
  switch (event) {
    case "Create":
      return { template: "SIGNET_ORDER_CREATED", vars: { no, amount: yuanString(order.price.payableFen) } }
    case "Pay":
      return { template: "SIGNET_ORDER_PAID", vars: { no, amount: yuanString(s.payment?.amountFen ?? 0) } }
    case "Cancel":
      return { template: "SIGNET_ORDER_CANCELLED", vars: { no } }
    case "Reject":
      return { template: "SIGNET_ORDER_REJECTED", vars: { no, reasons: s.rejectReasons.join("；") } }
    case "Resubmit":
      return { template: "SIGNET_ORDER_RESUBMITTED", vars: { no } }
    case "Approve":
      return { template: "SIGNET_ORDER_APPROVED", vars: { no } }
    case "CertificateMade":
      return null // the shipping or pickup notice follows and says more
    case "Ship":
      return { template: "SIGNET_ORDER_SHIPPED", vars: { no, carrier: s.shipment?.carrier ?? "", trackingNo: s.shipment?.trackingNo ?? "" } }
    case "NotifyPickup":
      return order.delivery._tag === "pickup"
        ? { template: "SIGNET_ORDER_PICKUP", vars: { no, place: order.delivery.name, address: order.delivery.address, phone: order.delivery.phone, hours: order.delivery.hours } }
        : null
    case "ConfirmPickup":
    case "ConfirmReceipt":
      return { template: "SIGNET_ORDER_DONE", vars: { no } }
    case "LatePayment": {
      const late = s.latePayments.find((p) => p.tradeNo === detail.tradeNo)
      return late === undefined ? null : { template: "SIGNET_ORDER_LATE_PAYMENT", vars: { no, amount: yuanString(late.amountFen) } }
    }
    case "RequestRefund":
    case "RefundFailed":
      return null // the buyer is told when the money is back; a refused refund is staff's to solve (待退款)
    case "RefundSettled":
    case "RefundOffline": {
      const r = s.refunds.find((x) => x.refundNo === detail.refundNo)
      return r === undefined ? null : { template: "SIGNET_ORDER_REFUNDED", vars: { no, amount: yuanString(r.amountFen), reason: smsVariable(r.reason, SMS_CAPS.reason) } }
    }
  }
}

/** What the e-mail's subject says happened (O10). */
const MAIL_SUBJECTS: Record<OrderEventTag | "Create", string> = {
  Create: "订单已提交，待支付",
  Pay: "已支付，审核中",
  Cancel: "订单已取消",
  Reject: "审核不通过",
  Resubmit: "已重新提交，审核中",
  Approve: "审核通过，待处理",
  CertificateMade: "证书已制作",
  Ship: "已发货",
  NotifyPickup: "待自提",
  ConfirmPickup: "已完成",
  ConfirmReceipt: "已完成",
  LatePayment: "已关闭，收到的付款将原路退回",
  RequestRefund: "退款中",
  RefundSettled: "已退款",
  RefundFailed: "退款未成功",
  RefundOffline: "已退款",
}

/** O10: the e-mail to the agent's address, or null when the change needs no message (same rule as the text message). */
export const orderMail = (
  order: Order,
  event: OrderEventTag | "Create",
  detail: Readonly<Record<string, string>> = {},
): { readonly subject: string; readonly text: string } | null => {
  const notice = orderNotice(order, event, detail)
  if (notice === null) return null
  const text = renderSms(notice)
  return {
    subject: `【Signet】订单 ${order.id}：${MAIL_SUBJECTS[event]}`,
    text: [
      `${order.application.agent.name}，您好：`, "", text.replace(/^【Signet】/, ""), "",
      `订单号：${order.id}`, `套餐：${order.package.name}`, `应付总额：${yuanString(order.price.payableFen)} 元`, "",
      "请登录 Signet 个人中心 → 我的订单 查看详情。", "此邮件由系统自动发送，请勿回复。",
    ].join("\n"),
  }
}

/** O10: who the change is texted to (the agent), as a notice whose 提醒 row commits with the change. */
export const orderNotices = (order: Order, event: OrderEventTag | "Create", detail: Readonly<Record<string, string>> = {}): ReadonlyArray<Notice> => {
  const notice = orderNotice(order, event, detail)
  return notice === null ? [] : [{ mobile: order.application.agent.mobile, content: notice }]
}

/** O10: the e-mail to the agent, sent once the change is committed; a refused e-mail is logged, never raised. */
export const mailOrderNotice = (order: Order, event: OrderEventTag | "Create", detail: Readonly<Record<string, string>> = {}) => {
  const mail = orderMail(order, event, detail)
  if (mail === null) return Effect.void
  return MailSender.use((m) => m.send({ to: order.application.agent.email, ...mail })).pipe(
    Effect.catch((e) => Effect.logWarning("order e-mail not sent", { order: order.id, event, reason: e.reason })),
  )
}

/**
 * Sends the notices (text message with its 提醒 row, and e-mail to the agent) after the change
 * was committed. A failed message never undoes or fails the change: it is
 * logged, and the order page shows the state. (Changes through applyEvent keep the row in their transaction instead.)
 */
export const sendOrderNotice = (order: Order, event: OrderEventTag | "Create", detail: Readonly<Record<string, string>> = {}) =>
  Effect.all([...orderNotices(order, event, detail).map((n) => notify(n.mobile, n.content)), mailOrderNotice(order, event, detail)], { concurrency: 2, discard: true })
