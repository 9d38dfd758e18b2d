import { AGENT_PERMISSIONS } from "../../../core/organizations/permissions.ts"
import { AGENT_PERMISSION_NAMES } from "../../../core/organizations/Organization.ts"
import { INVITATION_TTL_MS, type Branch, type Invitation, type MemberView } from "../../../core/organizations/Organization.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { branchName, date, RoleBadges, ROLE_LABELS } from "./organization.tsx"

export interface MembersPageProps {
  readonly csrf: string
  readonly enterpriseId: string
  readonly enterpriseName: string
  readonly me: string
  readonly members: ReadonlyArray<MemberView>
  readonly branches: ReadonlyArray<Branch>
  readonly invitations: ReadonlyArray<Invitation>
  readonly invitees: Invitees
  /** Which rows the viewer may edit / deactivate (can() per member's branch). */
  readonly canEdit: (m: MemberView) => boolean
  readonly canDeactivate: (m: MemberView) => boolean
  /** Which pending invitations the viewer may withdraw (who may send them in their branch). */
  readonly canWithdraw: (i: Invitation) => boolean
  /** Branches the viewer may add members to (empty: no 添加 form). */
  readonly addTo: ReadonlyArray<Branch>
  readonly values?: Values | undefined
  readonly errors?: Errors | undefined
  readonly notice?: string | undefined
}

export const BranchSelect = (p: { name: string; label: string; branches: ReadonlyArray<Branch>; selected?: string | undefined; errors?: Errors | undefined }) => {
  const error = p.errors?.[p.name]
  return (
    <div class={`field${error === undefined ? "" : " has-error"}`}>
      <label for={`f-${p.name}`}>{p.label}</label>
      <select id={`f-${p.name}`} name={p.name}>
        {p.branches.map((b) => <option value={b.id} selected={p.selected === b.id}>{b.name}</option>)}
      </select>
      {error === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{error}</p>}
    </div>
  )
}

/** Who pending invitations are for, by user id. */
export type Invitees = ReadonlyMap<string, { readonly mobile: string; readonly name: string | null }>
const inviteeLabel = (invitees: Invitees, i: Invitation) => {
  const who = invitees.get(i.inviteeUserId)
  return who === undefined ? "—" : who.name === null ? who.mobile : `${who.name}（${who.mobile}）`
}

/** Pending invitations, each with 撤回 where the viewer may withdraw it; `back` is the page to return to. */
const Pending = (p: {
  invitations: ReadonlyArray<Invitation>
  invitees: Invitees
  branches: ReadonlyArray<Branch>
  csrf: string
  enterpriseId: string
  canWithdraw: (i: Invitation) => boolean
  back: "members" | "signatories"
}) =>
  p.invitations.length === 0 ? null : (
    <section class="card">
      <h2 class="card-title">等待确认的邀请</h2>
      <ul class="history" id="pending-invitations">
        {p.invitations.map((i) => (
          <li>
            {inviteeLabel(p.invitees, i)} · {ROLE_LABELS[i.role]} · {branchName(p.branches, i.branchId)} · {date(i.createdAt)} 发出，等待对方在“企业邀请”中确认（{date(i.createdAt + INVITATION_TTL_MS)} 前有效）
            {p.canWithdraw(i)
              ? <PostButton action={`/org/${p.enterpriseId}/invitations/${i.id}/withdraw`} csrf={p.csrf} label="撤回" variant="danger" confirm="撤回这个邀请？" fields={{ back: p.back }} />
              : null}
          </li>
        ))}
      </ul>
    </section>
  )

/** The invite form shared by 添加经办人, 添加签署人 and 设置分公司管理员. */
export const InviteForm = (p: {
  csrf: string
  action: string
  title: string
  button: string
  branches: ReadonlyArray<Branch>
  withDepartment: boolean
  values?: Values | undefined
  errors?: Errors | undefined
  hint: string
}) => (
  <section class="card">
    <h2 class="card-title">{p.title}</h2>
    <form method="post" action={p.action} class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <FormError errors={p.errors ?? {}} />
      <div class="grid-2 tight">
        <Field name="mobile" label="手机号" type="tel" inputmode="numeric" maxlength={11} placeholder="已完成个人实名认证的用户手机号" values={p.values} errors={p.errors} />
        {p.withDepartment ? <Field name="department" label="部门" maxlength={30} placeholder="如：销售部（可不填）" values={p.values} errors={p.errors} /> : null}
        {p.branches.length > 1 || !p.withDepartment
          ? <BranchSelect name="branchId" label="所属" branches={p.branches} selected={p.values?.branchId} errors={p.errors} />
          : <input type="hidden" name="branchId" value={p.branches[0]?.id ?? ""} />}
      </div>
      <p class="hint">{p.hint}</p>
      <div><button class="btn btn-primary" type="submit">{p.button}</button></div>
    </form>
  </section>
)

/** E2 成员信息: 账号, 姓名, 角色, 部门, 操作 (编辑, 注销); 添加经办人. */
export const MembersPage = (p: MembersPageProps) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <div class="org-head">
        <h2 class="card-title">{p.enterpriseName}</h2>
        {p.addTo.length === 0 ? null : <a class="btn btn-secondary" href="#add-agent">添加经办人</a>}
      </div>
      <div class="table-wrap">
        <table class="table table-stack" id="members">
          <thead><tr><th>账号</th><th>姓名</th><th>角色</th><th>所属</th><th>部门</th><th>操作</th></tr></thead>
          <tbody>
            {p.members.map((m) => (
              <tr data-user={m.member.userId}>
                <td data-label="账号" class="mono">{m.mobile}</td>
                <td data-label="姓名">{m.name ?? "—"}{m.member.userId === p.me ? <span class="muted">（我）</span> : null}</td>
                <td data-label="角色">{m.member.active ? <RoleBadges roles={m.member.roles} /> : <span class="badge badge-muted">已注销</span>}</td>
                <td data-label="所属">{branchName(p.branches, m.member.branchId)}</td>
                <td data-label="部门">{m.member.department ?? "—"}</td>
                <td data-label="操作"><div class="row-actions">
                  {m.member.active && p.canEdit(m) ? <a href={`/org/${p.enterpriseId}/members/${m.member.userId}/edit`}>编辑</a> : null}
                  {m.member.active && p.canDeactivate(m) && !m.member.roles.includes("admin")
                    ? <PostButton action={`/org/${p.enterpriseId}/members/${m.member.userId}/deactivate`} csrf={p.csrf} label="注销" variant="danger" confirm={`注销 ${m.name ?? m.mobile}？注销后该成员立即失去本企业的全部权限。`} />
                    : null}
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
    <Pending invitations={p.invitations} invitees={p.invitees} branches={p.branches} csrf={p.csrf} enterpriseId={p.enterpriseId} canWithdraw={p.canWithdraw} back="members" />
    {p.addTo.length === 0 ? null : (
      <div id="add-agent">
        <InviteForm csrf={p.csrf} action={`/org/${p.enterpriseId}/members/invite`} title="添加经办人" button="发送邀请" branches={p.addTo} withDepartment
          values={p.values} errors={p.errors} hint="对方需已完成个人实名认证；对方登录后在“企业邀请”中接受，即成为本企业经办人。" />
      </div>
    )}
  </div>
)

/** E2 编辑: department, roles (permissions), branch. */
export const EditMemberPage = (p: {
  csrf: string
  enterpriseId: string
  member: MemberView
  branches: ReadonlyArray<Branch>
  values: Values
  roles: ReadonlyArray<string>
  /** The agent's permissions as checked (stored, or as just submitted). */
  permissions: ReadonlyArray<string>
  errors?: Errors | undefined
}) => {
  const isAdmin = p.member.member.roles.includes("admin")
  const isSignatory = p.member.member.roles.includes("signatory")
  return (
    <section class="card narrow">
      <h2 class="card-title">{p.member.name ?? p.member.mobile} <span class="muted mono">{p.member.mobile}</span></h2>
      <form method="post" action={`/org/${p.enterpriseId}/members/${p.member.member.userId}/edit`} class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={p.errors ?? {}} />
        <Field name="department" label="部门" maxlength={30} values={p.values} errors={p.errors} />
        <fieldset class="field">
          <label>角色与权限</label>
          <div class="checks">
            {isAdmin ? <span class="role role-admin">管理员（通过“更换管理员”移交）</span> : null}
            <label class="check"><input type="checkbox" name="roles" value="agent" checked={p.roles.includes("agent")} />经办人（发起合同、使用授权的印章）</label>
            <label class="check"><input type="checkbox" name="roles" value="branchAdmin" checked={p.roles.includes("branchAdmin")} />分公司管理员（管理本分公司的印章与经办人）</label>
            {isSignatory ? <label class="check"><input type="checkbox" name="roles" value="signatory" checked={p.roles.includes("signatory")} />有权签字人</label> : null}
          </div>
          {p.errors?.roles === undefined ? null : <p class="field-error" id="f-roles-error">{p.errors.roles}</p>}
        </fieldset>
        <fieldset class="field" id="agent-permissions">
          <legend>经办人权限</legend>
          <input type="hidden" name="permissionsShown" value="1" />
          <div class="checks">
            {AGENT_PERMISSIONS.map((perm) => (
              <label class="check"><input type="checkbox" name="permissions" value={perm} checked={p.permissions.includes(perm)} />{AGENT_PERMISSION_NAMES[perm]}</label>
            ))}
          </div>
          <p class="hint">仅对经办人角色生效；管理员、分公司管理员和有权签字人的其他角色不受影响。</p>
        </fieldset>
        {isAdmin ? null : <BranchSelect name="branchId" label="所属" branches={p.branches} selected={p.values.branchId} errors={p.errors} />}
        <div class="row-actions">
          <button class="btn btn-primary" type="submit">保存</button>
          <a class="btn btn-ghost" href={`/org/${p.enterpriseId}/members`}>取消</a>
        </div>
      </form>
    </section>
  )
}

/** E3 签署人: the enterprise's authorized signatories; link one by invitation. */
export const SignatoriesPage = (p: {
  csrf: string
  enterpriseId: string
  signatories: ReadonlyArray<MemberView>
  branches: ReadonlyArray<Branch>
  invitations: ReadonlyArray<Invitation>
  invitees: Invitees
  addTo: ReadonlyArray<Branch>
  canWithdraw: (i: Invitation) => boolean
  values?: Values | undefined
  errors?: Errors | undefined
  notice?: string | undefined
}) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">有权签字人</h2>
      <p class="hint">有权签字人即有签署合同权限的部门负责人或主要负责人，可以在企业工作台管理个人签章，并可将签章授权给经办人使用。</p>
      {p.signatories.length === 0 ? <p class="empty">暂无有权签字人</p> : (
        <div class="table-wrap">
          <table class="table table-stack" id="signatories">
            <thead><tr><th>账号</th><th>姓名</th><th>所属</th><th>部门</th><th>状态</th></tr></thead>
            <tbody>
              {p.signatories.map((m) => (
                <tr>
                  <td data-label="账号" class="mono">{m.mobile}</td>
                  <td data-label="姓名">{m.name ?? "—"}</td>
                  <td data-label="所属">{branchName(p.branches, m.member.branchId)}</td>
                  <td data-label="部门">{m.member.department ?? "—"}</td>
                  <td data-label="状态">{m.member.active ? <span class="badge badge-ok">有效</span> : <span class="badge badge-muted">已注销</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
    <Pending invitations={p.invitations.filter((i) => i.role === "signatory")} invitees={p.invitees} branches={p.branches} csrf={p.csrf} enterpriseId={p.enterpriseId}
      canWithdraw={p.canWithdraw} back="signatories" />
    {p.addTo.length === 0 ? null : (
      <InviteForm csrf={p.csrf} action={`/org/${p.enterpriseId}/signatories/invite`} title="添加签署人" button="发送邀请" branches={p.addTo} withDepartment
        values={p.values} errors={p.errors} hint="对方需已完成个人实名认证；对方确认后成为本企业的有权签字人。" />
    )}
  </div>
)
