/** zh-CN wording of orders (O1-O9), shared by the portal and the admin app. */
import { yuanString } from "../../../core/orders/Money.ts"
import type { Order, OrderHistoryEntry } from "../../../core/orders/Order.ts"
import type { OrderState, OrderStatus } from "../../../core/orders/OrderState.ts"
import { moneyIn, moneyRefunded } from "../../../core/orders/orderMoney.ts"
import { invoiceMedium } from "../../../core/orders/Invoice.ts"
import type { InvoiceStatus } from "../../../core/orders/invoiceMachine.ts"
import type { MaterialSlot } from "../../../core/orders/orderMaterials.ts"
import { zhDateTime } from "../../../core/kernel/time.ts"

export const yuan = (fen: number) => `￥${yuanString(fen)}`

export const time = zhDateTime

/** Payment methods as providers name them ("alipay", "cfca" bank transfer) or the gateway that paid. */
const METHOD_TEXT: Record<string, string> = { alipay: "支付宝", cfca: "网银支付（中金支付）", mock: "模拟支付（开发环境）", demo: "演示数据" }

export const STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: "待支付",
  in_review: "审核中",
  rejected: "审核不通过",
  approved: "待处理",
  certificate_made: "待处理（已制证）",
  shipped: "待收货",
  awaiting_pickup: "待自提",
  completed: "已完成",
  cancelled: "已取消",
  refunding: "退款中",
  refunded: "已退款",
}

const STATUS_BADGE: Record<OrderStatus, string> = {
  pending_payment: "badge badge-warn", in_review: "badge badge-info", rejected: "badge", approved: "badge badge-info",
  certificate_made: "badge badge-info", shipped: "badge badge-info", awaiting_pickup: "badge badge-info",
  completed: "badge badge-ok", cancelled: "badge badge-muted", refunding: "badge badge-warn", refunded: "badge badge-muted",
}

export const OrderStatusBadge = (p: { status: OrderStatus }) => <span class={STATUS_BADGE[p.status]} data-status={p.status}>{STATUS_TEXT[p.status]}</span>

export const businessText = (o: Pick<Order, "application">) =>
  `${o.application.applicant === "enterprise" ? "企业" : "个人"}${o.application.business === "new" ? "新办" : "补办"}`

export const EVENT_TEXT: Record<string, string> = {
  Create: "提交订单",
  Pay: "支付成功",
  PaidAfterCancel: "取消后收到付款（待退款）",
  Cancel: "取消订单",
  Approve: "审核通过",
  Reject: "审核不通过",
  Resubmit: "修改订单并重新提交",
  CertificateMade: "数字证书已制作（USB-Key）",
  Ship: "已发货",
  NotifyPickup: "已通知自提",
  ConfirmPickup: "已自提，订单完成",
  ConfirmReceipt: "已签收，订单完成",
  Refund: "已退款",
  LatePayment: "订单关闭后收到付款（将原路退回）",
  RequestRefund: "发起退款",
  RefundSettled: "退款成功",
  RefundFailed: "退款未成功（待人工处理）",
  RefundOffline: "已线下退款",
  IssueInvoice: "发票已开具",
  InvoiceEmailed: "电子发票已发送至邮箱",
  MailInvoice: "纸质发票已寄出",
  VoidInvoice: "发票已作废",
}

/** 发票 states as the buyer and staff see them. */
export const INVOICE_STATUS_TEXT: Record<InvoiceStatus, string> = { pending: "待开票", issued: "已开票", mailed: "已寄出", voided: "已作废" }
export const invoiceStateText = (o: Pick<Order, "invoice" | "invoiceRecord">) => {
  const r = o.invoiceRecord
  const paper = invoiceMedium(o.invoice) === "paper"
  if (r.status === "issued" && paper) return "已开票，待寄出"
  if (r.status === "issued" && !paper) return r.emailedAt === null ? "已开票（邮件未发送成功）" : "已开票，已发送至邮箱"
  return INVOICE_STATUS_TEXT[r.status]
}

const ACTOR_TEXT = { user: "用户", staff: "工作人员", payment: "支付平台", system: "系统" } as const

const DETAIL_TEXT: Record<string, string> = {
  payableFen: "应付", tradeNo: "交易号", amount: "金额", reasons: "原因", serial: "证书序列号", token: "USB-Key", revoked: "已吊销原证书",
  carrier: "快递公司", trackingNo: "运单号", reason: "原因", refundNo: "退款单号", refusal: "支付平台答复", number: "发票号码", to: "邮箱", method: "支付方式", bank: "银行",
}

/** What a provider's refund refusal code means (Alipay's codes; the mock provider uses the same). */
const REFUSALS: Record<string, string> = {
  "ACQ.SELLER_BALANCE_NOT_ENOUGH": "商户账户余额不足",
  "ACQ.TRADE_NOT_EXIST": "交易不存在",
  "ACQ.TRADE_STATUS_ERROR": "交易状态不允许退款",
  "ACQ.TRADE_HAS_CLOSE": "交易已关闭",
  "ACQ.TRADE_HAS_FINISHED": "交易已完结，不能退款",
  "ACQ.TRADE_NOT_ALLOW_REFUND": "该交易不允许退款",
  "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL": "退款金额超过交易可退金额",
  "ACQ.REFUND_FEE_ERROR": "退款金额无效",
  "ACQ.REASON_TRADE_REFUND_FEE_ERR": "退款金额无效",
  "ACQ.REQUEST_AMOUNT_EXCEED": "退款金额超过交易可退金额",
  "ACQ.DISCORDANT_REPEAT_REQUEST": "退款单号已用于其他金额",
  "ACQ.BUYER_ERROR": "买家状态异常",
  "ACQ.CHECK_PARTNER_ERROR": "商户信息校验失败",
}
export const refusalText = (code: string) => REFUSALS[code] ?? `支付平台拒绝退款（代码 ${code}）`

const detailValue = (k: string, v: string) => (k === "payableFen" ? yuan(Number(v)) : k === "amount" ? `￥${v}` : k === "refusal" ? refusalText(v) : k === "method" ? METHOD_TEXT[v] ?? v : v)

/** Details the buyer does not see: why the provider refused a refund is staff's matter (the buyer sees 退款未成功, staff act). */
const STAFF_ONLY = ["refusal"]
const shown = (detail: Readonly<Record<string, string>>, staff: boolean) => Object.entries(detail).filter(([k]) => staff || !STAFF_ONLY.includes(k))

/** O9 order timeline: what happened, when, by whom (never which staff member: the buyer sees 工作人员). */
export const Timeline = (p: { history: ReadonlyArray<OrderHistoryEntry>; staffNames?: Readonly<Record<string, string>> | undefined }) => (
  <ol class="history order-timeline" id="timeline">
    {p.history.map((h) => (
      <li>
        <strong>{EVENT_TEXT[h.event] ?? h.event}</strong>
        <span class="muted"> · {time(h.at)} · {h.actor.kind === "staff" && p.staffNames !== undefined ? (p.staffNames[h.actor.id] ?? h.actor.id) : ACTOR_TEXT[h.actor.kind]}</span>
        {shown(h.detail, p.staffNames !== undefined).length === 0 ? null : (
          <div class="muted">{shown(h.detail, p.staffNames !== undefined).map(([k, v]) => `${DETAIL_TEXT[k] ?? k}：${detailValue(k, v)}`).join("；")}</div>
        )}
      </li>
    ))}
  </ol>
)

export const SLOT_TEXT: Record<MaterialSlot, string> = {
  licence: "营业执照",
  holderIdFront: "身份证人像面",
  holderIdBack: "身份证国徽面",
  agentIdFront: "经办人身份证人像面",
  agentIdBack: "经办人身份证国徽面",
  applicationForm: "数字证书与电子签章业务申请表",
  authorizationLetter: "授权委托及诚信承诺书",
  serviceAgreement: "服务协议",
}

/** The holder's ID is the legal representative's for an enterprise, the applicant's own for a person. */
export const slotText = (slot: MaterialSlot, applicant: "enterprise" | "personal") =>
  slot === "holderIdFront" || slot === "holderIdBack" ? `${applicant === "enterprise" ? "法定代表人" : "申请人"}${SLOT_TEXT[slot]}` : SLOT_TEXT[slot]

/** O5 price breakdown as the confirm page and the order show it. */
export const PriceTable = (p: { price: { goodsFen: number; deliveryFeeFen: number; serviceFeeFen: number; payableFen: number } }) => (
  <dl class="facts price" data-testid="price">
    <dt>商品总价</dt><dd data-price="goods">{yuan(p.price.goodsFen)}</dd>
    <dt>配送费</dt><dd data-price="delivery">{yuan(p.price.deliveryFeeFen)}</dd>
    <dt>服务费</dt><dd data-price="service">{yuan(p.price.serviceFeeFen)}</dd>
    <dt>应付总额</dt><dd data-price="payable"><strong>{yuan(p.price.payableFen)}</strong></dd>
  </dl>
)


/** How the order was paid, as the provider reported it on the payment (the timeline's Pay entry). */
export const paymentMethodText = (history: ReadonlyArray<OrderHistoryEntry>) => {
  const pay = history.find((h) => h.event === "Pay")
  if (pay === undefined) return "—"
  const method = pay.detail.method ?? pay.actor.id
  return `${METHOD_TEXT[method] ?? method}${pay.detail.bank === undefined ? "" : ` · ${pay.detail.bank}`}`
}

const REFUND_STATE = { pending: "退款中", refunded: "已退款", failed: "退款未成功" } as const

/**
 * Where the money of an order stands, the same for the buyer and for staff:
 * the payment (or 未支付), any payment received after the order closed, each
 * refund with its state, and what was paid in, paid back and kept.
 */
export const MoneyFacts = (p: { state: OrderState; staff?: boolean }) => {
  const s = p.state
  const tradeText = (tradeNo: string) => <> · 交易号 <span class="mono">{tradeNo}</span></>
  return (
    <dl class="facts money" id="money">
      <dt>支付</dt>
      <dd data-money="payment">{s.payment === null ? "未支付" : <>已支付 {yuan(s.payment.amountFen)}{tradeText(s.payment.tradeNo)} · {time(s.payment.paidAt)}</>}</dd>
      {s.latePayments.map((l) => (
        <><dt>关闭后收到付款</dt><dd data-money="late">{yuan(l.amountFen)}{tradeText(l.tradeNo)} · {time(l.paidAt)}（订单已关闭，原路退回）</dd></>
      ))}
      {s.refunds.map((r) => (
        <>
          <dt>退款</dt>
          <dd data-money="refund" data-refund-status={r.status}>
            {yuan(r.amountFen)} · <span class={r.status === "refunded" ? "badge badge-ok" : r.status === "pending" ? "badge badge-warn" : "badge"}>{REFUND_STATE[r.status]}</span>
            {" "}· {r.reason}{p.staff === true ? <> · 退款单号 <span class="mono">{r.refundNo}</span></> : null}
            {r.status === "failed" ? (p.staff === true ? `（支付平台：${refusalText(r.failure ?? "")}）` : "（工作人员将尽快处理）") : null}
          </dd>
        </>
      ))}
      {moneyIn(s) === 0 ? null : (
        <><dt>金额合计</dt><dd data-money="totals">收款 {yuan(moneyIn(s))} · 已退 {yuan(moneyRefunded(s))} · 实收 {yuan(moneyIn(s) - moneyRefunded(s))}</dd></>
      )}
    </dl>
  )
}
