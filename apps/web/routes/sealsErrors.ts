import type { Described } from "../errors.ts"

const IMAGE: Record<string, string> = {
  empty: "请选择图片文件",
  tooLarge: "图片不能超过 5 MB",
  type: "只支持 PNG 或 JPG 图片（按文件内容判断）",
  dimensions: "图片尺寸不合适（边长 24-6000 像素，不超过 1600 万像素）",
  corrupt: "图片已损坏，无法读取",
  blank: "图片中没有找到印迹或笔迹（白色背景已去除）",
  busy: "系统繁忙，请稍后再试",
}

/**
 * zh-CN messages for seal and signature acts (E5-E7). The acts can also fail
 * with NotFound / Forbidden / RepositoryError (see errors.ts) and with
 * storage or key-store failures, which read "系统繁忙".
 */
export const describeSealError = (e: { readonly _tag: string } & Record<string, unknown>): Described | undefined => {
  switch (e._tag) {
    case "SealImageRejected": return { status: 400, field: "image", message: IMAGE[String(e.reason)] ?? "图片无法使用" }
    case "SealTextUnprintable": return { status: 400, field: "_form", message: `企业名称中的“${String(e.characters)}”无法生成印章，请上传印章图片` }
    case "SealTypeNotGenerated": return { status: 400, field: "source", message: "法定代表人章请上传印章图片" }
    case "SealDisabled": return { status: 409, field: "_form", message: "该印章已停用" }
    case "SealNotAuthorized": return { status: 403, field: "_form", message: "您未获授权使用该印章" }
    case "SealGrantTargetInvalid": return { status: 400, field: "userId", message: "该成员不能被授权使用此印章（须为在职成员，且印章属于其所在机构）" }
    case "SignatureNotDelegated": return { status: 403, field: "_form", message: "未获该签字人授权，或授权已撤销、已过期、不在授权范围内" }
    case "SignatureMissing": return { status: 409, field: "_form", message: "请先上传或手写签名" }
    case "DelegationWindowInvalid": return { status: 400, field: "validUntil", message: "截止时间须晚于开始时间，且晚于现在" }
    case "DelegationTargetInvalid": return { status: 400, field: "agentUserId", message: "只能授权给本企业在职的其他经办人" }
    case "SealIdentityFailed": return { status: 500, field: "_form", message: "暂时无法为印章签发证书，请稍后重试" }
    case "NotFound": return { status: 404, field: "_form", message: "内容不存在或无权访问" }
    case "Forbidden": return { status: 403, field: "_form", message: "您没有此操作的权限" }
    default: return undefined
  }
}

export const describeSealErrorOr500 = (e: { readonly _tag: string } & Record<string, unknown>): Described =>
  describeSealError(e) ?? { status: 500, field: "_form", message: "系统繁忙，请稍后重试" }
