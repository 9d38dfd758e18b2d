import type { Child } from "hono/jsx"
import type { Branch, MemberView } from "../../../core/organizations/Organization.ts"
import { CsrfInput, Field, FormError, Notice, type Errors, type Values } from "../../platform/views/form.tsx"
import { BranchSelect, InviteForm } from "./organizationMembers.tsx"

const Tree = (p: { branches: ReadonlyArray<Branch>; parent: string | null; admins: ReadonlyArray<MemberView> }): Child => {
  const children = p.branches.filter((b) => p.parent === null ? !p.branches.some((x) => x.id === b.parentId) : b.parentId === p.parent)
  if (children.length === 0) return null
  return (
    <ul class="tree">
      {children.map((b) => {
        const admins = p.admins.filter((m) => m.member.branchId === b.id)
        return (
          <li data-branch={b.id}>
            <strong>{b.name}</strong>
            {admins.length === 0 ? null : <span class="muted"> · 分公司管理员：{admins.map((a) => a.name ?? a.mobile).join("、")}</span>}
            <Tree branches={p.branches} parent={b.id} admins={p.admins} />
          </li>
        )
      })}
    </ul>
  )
}

/** E4 分公司: the tree the viewer sees, new branches, appointing branch admins. */
export const BranchesPage = (p: {
  csrf: string
  enterpriseId: string
  branches: ReadonlyArray<Branch>
  branchAdmins: ReadonlyArray<MemberView>
  /** Branches under which the viewer may create one (empty: no form). */
  createUnder: ReadonlyArray<Branch>
  /** Branches the viewer may appoint a branch admin for. */
  appointAt: ReadonlyArray<Branch>
  values?: Values | undefined
  errors?: Errors | undefined
  appointValues?: Values | undefined
  appointErrors?: Errors | undefined
  notice?: string | undefined
}) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">组织架构</h2>
      <Tree branches={p.branches} parent={null} admins={p.branchAdmins} />
    </section>
    {p.createUnder.length === 0 ? null : (
      <section class="card">
        <h2 class="card-title">新建分公司</h2>
        <form method="post" action={`/org/${p.enterpriseId}/branches`} class="form" novalidate>
          <CsrfInput token={p.csrf} />
          <FormError errors={p.errors ?? {}} />
          <div class="grid-2 tight">
            <Field name="name" label="分公司名称" maxlength={40} placeholder="如：上海分公司" values={p.values} errors={p.errors} />
            <BranchSelect name="parentId" label="上级" branches={p.createUnder} selected={p.values?.parentId} errors={p.errors} />
          </div>
          <div><button class="btn btn-primary" type="submit">新建分公司</button></div>
        </form>
      </section>
    )}
    {p.appointAt.length === 0 ? null : (
      <InviteForm csrf={p.csrf} action={`/org/${p.enterpriseId}/branches/admins`} title="设置分公司管理员" button="发送邀请" branches={p.appointAt} withDepartment={false}
        values={p.appointValues} errors={p.appointErrors} hint="分公司管理员自主管理本分公司的印章、设置本分公司经办人，看不到其他分公司的信息；对方确认后生效。" />
    )}
  </div>
)
