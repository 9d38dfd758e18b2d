import { Option, Schema } from "effect"
import { UserId } from "../../../core/kernel/Ids.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { OtpCode } from "../../../core/otp/Otp.ts"
import { createBranch } from "../../../core/organizations/createBranch.ts"
import { deactivateMember } from "../../../core/organizations/deactivateMember.ts"
import { editMember } from "../../../core/organizations/editMember.ts"
import { cancelHandover, requestHandover, requestHandoverCode } from "../../../core/organizations/handover.ts"
import { withdrawInvitation } from "../../../core/organizations/invitationLifetime.ts"
import { inviteMember } from "../../../core/organizations/inviteMember.ts"
import { AgentPermissionSchema, BranchId, BranchName, Department, GrantableRole, InvitationId, type Branch, type Invitation } from "../../../core/organizations/Organization.ts"
import { headOffice, resourceAt } from "../../../core/organizations/orgScope.ts"
import { DEFAULT_AGENT_PERMISSIONS, type Action } from "../../../core/organizations/permissions.ts"
import { handoverStatus, memberList, visibleBranchList } from "../../../core/organizations/workspace.ts"
import { MembershipRepository } from "../../../core/ports/MembershipRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { decodeForm, emptyToNull } from "../../platform/http/forms.ts"
import type { Values } from "../../platform/views/form.tsx"
import { formValues, isHtmx, type WebDeps } from "../context.tsx"
import { translate } from "../messages.ts"
import { currentScope, orgCan, orgHref, orgRoutes, renderOrgPage, requireCan, type OrgContext } from "../orgContext.ts"
import { EnterpriseInfoPage } from "../views/organization.tsx"
import { BranchesPage } from "../views/organizationBranches.tsx"
import { HandoverPage } from "../views/organizationHandover.tsx"
import { CodeStatus } from "../views/auth.tsx"
import { EditMemberPage, MembersPage, SignatoriesPage } from "../views/organizationMembers.tsx"
import { describeOrgError } from "./organizationErrors.ts"
import { attempt } from "./verificationFiles.ts"

const InviteBody = Schema.Struct({ mobile: Mobile, branchId: BranchId, department: Schema.NullOr(Department) })
const EditBody = Schema.Struct({
  department: Schema.NullOr(Department), roles: Schema.Array(GrantableRole), branchId: Schema.optional(BranchId),
  permissions: Schema.optional(Schema.Array(AgentPermissionSchema)),
})
const BranchBody = Schema.Struct({ name: BranchName, parentId: BranchId })
const CodeBody = Schema.Struct({ mobile: Mobile })
const HandoverBody = Schema.Struct({ mobile: Mobile, code: OtpCode })
const WithdrawBody = Schema.Struct({ back: Schema.Literals(["members", "signatories"]) })

const notices: Record<string, string> = {
  joined: "您已加入该企业", admin: "您已成为该企业的管理员", invited: "邀请已发送，等待对方确认", edited: "成员信息已保存",
  deactivated: "该成员已注销，立即失去本企业的全部权限", withdrawn: "邀请已撤回，对方将收到短信通知", branch: "分公司已创建", requested: "已发送信息给新管理员", cancelled: "更换管理员的请求已撤销",
}
const noticeOf = (c: OrgContext) => notices[c.req.query("done") ?? ""]

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502
const asArray = (v: unknown): ReadonlyArray<string> => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [])

/**
 * The enterprise workspace under /org/:enterpriseId: 企业信息, 成员信息,
 * 签署人, 分公司, 更换管理员. `orgRoutes` reloads the membership on every
 * request; each route also asks `can()` for its action, and every use case
 * asks again for the exact resource.
 */
export const organizationWorkspaceRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  const csrf = (c: OrgContext) => c.get("csrfToken")
  const eid = (c: OrgContext) => currentScope(c).org.enterpriseId
  const userId = (c: OrgContext) => currentScope(c).member.userId
  const where = (c: OrgContext, action: Action) => (b: Branch) => orgCan(c, action, resourceAt(currentScope(c), b.id))
  /** Who may withdraw an invitation: whoever may send one of its role in its branch (the use case asks again). */
  const canWithdraw = (c: OrgContext) => (i: Invitation) =>
    orgCan(c, i.role === "branchAdmin" ? "branchAdmin.appoint" : "member.add", resourceAt(currentScope(c), i.branchId))
  /** The target member's branch as the resource (null: not a member of this enterprise). */
  const targetResource = async (c: OrgContext) => {
    const id = Schema.decodeUnknownOption(UserId)(c.req.param("userId"))
    if (Option.isNone(id)) return null
    const found = await deps.run(MembershipRepository.use((r) => r.findMember(eid(c), id.value)))
    return Option.isNone(found) ? null : resourceAt(currentScope(c), found.value.branchId)
  }

  app.get("/", requireCan(deps, "enterprise.view"), async (c) => {
    const scope = currentScope(c)
    const admin = await deps.run(UserRepository.use((r) => r.findById(scope.enterprise.adminUserId)))
    const branches = await deps.run(MembershipRepository.use((r) => r.branches(eid(c))))
    return renderOrgPage(c, deps, "企业信息", (
      <EnterpriseInfoPage enterprise={scope.enterprise} adminName={Option.match(admin, { onNone: () => "—", onSome: (u) => u.name ?? u.mobile })}
        me={scope.member} myBranch={branches.find((b) => b.id === scope.member.branchId)?.name ?? "—"}
        canHandover={orgCan(c, "enterprise.handover", headOffice(scope))} notice={noticeOf(c)} />
    ))
  })

  // 成员信息 and 添加经办人.
  const membersPage = async (c: OrgContext, form: { values?: Values; errors?: Record<string, string> } = {}, status: Status = 200) => {
    const { members, branches, invitations, invitees } = await deps.run(memberList(userId(c), eid(c)))
    return renderOrgPage(c, deps, "成员信息", (
      <MembersPage csrf={csrf(c)} enterpriseId={eid(c)} enterpriseName={currentScope(c).enterprise.name} me={userId(c)} members={members}
        branches={branches} invitations={invitations} invitees={invitees} addTo={branches.filter(where(c, "member.add"))}
        canEdit={(m) => orgCan(c, "member.edit", resourceAt(currentScope(c), m.member.branchId))}
        canDeactivate={(m) => orgCan(c, "member.deactivate", resourceAt(currentScope(c), m.member.branchId))}
        canWithdraw={canWithdraw(c)} notice={noticeOf(c)} {...form} />
    ), status)
  }
  app.get("/members", requireCan(deps, "member.view"), (c) => membersPage(c))

  /** Decodes an invitation form and sends it; `again` re-renders the page the form is on. */
  const invite = async (c: OrgContext, role: GrantableRole, done: string, again: (c: OrgContext, form: { values: Values; errors: Record<string, string> }, status: Status) => Promise<Response>) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const form = decodeForm(InviteBody, { ...body, department: emptyToNull(body.department ?? "") })
    if (!form.ok) return again(c, { values, errors: translate(form.errors) }, 422)
    const r = await attempt(deps.exit, inviteMember(userId(c), eid(c), { mobile: form.value.mobile, role, branchId: form.value.branchId, department: form.value.department }))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return again(c, { values, errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, done), 303)
  }
  app.post("/members/invite", requireCan(deps, "member.add"), (c) => invite(c, "agent", "/members?done=invited", membersPage))

  const editPage = async (c: OrgContext, form: { values?: Values; roles?: ReadonlyArray<string>; permissions?: ReadonlyArray<string>; errors?: Record<string, string> } = {}, status: Status = 200) => {
    const { members, branches } = await deps.run(memberList(userId(c), eid(c)))
    const target = members.find((m) => m.member.userId === c.req.param("userId"))
    if (target === undefined) return renderOrgPage(c, deps, "编辑成员", <p class="alert alert-error" role="alert">成员不存在或无权访问</p>, 404)
    const values = form.values ?? { department: target.member.department ?? "", branchId: target.member.branchId }
    return renderOrgPage(c, deps, "编辑成员", (
      <EditMemberPage csrf={csrf(c)} enterpriseId={eid(c)} member={target} branches={branches.filter(where(c, "member.edit"))} values={values}
        roles={form.roles ?? target.member.roles} permissions={form.permissions ?? target.member.permissions ?? DEFAULT_AGENT_PERMISSIONS} errors={form.errors} />
    ), status)
  }
  app.get("/members/:userId/edit", requireCan(deps, "member.edit", targetResource), (c) => editPage(c))
  app.post("/members/:userId/edit", requireCan(deps, "member.edit", targetResource), async (c) => {
    const body = await c.req.parseBody({ all: true })
    const values = formValues(body)
    const roles = asArray(body.roles)
    // The checkboxes were on the page: none checked means none (not "unchanged").
    const permissions = body.permissionsShown === "1" ? asArray(body.permissions) : undefined
    const form = decodeForm(EditBody, { department: emptyToNull(body.department ?? ""), roles, branchId: body.branchId, ...(permissions === undefined ? {} : { permissions }) })
    if (!form.ok) return editPage(c, { values, roles, ...(permissions === undefined ? {} : { permissions }), errors: translate(form.errors) }, 422)
    const r = await attempt(deps.exit, editMember(userId(c), eid(c), c.req.param("userId"), form.value))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return editPage(c, { values, roles, ...(permissions === undefined ? {} : { permissions }), errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, "/members?done=edited"), 303)
  })
  app.post("/members/:userId/deactivate", requireCan(deps, "member.deactivate", targetResource), async (c) => {
    const r = await attempt(deps.exit, deactivateMember(userId(c), eid(c), c.req.param("userId")))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return membersPage(c, { errors: { _form: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, "/members?done=deactivated"), 303)
  })

  // 签署人 (E3).
  const signatoriesPage = async (c: OrgContext, form: { values?: Values; errors?: Record<string, string> } = {}, status: Status = 200) => {
    const { members, branches, invitations, invitees } = await deps.run(memberList(userId(c), eid(c)))
    return renderOrgPage(c, deps, "签署人", (
      <SignatoriesPage csrf={csrf(c)} enterpriseId={eid(c)} signatories={members.filter((m) => m.member.roles.includes("signatory"))} branches={branches}
        invitations={invitations} invitees={invitees} addTo={branches.filter(where(c, "member.add"))} canWithdraw={canWithdraw(c)} notice={noticeOf(c)} {...form} />
    ), status)
  }
  app.get("/signatories", requireCan(deps, "member.view"), (c) => signatoriesPage(c))
  app.post("/signatories/invite", requireCan(deps, "member.add"), (c) => invite(c, "signatory", "/signatories?done=invited", signatoriesPage))

  // 撤回邀请, from either list of pending invitations; the use case checks the invitation's branch and role.
  app.post("/invitations/:id/withdraw", requireCan(deps, "member.view"), async (c) => {
    const form = decodeForm(WithdrawBody, await c.req.parseBody())
    const back = form.ok ? form.value.back : "members"
    const again = back === "members" ? membersPage : signatoriesPage
    const id = Schema.decodeUnknownOption(InvitationId)(c.req.param("id"))
    if (!form.ok || Option.isNone(id)) return again(c, { errors: { _form: "请求无效，请刷新页面后重试" } }, 400)
    const r = await attempt(deps.exit, withdrawInvitation(userId(c), eid(c), id.value))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return again(c, { errors: { _form: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, `/${back}?done=withdrawn`), 303)
  })

  // 分公司 (E4).
  const branchesPage = async (c: OrgContext, form: { values?: Values; errors?: Record<string, string>; appointValues?: Values; appointErrors?: Record<string, string> } = {}, status: Status = 200) => {
    const { branches } = await deps.run(visibleBranchList(userId(c), eid(c)))
    const canView = orgCan(c, "member.view")
    const admins = canView ? (await deps.run(memberList(userId(c), eid(c)))).members.filter((m) => m.member.active && m.member.roles.includes("branchAdmin")) : []
    return renderOrgPage(c, deps, "分公司", (
      <BranchesPage csrf={csrf(c)} enterpriseId={eid(c)} branches={branches} branchAdmins={admins} createUnder={branches.filter(where(c, "branch.create"))}
        appointAt={branches.filter((b) => b.parentId !== null && where(c, "branchAdmin.appoint")(b))} notice={noticeOf(c)} {...form} />
    ), status)
  }
  app.get("/branches", requireCan(deps, "enterprise.view"), (c) => branchesPage(c))
  app.post("/branches", requireCan(deps, "branch.create"), async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const form = decodeForm(BranchBody, body)
    if (!form.ok) return branchesPage(c, { values, errors: translate(form.errors) }, 422)
    const r = await attempt(deps.exit, createBranch(userId(c), eid(c), form.value.name, form.value.parentId))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return branchesPage(c, { values, errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, "/branches?done=branch"), 303)
  })
  app.post("/branches/admins", requireCan(deps, "branchAdmin.appoint"), (c) =>
    invite(c, "branchAdmin", "/branches?done=invited", (c2, form, status) => branchesPage(c2, { appointValues: form.values, appointErrors: form.errors }, status)))

  // 更换管理员 (E1): step 1 code + request, step 2 waiting (cancel).
  const handoverPage = async (c: OrgContext, form: { values?: Values; errors?: Record<string, string>; codeStatus?: { message: string; ok: boolean; cooldown?: number } } = {}, status: Status = 200) => {
    const { pending } = await deps.run(handoverStatus(userId(c), eid(c)))
    const me = await deps.run(UserRepository.use((r) => r.findById(userId(c) as UserId)))
    const to = Option.isSome(pending) ? await deps.run(UserRepository.use((r) => r.findById(pending.value.toUserId))) : Option.none()
    return renderOrgPage(c, deps, "更换管理员", (
      <HandoverPage csrf={csrf(c)} enterpriseId={eid(c)} adminMobile={Option.match(me, { onNone: () => "", onSome: (u) => u.mobile })}
        pending={Option.getOrNull(pending)} toName={Option.match(to, { onNone: () => null, onSome: (u) => `${u.name ?? ""} ${u.mobile}`.trim() })}
        notice={noticeOf(c)} {...form} />
    ), status)
  }
  const admin = requireCan(deps, "enterprise.handover", (c) => headOffice(currentScope(c)))
  app.get("/handover", admin, (c) => handoverPage(c))
  app.post("/handover/code", admin, async (c) => {
    const body = await c.req.parseBody()
    const reply = (codeStatus: { message: string; ok: boolean; cooldown?: number }, status: 200 | 400 | 409 | 429 | 502, errors?: Record<string, string>) =>
      isHtmx(c) ? c.html(<CodeStatus {...codeStatus} />, status) : handoverPage(c, { values: formValues(body), codeStatus, ...(errors === undefined ? {} : { errors }) }, status)
    const form = decodeForm(CodeBody, body)
    if (!form.ok) return reply({ message: "请先输入新管理员的手机号", ok: false }, 400)
    const wait = await deps.limits.sms.hit(deps.clientAddress(c))
    if (wait > 0) return reply({ message: `请求过于频繁，请 ${wait} 秒后再试`, ok: false, cooldown: wait }, 429)
    const r = await attempt(deps.exit, requestHandoverCode(userId(c), eid(c), form.value.mobile))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      const cooldown = r.error._tag === "OtpSendTooSoon" ? r.error.retryAfterSeconds : undefined
      return reply({ message: d.message, ok: false, ...(cooldown === undefined ? {} : { cooldown }) }, d.status as 400 | 409 | 429 | 502)
    }
    return reply({ message: "验证码已发送至管理员手机，5 分钟内有效", ok: true, cooldown: r.value.resendAfterSeconds }, 200)
  })
  app.post("/handover", admin, async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const form = decodeForm(HandoverBody, body)
    if (!form.ok) return handoverPage(c, { values, errors: translate(form.errors) }, 422)
    const r = await attempt(deps.exit, requestHandover(userId(c), eid(c), form.value.mobile, form.value.code))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return handoverPage(c, { values, errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, "/handover?done=requested"), 303)
  })
  app.post("/handover/cancel", admin, async (c) => {
    const r = await attempt(deps.exit, cancelHandover(userId(c), eid(c)))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return handoverPage(c, { errors: { _form: d.message } }, d.status)
    }
    return c.redirect(orgHref(c, "/handover?done=cancelled"), 303)
  })

  return app
}
