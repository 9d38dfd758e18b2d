import type {
  InvalidApplication, InvalidRefundAmount, KeyMakingFailed, LostCertificateMismatch, LostCertificateUnknown, OrderAlreadyPaid, OrderChangedConcurrently, OrderTransitionRefused, PaymentAmountMismatch,
  PaymentTradeReused, ReasonRequired, UnknownPackage, UnknownPickupPoint, WrongDeliveryMethod,
} from "../../../core/orders/OrderErrors.ts"
import type { InvoiceIssueFailed } from "../../../core/ports/InvoiceIssuer.ts"
import type { InvoiceTransitionRefused } from "../../../core/orders/invoiceMachine.ts"
import { slotText } from "../views/ordersText.tsx"
import { yuanString } from "../../../core/orders/Money.ts"
import type { MaterialSlot } from "../../../core/orders/orderMaterials.ts"
import type { PaymentGatewayFailed, PaymentNotificationRejected, PaymentRefundRefused } from "../../../core/ports/PaymentGateway.ts"
import type { Described, DomainError } from "../errors.ts"
import { describeVerificationError, translateVerification, type VerificationError } from "../verificationErrors.ts"

export type OrderError =
  | OrderTransitionRefused | OrderAlreadyPaid | PaymentAmountMismatch | WrongDeliveryMethod | ReasonRequired | UnknownPackage
  | UnknownPickupPoint | OrderChangedConcurrently | InvalidApplication | KeyMakingFailed | PaymentTradeReused | LostCertificateMismatch
  | PaymentGatewayFailed | PaymentNotificationRejected | InvalidRefundAmount | PaymentRefundRefused | LostCertificateUnknown | InvoiceTransitionRefused | InvoiceIssueFailed

const INVOICE_REFUSALS: Record<string, string> = {
  unpaid: "订单尚未支付，不能开票",
  closed: "订单已取消或已退款，不能开票；已开发票仅在退款后作废",
  medium: "发票类型不符：电子发票发送邮件，纸质发票填写快递寄出",
  document: "电子发票缺少发票文件，请重试",
  state: "发票当前状态下不能进行此操作，请刷新后查看",
  reason: "请填写作废原因",
}

const isSlot = (s: string): s is MaterialSlot =>
  ["licence", "holderIdFront", "holderIdBack", "agentIdFront", "agentIdBack", "applicationForm", "authorizationLetter", "serviceAgreement"].includes(s)

/** zh-CN for order errors (O3-O9), exhaustive by type; the rest as the portal says them. */
export const describeOrderError = (e: OrderError | VerificationError | DomainError, fileField = "_form"): Described => {
  switch (e._tag) {
    case "OrderTransitionRefused": return { status: 409, field: "_form", message: "订单当前状态下不能进行此操作，请刷新后查看" }
    case "OrderAlreadyPaid": return { status: 409, field: "_form", message: "订单已支付" }
    case "PaymentAmountMismatch": return { status: 409, field: "_form", message: "支付金额与订单金额不一致" }
    case "WrongDeliveryMethod": return { status: 409, field: "_form", message: e.delivery === "pickup" ? "自提订单不能发货，请发送自提通知" : "快递订单请填写物流信息发货" }
    case "ReasonRequired": return { status: 400, field: "reasons", message: "请填写原因" }
    case "UnknownPackage": return { status: 400, field: "packageId", message: "所选套餐不存在，请重新选择" }
    case "UnknownPickupPoint": return { status: 400, field: "pointId", message: "所选自提点不存在，请重新选择" }
    case "OrderChangedConcurrently": return { status: 409, field: "_form", message: "订单刚刚被更新，请刷新后重试" }
    case "InvalidApplication": {
      const slot = e.issue.startsWith("material.") ? e.issue.slice("material.".length) : ""
      return isSlot(slot)
        ? { status: 400, field: slot, message: `请重新上传${slotText(slot, "enterprise")}（文件不存在或不属于您）` }
        : { status: 400, field: "_form", message: "申请信息不完整或不一致，请检查后重新提交" }
    }
    case "KeyMakingFailed": return { status: 502, field: "_form", message: "USB-Key 制作失败，请检查介质后重试" }
    case "PaymentTradeReused": return { status: 409, field: "_form", message: "该支付交易已用于其他订单" }
    case "LostCertificateMismatch": return { status: 409, field: "lostCertificateSerial", message: "该证书不属于本申请的持有人（企业或个人），不能补办；请选择本人名下的证书" }
    case "LostCertificateUnknown": return { status: 400, field: "lostCertificateSerial", message: "未找到本平台签发的该证书，请核对原证书序列号，或从“我的证书”中选择" }
    case "InvoiceTransitionRefused": return { status: 409, field: "_form", message: INVOICE_REFUSALS[e.why] ?? INVOICE_REFUSALS.state! }
    case "InvoiceIssueFailed": return { status: 502, field: "_form", message: "开票服务暂时不可用，未开具发票，请稍后重试" }
    case "PaymentGatewayFailed": return { status: 502, field: "_form", message: "支付服务暂时不可用，请稍后重试" }
    case "PaymentNotificationRejected": return { status: 400, field: "_form", message: "支付通知无效" }
    case "InvalidRefundAmount": return { status: 400, field: "refundAmount", message: e.refundableFen > 0 ? `退款金额须大于 0 且不超过可退金额 ￥${yuanString(e.refundableFen)}` : "该笔付款已无可退金额" }
    case "PaymentRefundRefused": return { status: 409, field: "_form", message: "支付平台拒绝了退款，订单已转入待退款" }
    case "AddressBookFull": return { status: 400, field: "_form", message: `最多保存 ${e.limit} 个收货地址，请先在“收货地址”中删除不用的地址` }
    default: return describeVerificationError(e, fileField)
  }
}

/** Message keys of the order schemas (application, invoice, delivery). */
const orderFields: Record<string, string> = {
  "name.trim": "姓名或名称前后不能有空格",
  "name.length": "请填写（不超过 60 个字）",
  "serial.invalid": "证书序列号为十六进制数字（0-9、A-F）",
  "serial.required": "补办请选择或填写原证书序列号",
  "invoiceAddress.required": "纸质发票请选择邮寄地址",
  "material.invalid": "请上传文件",
  "enterprise.required": "请填写企业信息",
  "licence.required": "请上传营业执照",
  "userType.mismatch": "用户类型与申请类型不符",
  "taxpayerId.checkDigit": "纳税人识别号校验位不正确，请检查是否输错",
  "taxpayerId.format": "纳税人识别号为 15、17、18 或 20 位数字或大写字母",
  "taxpayerId.required": "单位发票请填写纳税人识别号",
  "taxpayerId.notAllowed": "个人发票无需填写纳税人识别号",
  "title.trim": "发票抬头前后不能有空格",
  "title.length": "请填写发票抬头（不超过 100 个字）",
  "package.invalid": "请选择套餐",
}

export const translateOrder = (errors: Readonly<Record<string, string>>): Record<string, string> => {
  const known = Object.fromEntries(Object.entries(errors).filter(([, v]) => orderFields[v] !== undefined).map(([k, v]) => [k, orderFields[v]!]))
  const rest = translateVerification(Object.fromEntries(Object.entries(errors).filter(([, v]) => orderFields[v] === undefined)))
  return { ...rest, ...known }
}
