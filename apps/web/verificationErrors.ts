import { describe, type Described, type VerificationError, type WebError } from "./catalogue.ts"
import { fieldMessage } from "./messages.ts"

export type { VerificationError }

/** Verification errors (V1-V4) as the catalogue words them; `fileField` is the form's file input the upload errors belong next to. */
export const describeVerificationError = (e: WebError, fileField = "_form"): Described => describe(e, { file: fileField })

/** Message keys of the verification schemas (V6 and the forms). */
const verificationFields: Record<string, string> = {
  "idNumber.format": "请输入 18 位身份证号码（最后一位可为 X）",
  "idNumber.birthDate": "身份证号中的出生日期无效",
  "idNumber.checkDigit": "身份证号码校验位不正确，请检查是否输错",
  "creditCode.format": "统一社会信用代码为 18 位数字或大写字母",
  "creditCode.checkDigit": "统一社会信用代码校验位不正确，请检查是否输错",
  "bankCard.format": "银行卡号为 12-19 位数字",
  "bankCard.checkDigit": "银行卡号校验不通过，请检查是否输错",
  "personName.format": "请输入身份证上的姓名",
  "enterpriseName.length": "企业名称须为 2-60 个字符",
  "address.length": "企业注册地址须为 4-120 个字符",
  "legalRepresentative.length": "法定代表人/负责人姓名须为 2-30 个字符",
  "contactPhone.invalid": "请输入手机号或带区号的固定电话（如 010-12345678）",
}

export const translateVerification = (errors: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, verificationFields[v] ?? fieldMessage(v)]))
