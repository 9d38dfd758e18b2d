import { Option } from "effect"
import type { Branch, MemberView } from "../../../core/organizations/Organization.ts"
import type { Delegation, Signature } from "../../../core/seals/signaturesModel.ts"
import type { UsageEntry } from "../../../core/seals/usageLog.ts"
import { CsrfInput, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { dateTime, UsageLog } from "./seals.tsx"

export interface SignaturesView {
  readonly own: { readonly signature: Option.Option<Signature>; readonly delegations: ReadonlyArray<Delegation>; readonly usages: ReadonlyArray<UsageEntry> } | null
  readonly agents: ReadonlyArray<MemberView>
  readonly branches: ReadonlyArray<Branch>
  readonly names: ReadonlyMap<string, string>
  readonly toMe: ReadonlyArray<Delegation>
}

const FieldError = (p: { errors: Errors; name: string }) =>
  p.errors[p.name] === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{p.errors[p.name]}</p>

/** A delegation's state now: 有效 / 未生效 / 已过期 / 已撤销. */
const state = (d: Delegation, now: number) =>
  d.revokedAt !== null ? <span class="badge badge-muted">已撤销</span>
  : d.validUntil !== null && now >= d.validUntil ? <span class="badge badge-muted">已过期</span>
  : now < d.validFrom ? <span class="badge badge-warn">未生效</span>
  : <span class="badge badge-ok">有效</span>

const scopeLabel = (d: Delegation, branches: ReadonlyArray<Branch>) =>
  d.branchId === null ? "全部合同" : `${branches.find((b) => b.id === d.branchId)?.name ?? "分公司"}的合同`

/** How a signature was made, as the page says it. */
export const sourceLabel: Record<Signature["source"], string> = { drawn: "手写", uploaded: "上传", stamp: "生成名章" }

/**
 * A canvas to draw a signature with a finger, pen or mouse (static/signature-pad.js: pointer events, touch-action
 * none); the strokes go in the hidden `drawn` field of the enclosing form as a PNG data URL. Hidden until the
 * script runs.
 */
export const SignaturePad = (p: { label: string }) => (
  <div class="field signature-pad" hidden data-signature-pad>
    <label for="signature-canvas">{p.label}</label>
    <canvas id="signature-canvas" width="600" height="200" style="width: 100%; max-width: 600px; height: auto; aspect-ratio: 3 / 1; border: 1px dashed #cfd3d9; border-radius: 8px; background: #fff; touch-action: none" />
    <input type="hidden" name="drawn" value="" />
    <p><button class="btn btn-ghost" type="button" data-signature-clear>清除重写</button></p>
  </div>
)

/** Upload a handwritten signature, or draw one (static/signature-pad.js fills `drawn`; without JS the file works). */
export const SignatureForm = (p: { csrf: string; action: string; errors: Errors }) => (
  <form method="post" action={p.action} enctype="multipart/form-data" class="form" id="signature-form" novalidate>
    <CsrfInput token={p.csrf} />
    <div class={`field${p.errors.image === undefined ? "" : " has-error"}`}>
      <label for="f-image">上传签名图片</label>
      <input id="f-image" name="image" type="file" accept="image/png,image/jpeg" />
      {p.errors.image === undefined ? <p class="hint">白纸黑字拍照或扫描，PNG 或 JPG，不超过 5 MB；白色背景将自动去除</p> : <FieldError errors={p.errors} name="image" />}
    </div>
    <SignaturePad label="或在下方手写签名" />
    <button class="btn btn-primary" type="submit">保存签名</button>
  </form>
)

/** E6 签名管理. */
export const SignaturesPage = (p: {
  csrf: string
  base: string
  now: number
  view: SignaturesView
  values?: Values | undefined
  errors?: Errors | undefined
  notice?: string | undefined
}) => {
  const errors = p.errors ?? {}
  const values = p.values ?? {}
  const v = p.view
  const name = (id: string) => v.names.get(id) ?? id
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <FormError errors={errors} />
      {v.own === null ? (v.toMe.length === 0 ? <p class="empty">只有有权签字人可以管理签名；授权给您的签名会显示在这里。</p> : null) : (
        <>
          <section class="card">
            <h2 class="card-title">我的签名</h2>
            {Option.isSome(v.own.signature) ? (
              <div class="detail-head">
                <img src={`${p.base}/signatures/image.png?v=${v.own.signature.value.id}`} alt="我的签名" style="max-width: 300px; max-height: 120px; background: #fff; border: 1px solid #eceef1; border-radius: 6px" />
                <p class="muted">{sourceLabel[v.own.signature.value.source]}于 {dateTime(v.own.signature.value.createdAt)}</p>
                <PostButton action={`${p.base}/signatures/delete`} csrf={p.csrf} label="删除签名" variant="danger" confirm="删除签名？删除后代理人也无法再使用，直到您重新上传" />
              </div>
            ) : <p class="empty">尚未设置签名</p>}
            <SignatureForm csrf={p.csrf} action={`${p.base}/signatures`} errors={errors} />
          </section>
          <section class="card">
            <h2 class="card-title">授权代理人使用我的签名</h2>
            {v.own.delegations.length === 0 ? <p class="empty">尚未授权</p> : (
              <div class="table-wrap">
                <table class="table table-stack">
                  <thead><tr><th>代理人</th><th>范围</th><th>生效时间</th><th>截止时间</th><th>状态</th><th>操作</th></tr></thead>
                  <tbody>
                    {v.own.delegations.map((d) => (
                      <tr>
                        <td data-label="代理人">{name(d.agentUserId)}</td>
                        <td data-label="范围">{scopeLabel(d, v.branches)}</td>
                        <td data-label="生效时间">{dateTime(d.validFrom)}</td>
                        <td data-label="截止时间">{d.validUntil === null ? "长期" : dateTime(d.validUntil)}</td>
                        <td data-label="状态">{state(d, p.now)}</td>
                        <td data-label="操作">{d.revokedAt === null
                          ? <PostButton action={`${p.base}/signatures/delegations/${d.id}/revoke`} csrf={p.csrf} label="撤销" variant="danger" confirm={`撤销对 ${name(d.agentUserId)} 的授权？`} />
                          : null}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <form method="post" action={`${p.base}/signatures/delegations`} class="form compact" novalidate>
              <CsrfInput token={p.csrf} />
              <div class={`field${errors.agentUserId === undefined ? "" : " has-error"}`}>
                <label for="f-agentUserId">代理人（经办人）</label>
                <select id="f-agentUserId" name="agentUserId">
                  {v.agents.map((m) => <option value={m.member.userId} selected={values.agentUserId === m.member.userId}>{m.name ?? m.mobile}（{m.mobile}）</option>)}
                </select>
                <FieldError errors={errors} name="agentUserId" />
              </div>
              <div class={`field${errors.scope === undefined ? "" : " has-error"}`}>
                <label for="f-scope">授权范围</label>
                <select id="f-scope" name="scope">
                  <option value="all">全部合同</option>
                  {v.branches.map((b) => <option value={b.id} selected={values.scope === b.id}>{b.name}的合同</option>)}
                </select>
                <FieldError errors={errors} name="scope" />
              </div>
              <div class={`field${errors.validFrom === undefined ? "" : " has-error"}`}>
                <label for="f-validFrom">生效时间（不填为立即生效）</label>
                <input id="f-validFrom" name="validFrom" type="datetime-local" value={values.validFrom ?? ""} />
                <FieldError errors={errors} name="validFrom" />
              </div>
              <div class={`field${errors.validUntil === undefined ? "" : " has-error"}`}>
                <label for="f-validUntil">截止时间（不填为长期有效，可随时撤销）</label>
                <input id="f-validUntil" name="validUntil" type="datetime-local" value={values.validUntil ?? ""} />
                <FieldError errors={errors} name="validUntil" />
              </div>
              <button class="btn btn-secondary" type="submit" disabled={v.agents.length === 0}>授权</button>
            </form>
          </section>
          <section class="card">
            <h2 class="card-title">签名使用记录</h2>
            <UsageLog usages={v.own.usages} names={v.names} enterpriseName="" />
          </section>
        </>
      )}
      {v.toMe.length === 0 ? null : (
        <section class="card">
          <h2 class="card-title">授权给我的签名</h2>
          <div class="table-wrap">
            <table class="table table-stack">
              <thead><tr><th>签字人</th><th>范围</th><th>有效期</th><th>状态</th></tr></thead>
              <tbody>
                {v.toMe.map((d) => (
                  <tr>
                    <td data-label="签字人">{name(d.signatoryUserId)}</td>
                    <td data-label="范围">{scopeLabel(d, v.branches)}</td>
                    <td data-label="有效期">{dateTime(d.validFrom)} 至 {d.validUntil === null ? "长期" : dateTime(d.validUntil)}</td>
                    <td data-label="状态">{state(d, p.now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <script src="/static/signature-pad.js" defer></script>
    </div>
  )
}
