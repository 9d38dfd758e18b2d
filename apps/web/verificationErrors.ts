import type { BlobStoreError } from "../../core/ports/BlobStore.ts"
import type { LetterCharactersUnsupported } from "../../core/verification/authorizationLetter.ts"
import type {
  AlreadyVerified, EnterpriseAlreadyVerified, IdentityProviderUnavailable, IdentityRejected, IdNumberBirthInFuture, IdPhotoSidesSame,
  PersonalVerificationRequired, UploadEmpty, UploadImageSize, UploadTooLarge, UploadTypeNotAllowed, VerificationStepRefused,
} from "../../core/verification/VerificationErrors.ts"
import { describeError, type Described, type DomainError } from "./errors.ts"
import { fieldMessage } from "./messages.ts"

export type VerificationError =
  | UploadEmpty | UploadTooLarge | UploadTypeNotAllowed | UploadImageSize | AlreadyVerified | IdNumberBirthInFuture | IdPhotoSidesSame
  | IdentityRejected | IdentityProviderUnavailable | PersonalVerificationRequired | VerificationStepRefused
  | EnterpriseAlreadyVerified | LetterCharactersUnsupported | BlobStoreError

const identityReasons: Record<IdentityRejected["reason"], { field: string; message: string }> = {
  "name-mismatch": { field: "name", message: "姓名与身份证号码不一致，请核对" },
  "id-number-not-found": { field: "idNumber", message: "身份证号码不存在或未登记，请核对" },
  "card-not-bound-to-mobile": { field: "mobile", message: "该手机号不是此银行卡的预留手机号" },
  "card-holder-mismatch": { field: "bankCard", message: "银行卡与身份信息不匹配，请使用本人名下的银行卡" },
  "card-not-supported": { field: "bankCard", message: "暂不支持该银行卡，请更换其他银行卡" },
  "id-photo-unreadable": { field: "photo", message: "身份证照片无法识别，请重新上传清晰的照片" },
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

/**
 * zh-CN for verification errors (V1-V4), exhaustive by type; `fileField` is
 * the form's file input the upload errors belong next to.
 */
export const describeVerificationError = (e: VerificationError | DomainError, fileField = "_form"): Described => {
  switch (e._tag) {
    case "UploadEmpty": return { status: 400, field: fileField, message: "请选择要上传的文件" }
    case "UploadTooLarge": return { status: 400, field: fileField, message: `文件大小不能超过 10M（所选文件 ${mb(e.size)}M）` }
    case "UploadTypeNotAllowed":
      return {
        status: 400, field: fileField,
        message: e.kind === "letter"
          ? "仅支持 jpeg、jpg、png 图片或 PDF 文件（所选文件的内容不是这些格式）"
          : e.found === "application/pdf"
          ? "所选文件是 PDF，照片仅限jpeg、jpg、png格式"
          : "照片仅限jpeg、jpg、png格式（所选文件的内容不是图片）",
      }
    case "UploadImageSize": return { status: 400, field: fileField, message: `图片尺寸不合适（${e.width}×${e.height} 像素），请上传清晰的照片（每边至少 200 像素）` }
    case "AlreadyVerified": return { status: 409, field: "_form", message: "您已完成个人实名认证，无需重复认证" }
    case "IdNumberBirthInFuture": return { status: 400, field: "idNumber", message: "身份证号中的出生日期晚于今天，请检查" }
    case "IdPhotoSidesSame": return { status: 400, field: "backPhoto", message: "身份证正面和反面须为两张不同的照片" }
    case "IdentityRejected": return { status: 400, ...identityReasons[e.reason] }
    case "IdentityProviderUnavailable": return { status: 502, field: "_form", message: "实名认证服务暂时不可用，请稍后重试（验证码需重新获取）" }
    case "PersonalVerificationRequired": return { status: 403, field: "_form", message: "请先完成个人实名认证" }
    case "VerificationStepRefused": return { status: 409, field: "_form", message: "当前认证状态下不能进行此操作（可能正在审核中或已完成）" }
    case "EnterpriseAlreadyVerified": return { status: 409, field: "creditCode", message: "该统一社会信用代码的企业已完成认证，请联系该企业管理员" }
    case "LetterCharactersUnsupported": return { status: 400, field: "_form", message: `授权书暂无法打印以下字符：${e.characters}，请打印后手写补全再盖章上传` }
    case "BlobStoreError": return { status: 500, field: "_form", message: "系统繁忙，请稍后重试" }
    default: return describeError(e)
  }
}

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
