import type { Described } from "./errors.ts"
import { describeSealError } from "./routes/sealsErrors.ts"

/**
 * zh-CN messages for contract acts. Contract use cases can also fail with the
 * OTP errors (see errors.ts) and with infrastructure errors (signing engine,
 * key store, storage), which all read "系统繁忙".
 */
/** Issue 16: sending texts other people, so the sender must be verified; the contract forms add a link to 实名认证 under it. */
export const NOT_VERIFIED_MESSAGE = "发起签约会短信通知签署方，需先完成个人实名认证后再发起"

export const describeContractError = (e: { readonly _tag: string } & Record<string, unknown>): Described | undefined => {
  switch (e._tag) {
    case "ContractNotInProgress": return { status: 409, field: "_form", message: "该合同当前不可签署（已完成、已拒签、已撤销或已过期）" }
    case "ContractAlreadySent": return { status: 409, field: "_form", message: "合同已发起，不能重复发起" }
    case "ContractIncomplete":
      return { status: 400, field: "_form", message: e.reason === "no-parties" ? "请至少添加一个签署方" : e.reason === "duplicate-party" ? "签署方手机号不能重复" : "签约截止日期必须晚于现在" }
    case "PartyNotOnContract": return { status: 404, field: "_form", message: "您不是该合同的签署方" }
    case "PartyAlreadyActed": return { status: 409, field: "_form", message: "您已处理过该合同" }
    case "SignerOutOfTurn": return { status: 409, field: "_form", message: "顺序签署：请等待前序签署方完成签署" }
    case "DeadlinePassed": return { status: 409, field: "_form", message: "已过签约截止日期" }
    case "RemindTooSoon": return { status: 429, field: "_form", message: `每小时只能提醒一次，请 ${Math.ceil(Number(e.retryAfterSeconds) / 60)} 分钟后再试` }
    case "ContractFieldsInvalid": return { status: 400, field: "fields", message: String(e.reason) }
    case "ContractNotDraft": return { status: 409, field: "_form", message: "合同已发起，不能再修改或删除草稿" }
    case "ContractDocumentInvalid": return { status: 400, field: "document", message: String(e.reason ?? "") === "" ? "文件无法签署" : `文件无法签署：${String(e.reason)}` }
    case "NotInitiator": return { status: 403, field: "_form", message: "只有发起方可以进行此操作" }
    case "ContractBusy": return { status: 409, field: "_form", message: "合同正在被其他签署方处理，请稍后重试" }
    case "SigningIdentityUnavailable": return { status: 500, field: "_form", message: "暂时无法签署（签名证书不可用），请稍后重试" }
    case "TimestampFailed": return { status: 502, field: "_form", message: "暂时无法签署（时间戳服务不可用），请稍后重试" }
    case "RevocationUnavailable": return { status: 502, field: "_form", message: "暂时无法签署（证书状态服务不可用），请稍后重试" }
    case "EnterprisePartyInvalid": {
      const row = `签署方「${String(e.name)}」`
      const why: Record<string, string> = {
        "not-found": `${row}不是已在平台完成企业认证的企业，请填写企业全称`,
        ambiguous: `${row}有多家同名企业，请联系平台确认`,
        "branch-not-found": `${row}没有所选的分公司`,
        "signer-not-member": `${row}的指定签署人不是该企业的在职成员`,
        duplicate: `${row}重复：同一企业只能作为一个签署方`,
      }
      return { status: 400, field: "parties", message: why[String(e.reason)] ?? `${row}无法添加` }
    }
    case "InitiatorNotVerified": return { status: 403, field: "_form", message: NOT_VERIFIED_MESSAGE }
    case "SmsQuotaExceeded": return {
      status: 429, field: "_form",
      message: e.limit === "account" ? "今日发送的签约短信已达上限，请明天再试" : "该手机号今日收到的签约短信已达上限，请明天再试",
    }
    case "InitiatorNotAllowed": return { status: 403, field: "actAs", message: "您无权以该企业（分公司）身份发起签约" }
    case "EnterpriseSigningIncomplete": return { status: 400, field: "_form", message: e.missing === "seal" ? "请选择印章" : "请选择有权签字人签名" }
    case "ProviderNotEligible": {
      const who = `服务商「${String(e.name)}」`
      const why: Record<string, string> = {
        "not-verified": `${who}尚未在平台注册并完成企业认证，无法创建合同`,
        "no-signatory": `${who}尚未确认企业有权签字人，无法创建合同`,
        "is-owner": "不能与本平台所属企业自己签约，请填写服务商名称",
      }
      return { status: 400, field: "providerName", message: why[String(e.reason)] ?? `${who}不符合签约条件` }
    }
    case "PlatformNotConfigured": return { status: 404, field: "_form", message: "未配置合作伙伴开放平台（SIGNET_PLATFORM_OWNER_CREDIT_CODE）" }
    // Signing for an enterprise party uses its seals and signatures (E5-E7).
    // 模板 (issue 17): the layout and the values are described in zh-CN by the core rule that refused them.
    case "TemplateLayoutInvalid": return { status: 400, field: "_form", message: String(e.reason) }
    case "TemplateValuesInvalid": return { status: 400, field: e.key === "parties" ? "parties" : `v_${String(e.key)}`, message: String(e.reason) }
    case "TemplateCharactersUnsupported": return { status: 400, field: "_form", message: `内容中有无法显示的字符：${String(e.characters)}` }
    // A signature drawn at signing time is checked like an uploaded one.
    case "SealNotAuthorized": case "SealDisabled": case "SignatureNotDelegated": case "SignatureMissing": case "SealIdentityFailed": case "SealImageRejected":
      return describeSealError(e) ?? { status: 403, field: "_form", message: "无法使用该印章或签名" }
    default: return undefined
  }
}
