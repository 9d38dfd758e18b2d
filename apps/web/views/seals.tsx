import type { Branch, MemberView } from "../../../core/organizations/Organization.ts"
import { SEAL_TYPES, type Seal, type SealGrant, type SealType } from "../../../core/seals/sealsModel.ts"
import type { SealsOverview } from "../../../core/seals/sealsPages.ts"
import type { UsageEntry } from "../../../core/seals/usageLog.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { zhDateTime } from "../../../core/kernel/time.ts"

export const dateTime = zhDateTime

const StateBadge = (p: { enabled: boolean }) =>
  p.enabled ? <span class="badge badge-ok">启用</span> : <span class="badge badge-muted">停用</span>

export const SealImage = (p: { src: string; size: number; alt: string }) =>
  <img src={p.src} alt={p.alt} width={p.size} height={p.size} style="object-fit: contain; vertical-align: middle" />

const FieldError = (p: { errors: Errors; name: string }) =>
  p.errors[p.name] === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{p.errors[p.name]}</p>

/** 添加印章: generated (default) or uploaded; the name defaults to the type's. */
const AddSealForm = (p: { csrf: string; base: string; creatable: ReadonlyArray<Branch>; values: Values; errors: Errors }) => {
  const type = (p.values.type ?? "contract") as SealType
  const source = p.values.source ?? "generate"
  return (
    <section class="card">
      <h2 class="card-title">添加印章</h2>
      <form method="post" action={`${p.base}/seals`} enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <div class={`field${p.errors.type === undefined ? "" : " has-error"}`}>
          <label for="f-type">印章类型</label>
          <select id="f-type" name="type">
            {Object.entries(SEAL_TYPES).map(([k, v]) => <option value={k} selected={k === type}>{v.label}</option>)}
          </select>
          <FieldError errors={p.errors} name="type" />
        </div>
        <Field name="name" label="印章名称" values={{ name: p.values.name ?? SEAL_TYPES[type].label }} errors={p.errors} maxlength={30} hint="如：合同专用章，2-30 个字" />
        <div class={`field${p.errors.branchId === undefined ? "" : " has-error"}`}>
          <label for="f-branchId">所属机构</label>
          <select id="f-branchId" name="branchId">
            {p.creatable.map((b) => <option value={b.id} selected={b.id === p.values.branchId}>{b.name}</option>)}
          </select>
          <FieldError errors={p.errors} name="branchId" />
        </div>
        <fieldset class={`field${p.errors.source === undefined ? "" : " has-error"}`}>
          <legend>印章图片</legend>
          <label><input type="radio" name="source" value="generate" checked={source === "generate"} /> 系统生成标准圆形印章（企业名称环绕五角星）</label>
          <label><input type="radio" name="source" value="upload" checked={source === "upload"} /> 上传印章图片（白色背景将自动去除）</label>
          <FieldError errors={p.errors} name="source" />
        </fieldset>
        <div class={`field${p.errors.image === undefined ? "" : " has-error"}`}>
          <label for="f-image">印章图片文件</label>
          <input id="f-image" name="image" type="file" accept="image/png,image/jpeg" />
          {p.errors.image === undefined ? <p class="hint">PNG 或 JPG，不超过 5 MB；仅在选择“上传印章图片”时需要</p> : <FieldError errors={p.errors} name="image" />}
        </div>
        <button class="btn btn-primary" type="submit">添加印章</button>
      </form>
    </section>
  )
}

/** E5 印章管理: the seals of the actor's branches, and the form to add one. */
export const SealsPage = (p: { csrf: string; base: string; overview: SealsOverview; values?: Values; errors?: Errors; notice?: string | undefined }) => {
  const branchName = (id: string) => p.overview.branches.find((b) => b.id === id)?.name ?? ""
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <FormError errors={p.errors ?? {}} />
      <section class="card">
        <h2 class="card-title">印章列表 <span class="muted">（共 {p.overview.rows.length} 枚）</span></h2>
        <p><a href={`${p.base}/seals/auto-sign`}>自动签署授权</a> <span class="muted">（对接系统经开放接口以印章自动签署）</span></p>
        {p.overview.rows.length === 0 ? <p class="empty">暂无印章</p> : (
          <div class="table-wrap">
            <table class="table table-stack">
              <thead><tr><th>印章</th><th>印章名称</th><th>类型</th><th>所属机构</th><th>状态</th><th>授权使用人</th><th>操作</th></tr></thead>
              <tbody>
                {p.overview.rows.map(({ seal, grantees }) => (
                  <tr>
                    <td data-label="印章"><SealImage src={`${p.base}/seals/${seal.id}/image.png`} size={64} alt={seal.name} /></td>
                    <td data-label="印章名称"><a href={`${p.base}/seals/${seal.id}`}>{seal.name}</a></td>
                    <td data-label="类型">{SEAL_TYPES[seal.type].label}</td>
                    <td data-label="所属机构">{branchName(seal.branchId)}</td>
                    <td data-label="状态"><StateBadge enabled={seal.enabled} /></td>
                    <td data-label="授权使用人">{grantees.length === 0 ? <span class="muted">未授权</span> : grantees.map((u) => p.overview.names.get(u) ?? u).join("、")}</td>
                    <td data-label="操作"><div class="row-actions">
                      <a href={`${p.base}/seals/${seal.id}`}>管理</a>
                      {p.overview.manageable.has(seal.id)
                        ? <PostButton action={`${p.base}/seals/${seal.id}/${seal.enabled ? "disable" : "enable"}`} csrf={p.csrf} label={seal.enabled ? "停用" : "启用"} variant={seal.enabled ? "danger" : "link"} confirm={seal.enabled ? `停用“${seal.name}”？停用后任何人都不能使用` : undefined} />
                        : null}
                    </div></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {p.overview.creatable.length === 0 ? null : <AddSealForm csrf={p.csrf} base={p.base} creatable={p.overview.creatable} values={p.values ?? {}} errors={p.errors ?? {}} />}
    </div>
  )
}

/** E7 使用记录: who used it, on behalf of whom, when, for which contract, under which delegation. */
export const UsageLog = (p: { usages: ReadonlyArray<UsageEntry>; names: ReadonlyMap<string, string>; enterpriseName: string }) =>
  p.usages.length === 0 ? <p class="empty">暂无使用记录</p> : (
    <div class="table-wrap">
      <table class="table table-stack usage-log">
        <thead><tr><th>使用时间</th><th>使用人</th><th>代表</th><th>合同编号</th><th>授权记录</th></tr></thead>
        <tbody>
          {p.usages.map((u) => (
            <tr>
              <td data-label="使用时间">{dateTime(u.at)}</td>
              <td data-label="使用人">{p.names.get(u.actorUserId) ?? u.actorUserId}{u.autoSignId === undefined ? "" : "（接口自动签署）"}</td>
              <td data-label="代表">{u.signatoryUserId === null ? p.enterpriseName : (p.names.get(u.signatoryUserId) ?? u.signatoryUserId)}</td>
              <td data-label="合同编号" class="mono">{u.contractId}</td>
              <td data-label="授权记录" class="mono">{u.delegationId ?? (u.autoSignId === undefined ? "—" : `自动签署授权 ${u.autoSignId}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )

/** A seal's page: the seal, who may use it (authorize, revoke), and every use of it. */
export const SealPage = (p: {
  csrf: string
  base: string
  enterpriseName: string
  seal: Seal
  branchName: string
  grants: ReadonlyArray<SealGrant>
  usages: ReadonlyArray<UsageEntry>
  names: ReadonlyMap<string, string>
  grantable: ReadonlyArray<MemberView>
  mayAuthorize: boolean
  mayDisable: boolean
  errors?: Errors | undefined
  notice?: string | undefined
}) => {
  const errors = p.errors ?? {}
  const s = p.seal
  const name = (id: string) => p.names.get(id) ?? id
  return (
    <div class="stack">
      <p><a href={`${p.base}/seals`}>← 返回印章列表</a></p>
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <FormError errors={errors} />
      <section class="card">
        <h2 class="card-title">{s.name} <StateBadge enabled={s.enabled} /></h2>
        <div class="detail-head">
          <SealImage src={`${p.base}/seals/${s.id}/image.png`} size={160} alt={s.name} />
          <dl class="facts">
            <dt>印章类型</dt><dd>{SEAL_TYPES[s.type].label}</dd>
            <dt>所属机构</dt><dd>{p.branchName}</dd>
            <dt>来源</dt><dd>{s.source === "generated" ? "系统生成" : "上传图片"}</dd>
            <dt>证书序列号</dt><dd class="mono">{s.certificateSerial}</dd>
            <dt>创建人</dt><dd>{name(s.createdBy)}</dd>
            <dt>创建时间</dt><dd>{dateTime(s.createdAt)}</dd>
          </dl>
        </div>
        {p.mayDisable
          ? <PostButton action={`${p.base}/seals/${s.id}/${s.enabled ? "disable" : "enable"}`} csrf={p.csrf} label={s.enabled ? "停用印章" : "启用印章"} variant="ghost" />
          : null}
      </section>
      <section class="card">
        <h2 class="card-title">授权使用人</h2>
        {p.grants.length === 0 ? <p class="empty">尚未授权任何成员</p> : (
          <div class="table-wrap">
            <table class="table table-stack">
              <thead><tr><th>成员</th><th>授权时间</th><th>状态</th><th>操作</th></tr></thead>
              <tbody>
                {p.grants.map((g) => (
                  <tr>
                    <td data-label="成员">{name(g.userId)}</td>
                    <td data-label="授权时间">{dateTime(g.grantedAt)}</td>
                    <td data-label="状态">{g.revokedAt === null ? <span class="badge badge-ok">有效</span> : <span class="badge badge-muted">已取消 {dateTime(g.revokedAt)}</span>}</td>
                    <td data-label="操作">{g.revokedAt === null && p.mayAuthorize
                      ? <PostButton action={`${p.base}/seals/${s.id}/grants/${g.userId}/revoke`} csrf={p.csrf} label="取消授权" variant="danger" confirm={`取消 ${name(g.userId)} 的授权？`} />
                      : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {p.mayAuthorize ? (
          <form method="post" action={`${p.base}/seals/${s.id}/grants`} class="form compact" novalidate>
            <CsrfInput token={p.csrf} />
            <div class={`field${errors.userId === undefined ? "" : " has-error"}`}>
              <label for="f-userId">授权给</label>
              <select id="f-userId" name="userId">
                {p.grantable.map((m) => <option value={m.member.userId}>{m.name ?? m.mobile}（{m.mobile}）</option>)}
              </select>
              <FieldError errors={errors} name="userId" />
            </div>
            <button class="btn btn-secondary" type="submit" disabled={p.grantable.length === 0}>授权</button>
          </form>
        ) : null}
      </section>
      <section class="card">
        <h2 class="card-title">使用记录</h2>
        <p class="seal-created">{dateTime(s.createdAt)} 由 {name(s.createdBy)} 创建（{s.source === "generated" ? "系统生成" : "上传图片"}），已签发企业证书</p>
        <UsageLog usages={p.usages} names={p.names} enterpriseName={p.enterpriseName} />
      </section>
    </div>
  )
}
