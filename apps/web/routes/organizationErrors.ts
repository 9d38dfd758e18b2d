import type { OrganizationError } from "../../../core/organizations/OrganizationErrors.ts"
import type { HandoverTargetInvalid } from "../../../core/organizations/adminHandover.ts"
import { describeError, type Described, type DomainError } from "../errors.ts"

export type OrgError = OrganizationError | HandoverTargetInvalid

/**
 * zh-CN for the workspace's refusals (E1-E4), exhaustive by type; `mobileField`
 * is the form's mobile input the "who" errors belong next to.
 */
export const describeOrgError = (e: OrgError | DomainError, mobileField = "mobile"): Described => {
  switch (e._tag) {
    case "InviteeNotRegistered": return { status: 400, field: mobileField, message: "该手机号尚未注册 Signet 账户，请对方先注册并完成个人实名认证" }
    case "InviteeNotVerified": return { status: 400, field: mobileField, message: "该用户尚未完成个人实名认证，认证后才能加入企业" }
    case "AlreadyInRole": return { status: 409, field: mobileField, message: "该用户已是本企业的此角色" }
    case "InvitationAlreadyPending": return { status: 409, field: mobileField, message: "已向该用户发出邀请，正在等待对方确认" }
    case "InvitationClosed": return { status: 409, field: "_form", message: "该邀请已处理（已接受、已拒绝、已撤回或已过期）" }
    case "BranchNameTaken": return { status: 409, field: "name", message: "已有同名的分公司" }
    case "NotABranch": return { status: 400, field: "branchId", message: "分公司管理员只能设置在分公司，不能设置在总公司" }
    case "AdminRoleFixed": return { status: 409, field: "_form", message: "管理员不能被注销或改变角色，请先通过“更换管理员”移交" }
    case "RoleNeedsInvitation": return { status: 409, field: "roles", message: "有权签字人需通过“签署人”页面邀请，经本人确认后生效" }
    case "RolesRequired": return { status: 400, field: "roles", message: "请至少保留一个角色；如需移除该成员，请使用“注销”" }
    case "MemberInactive": return { status: 409, field: "_form", message: "该成员已注销" }
    case "MemberChanged": return { status: 409, field: "_form", message: "该成员信息刚被他人修改，请刷新后重试" }
    case "HandoverAlreadyPending": return { status: 409, field: "_form", message: "已有一个更换管理员的请求在等待新管理员确认，请先撤销" }
    case "HandoverClosed": return { status: 409, field: "_form", message: "该请求已失效（已接受、已撤销或已过期）" }
    case "HandoverExpired": return { status: 409, field: "_form", message: "该请求已超过 72 小时，已过期；请联系原管理员重新发起" }
    case "HandoverTargetInvalid": return { status: 400, field: mobileField, message: "新管理员不能是您本人" }
    default: return describeError(e)
  }
}
