import type { ContractTemplate } from "../../../core/contracts/templates.ts"
import { CsrfInput, Field, FormError, type Errors, type Values } from "../../platform/views/form.tsx"
import { VerifyFirst } from "./contractForm.tsx"

/** 拟定合同: choose a template. */
export const TemplateChooser = (p: { templates: ReadonlyArray<ContractTemplate> }) => (
  <div class="tiles">
    {p.templates.map((t) => <a class="tile" href={`/contracts/draft/${t.id}`}><strong>{t.title}</strong><span>{t.summary}</span></a>)}
  </div>
)

/** A template's fill-in fields, its two signing sides (each a person or an enterprise), mode and deadline. */
export const TemplateForm = (p: { template: ContractTemplate; csrf: string; values?: Values | undefined; errors?: Errors | undefined }) => {
  const errors = p.errors ?? {}
  const v = p.values ?? {}
  return (
    <section class="card">
      <link rel="stylesheet" href="/static/contracts.css" />
      <form method="post" action={`/contracts/draft/${p.template.id}`} class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <VerifyFirst errors={errors} />
        <h2 class="card-title">合同内容</h2>
        {p.template.fields.map((f) => <Field name={`t_${f.name}`} label={f.label} placeholder={f.placeholder} values={v} errors={errors} maxlength={60} />)}
        <h2 class="card-title">签署方</h2>
        {p.template.sides.map((side, i) => (
          <div class="grid-3 tight party-row">
            <div class="field">
              <label for={`f-partyKind${i}`}>{side}类型</label>
              <select id={`f-partyKind${i}`} name={`partyKind${i}`}>
                <option value="person" selected={v[`partyKind${i}`] !== "enterprise"}>个人</option>
                <option value="enterprise" selected={v[`partyKind${i}`] === "enterprise"}>企业</option>
              </select>
            </div>
            <Field name={`partyName${i}`} label={`${side}签署人姓名 / 企业全称`} values={v} errors={errors} maxlength={60} />
            <Field name={`partyMobile${i}`} label={`${side}手机号（企业：指定签署人，可不填）`} type="tel" inputmode="numeric" maxlength={11} values={v} errors={errors} />
          </div>
        ))}
        {errors.parties === undefined ? null : <p class="field-error" id="f-parties-error">{errors.parties}</p>}
        <div class="grid-2 tight">
          <div class="field">
            <label>签署方式</label>
            <label class="check"><input type="radio" name="mode" value="sequential" checked={v.mode !== "simultaneous"} /> 顺序签署（{p.template.sides.join(" → ")}）</label>
            <label class="check"><input type="radio" name="mode" value="simultaneous" checked={v.mode === "simultaneous"} /> 同时签署</label>
          </div>
          <Field name="deadline" label="签约截止日期" type="date" values={v} errors={errors} />
        </div>
        <p class="hint">提交后按模板生成 PDF 合同并立即发起签约；签名位置在各方“签章”处，企业签署方的印章盖在签名右侧。也可先保存为草稿，稍后调整签署方和签署位置再发起。</p>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit" name="intent" value="send">生成合同并发起签约</button>
          <button class="btn btn-secondary" type="submit" name="intent" value="draft">生成合同并保存草稿</button>
        </div>
      </form>
    </section>
  )
}
