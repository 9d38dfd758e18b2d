import type { Enterprise } from "../../../core/organizations/Enterprise.ts"
import { ROLE_NAMES, type Branch, type HandoverRequest, type Invitation } from "../../../core/organizations/Organization.ts"
import type { Member, Role } from "../../../core/organizations/permissions.ts"
import type { InboxItem } from "../../../core/organizations/workspace.ts"
import { CsrfInput, Notice, PostButton } from "../../platform/views/form.tsx"
import { zhDateTime } from "../../../core/kernel/time.ts"

export const ROLE_LABELS: Record<Role, string> = ROLE_NAMES

export const date = zhDateTime

export const RoleBadges = (p: { roles: ReadonlyArray<Role>; active?: boolean | undefined }) => (
  <span>{p.roles.map((r) => <span class={`role${r === "admin" ? " role-admin" : ""}${p.active === false ? " role-inactive" : ""}`}>{ROLE_LABELS[r]}</span>)}</span>
)

/** 企业信息: the enterprise as verified, its admin, the viewer's place in it. */
export const EnterpriseInfoPage = (p: {
  enterprise: Enterprise
  adminName: string
  me: Member
  myBranch: string
  canHandover: boolean
  notice?: string | undefined
}) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <div class="org-head">
        <h2 class="card-title">{p.enterprise.name} <span class="badge badge-ok">已认证</span></h2>
        {p.canHandover ? <a class="btn btn-secondary" href={`/org/${p.enterprise.id}/handover`}>更换管理员</a> : null}
      </div>
      <dl class="facts">
        <dt>企业名称</dt><dd>{p.enterprise.name}</dd>
        <dt>统一社会信用代码</dt><dd class="mono">{p.enterprise.creditCode}</dd>
        <dt>法定代表人/负责人</dt><dd>{p.enterprise.legalRepresentative}</dd>
        <dt>企业注册地址</dt><dd>{p.enterprise.address}</dd>
        <dt>联系电话</dt><dd>{p.enterprise.contactPhone}</dd>
        <dt>企业邮箱</dt><dd>{p.enterprise.email}</dd>
        <dt>企业管理员</dt><dd>{p.adminName}</dd>
        <dt>认证时间</dt><dd>{date(p.enterprise.createdAt)}</dd>
      </dl>
    </section>
    <section class="card">
      <h2 class="card-title">我在本企业</h2>
      <dl class="facts">
        <dt>角色</dt><dd><RoleBadges roles={p.me.roles} /></dd>
        <dt>所属</dt><dd>{p.myBranch}</dd>
      </dl>
    </section>
  </div>
)

const inviteText = (i: InboxItem<Invitation>) => `${i.enterprise.name}${i.branch === undefined || i.branch.parentId === null ? "" : ` · ${i.branch.name}`}`

/**
 * 切换到企业用户: the user's enterprises, and what waits for their answer
 * (invitations to join, requests to take over as admin).
 */
export const OrgChooserPage = (p: {
  csrf: string
  enterprises: ReadonlyArray<{ readonly enterprise: Enterprise; readonly member: Member }>
  invitations: ReadonlyArray<InboxItem<Invitation>>
  handovers: ReadonlyArray<InboxItem<HandoverRequest>>
  notice?: string | undefined
  error?: string | undefined
}) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    {p.error === undefined ? null : <div class="alert alert-error" role="alert">{p.error}</div>}
    {p.invitations.length + p.handovers.length === 0 ? null : (
      <section class="card" id="inbox">
        <h2 class="card-title">企业邀请</h2>
        <div class="table-wrap">
          <table class="table table-stack">
            <thead><tr><th>企业</th><th>邀请您成为</th><th>时间</th><th>操作</th></tr></thead>
            <tbody>
              {p.handovers.map((h) => (
                <tr>
                  <td data-label="企业">{h.enterprise.name}</td>
                  <td data-label="邀请您成为"><span class="role role-admin">企业管理员</span></td>
                  <td data-label="时间">{date(h.item.createdAt)}（{date(h.item.expiresAt)} 前有效）</td>
                  <td data-label="操作"><a href={`/org/handovers/${h.item.id}`}>查看并确认</a></td>
                </tr>
              ))}
              {p.invitations.map((i) => (
                <tr>
                  <td data-label="企业">{inviteText(i)}</td>
                  <td data-label="邀请您成为"><span class="role">{ROLE_LABELS[i.item.role]}</span>{i.item.department === null ? null : <span class="muted">（{i.item.department}）</span>}</td>
                  <td data-label="时间">{date(i.item.createdAt)}</td>
                  <td data-label="操作"><div class="row-actions">
                    <PostButton action={`/org/invitations/${i.item.id}/accept`} csrf={p.csrf} label="接受" />
                    <PostButton action={`/org/invitations/${i.item.id}/decline`} csrf={p.csrf} label="拒绝" variant="danger" confirm="拒绝这个邀请？" />
                  </div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    )}
    <section class="card">
      <h2 class="card-title">我的企业</h2>
      {p.enterprises.length === 0
        ? <p class="empty">您还不是任何企业的成员。完成<a href="/verification/enterprise">企业认证</a>后成为企业管理员，或接受企业的邀请。</p>
        : (
          <div class="tiles">
            {p.enterprises.map((e) => (
              <a class="tile" href={`/org/${e.enterprise.id}`}>
                <strong>{e.enterprise.name}</strong>
                <span><RoleBadges roles={e.member.roles} /></span>
              </a>
            ))}
          </div>
        )}
    </section>
  </div>
)

/** E1 step 3 for the new admin: what they take over, accept. */
export const HandoverAcceptPage = (p: { csrf: string; request: HandoverRequest; enterprise: Enterprise; fromName: string; error?: string | undefined }) => (
  <div class="stack">
    <ol class="wizard" aria-label="更换管理员">
      <li class="done">1 主观意愿验证</li>
      <li class="done">2 发送信息给新管理员</li>
      <li class="current">3 新管理员确认</li>
    </ol>
    {p.error === undefined ? null : <div class="alert alert-error" role="alert">{p.error}</div>}
    <section class="card narrow">
      <h2 class="card-title">接任企业管理员</h2>
      <dl class="facts">
        <dt>企业</dt><dd>{p.enterprise.name}</dd>
        <dt>统一社会信用代码</dt><dd class="mono">{p.enterprise.creditCode}</dd>
        <dt>现任管理员</dt><dd>{p.fromName}</dd>
        <dt>有效期至</dt><dd>{date(p.request.expiresAt)}</dd>
      </dl>
      <p class="hint">接受后您将成为该企业的管理员（可管理成员、分公司与印章），并保留您在该企业已有的其他角色；原管理员保留其其他角色（没有其他角色的成为经办人）。</p>
      {p.request.status === "pending"
        ? (
          <form method="post" action={`/org/handovers/${p.request.id}/accept`}>
            <CsrfInput token={p.csrf} />
            <button class="btn btn-primary" type="submit">接受并成为管理员</button>
          </form>
        )
        : null}
    </section>
  </div>
)

export const branchName = (branches: ReadonlyArray<Branch>, id: string) => branches.find((b) => b.id === id)?.name ?? "—"
