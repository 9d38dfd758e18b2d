import { describe, type Described, type OrderError, type WebError } from "../catalogue.ts"
import { translateVerification } from "../verificationErrors.ts"

export type { OrderError }

/** Order errors (O3-O9) as the catalogue words them; `fileField` is the form's file input the upload errors belong next to. */
export const describeOrderError = (e: WebError, fileField = "_form"): Described => describe(e, { file: fileField })

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
