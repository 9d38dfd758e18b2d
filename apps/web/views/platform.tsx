import type { InitiatorChoice } from "../../../core/contracts/parties.ts"
import type { ContractTemplate } from "../../../core/contracts/templates.ts"
import { CsrfInput, Field, FormError, type Errors, type Values } from "../../platform/views/form.tsx"

/** The template fields the platform fills in itself: the two sides are the owner and the provider. */
export const SIDE_FIELDS: ReadonlySet<string> = new Set(["partyA", "partyB"])

/**
 * P3 创建合同: the provider (by its registered name), the owner's branch that
 * signs, the contract's name, its document (an upload, or a template filled
 * in here), mode and deadline. Both sides sign with a seal and a signatory's
 * signature.
 */
export const PlatformContractForm = (p: {
  csrf: string
  action: string
  ownerName: string
  branches: ReadonlyArray<InitiatorChoice>
  templates: ReadonlyArray<ContractTemplate>
  values?: Values | undefined
  errors?: Errors | undefined
}) => {
  const v = p.values ?? {}
  const errors = p.errors ?? {}
  const source = v.source === "template" ? "template" : "upload"
  return (
    <section class="card">
      <link rel="stylesheet" href="/static/contracts.css" />
      <form method="post" action={p.action} enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <Field name="providerName" label="签约服务商（企业全称）" values={v} errors={errors} maxlength={60}
          hint="服务商须已在平台完成企业认证并确认企业有权签字人。" />
        <div class={`field${errors.branchId === undefined ? "" : " has-error"}`}>
          <label for="f-branchId">签署分公司（{p.ownerName}）</label>
          <select id="f-branchId" name="branchId">
            {p.branches.map((b) => <option value={b.branchId} selected={v.branchId === b.branchId}>{b.branchName}</option>)}
          </select>
          {errors.branchId === undefined ? null : <p class="field-error" id="f-branchId-error">{errors.branchId}</p>}
        </div>
        <Field name="name" label="合同名称" values={v} errors={errors} maxlength={60} />
        <fieldset class="parties">
          <legend>合同文件</legend>
          <label class="check"><input type="radio" name="source" value="upload" checked={source === "upload"} /> 上传 PDF（不超过 50 MB）</label>
          <div class={`field${errors.document === undefined ? "" : " has-error"}`}>
            <input id="f-document" name="document" type="file" accept="application/pdf,.pdf" aria-label="合同文件" />
            {errors.document === undefined ? null : <p class="field-error" id="f-document-error">{errors.document}</p>}
          </div>
          <label class="check"><input type="radio" name="source" value="template" checked={source === "template"} /> 使用合同模板（甲乙双方名称自动填写）</label>
          <div class="field">
            <label for="f-template">模板</label>
            <select id="f-template" name="template">
              {p.templates.map((t) => <option value={t.id} selected={v.template === t.id}>{t.title}</option>)}
            </select>
          </div>
          {p.templates.map((t) => (
            <details class="template-fields" open={v.template === t.id}>
              <summary>{t.title}：模板内容（选择该模板时填写）</summary>
              {t.fields.filter((f) => !SIDE_FIELDS.has(f.name)).map((f) => (
                <Field name={`t_${t.id}_${f.name}`} label={f.label} placeholder={f.placeholder} values={v} errors={errors} maxlength={60} />
              ))}
            </details>
          ))}
        </fieldset>
        <div class="grid-2 tight">
          <div class="field">
            <label>签署方式</label>
            <label class="check"><input type="radio" name="mode" value="simultaneous" checked={v.mode !== "sequential"} /> 同时签署</label>
            <label class="check"><input type="radio" name="mode" value="sequential" checked={v.mode === "sequential"} /> 顺序签署（本企业先签）</label>
          </div>
          <Field name="deadline" label="合同过期时间（签约截止日期）" type="date" values={v} errors={errors} />
        </div>
        <p class="hint">创建后立即发起签约：签署分公司与服务商各自加盖印章并由有权签字人签名（本人或授权），短信通知双方。</p>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit">创建合同</button>
          <a class="btn btn-secondary" href={p.action}>返回合同管理</a>
        </div>
      </form>
    </section>
  )
}

/** The provider's side before it may sign (P2): what it still lacks. */
export const ProviderNotice = (p: { ownerName: string; eligible: boolean }) => (
  <div class={`alert ${p.eligible ? "alert-info" : "alert-error"}`} role="status">
    {p.eligible
      ? `贵企业作为服务商，可与${p.ownerName}总公司及各分公司在线签约，并查看、下载已签署的合同。`
      : `使用在线签约前，贵企业须确认企业有权签字人（在“成员信息”中邀请有权签字人并由其接受）。`}
  </div>
)
