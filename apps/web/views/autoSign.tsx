import type { AutoSignAuthorization } from "../../../core/seals/AutoSignAuthorization.ts"
import type { Seal } from "../../../core/seals/sealsModel.ts"
import { zhDateTime } from "../../../core/kernel/time.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"

const FieldError = (p: { errors: Errors; name: string }) =>
  p.errors[p.name] === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{p.errors[p.name]}</p>

const stateOf = (a: AutoSignAuthorization, now: number) =>
  a.revokedAt !== null ? "已撤销" : now >= a.validUntil ? "已过期" : now < a.validFrom ? "未生效" : a.usedCount >= a.maxCount ? "次数已用完" : "生效中"

/**
 * 自动签署授权: the seals the enterprise lets partner systems sign with through
 * the API (signatures:auto), the form to authorize one (confirmed by an SMS
 * code to the admin), and revocation.
 */
export const AutoSignPage = (p: {
  csrf: string
  base: string
  seals: ReadonlyArray<Seal>
  authorizations: ReadonlyArray<AutoSignAuthorization>
  isAdmin: boolean
  now: number
  values?: Values | undefined
  errors?: Errors | undefined
  notice?: string | undefined
}) => {
  const values = p.values ?? {}
  const errors = p.errors ?? {}
  const sealName = (id: string) => p.seals.find((s) => s.id === id)?.name ?? id
  return (
    <div class="stack">
      <p><a href={`${p.base}/seals`}>← 返回印章管理</a></p>
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <section class="card">
        <h2 class="card-title">自动签署授权</h2>
        <p class="hint">授权后，本企业的对接系统可通过开放接口（POST /api/v1/contracts/&#123;id&#125;/signatures:auto）在授权范围内以所选印章自动签署，无需人员操作。超出范围、过期、撤销或次数用完时接口拒绝签署。</p>
        {p.authorizations.length === 0 ? <p>暂无自动签署授权</p> : (
          <table class="table">
            <thead><tr><th>印章</th><th>范围</th><th>有效期</th><th>已用 / 上限</th><th>状态</th><th></th></tr></thead>
            <tbody>
              {p.authorizations.map((a) => (
                <tr>
                  <td>{sealName(a.sealId)}</td>
                  <td>{a.scopeKind === "templates" ? "模板：" : "签约对方："}{a.scopeValues.join("、")}</td>
                  <td>{zhDateTime(a.validFrom)} 至 {zhDateTime(a.validUntil)}</td>
                  <td>{a.usedCount} / {a.maxCount}</td>
                  <td>{stateOf(a, p.now)}</td>
                  <td>{p.isAdmin && a.revokedAt === null
                    ? <PostButton action={`${p.base}/seals/auto-sign/${a.id}/revoke`} csrf={p.csrf} label="撤销" variant="danger" confirm="撤销后对接系统将不能再自动签署，确定撤销？" />
                    : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {!p.isAdmin ? <p class="hint">只有企业管理员可以设置或撤销自动签署授权。</p> : (
        <section class="card">
          <h2 class="card-title">新增授权</h2>
          <form method="post" action={`${p.base}/seals/auto-sign`} class="form" novalidate>
            <CsrfInput token={p.csrf} />
            <FormError errors={errors} />
            <div class={`field${errors.sealId === undefined ? "" : " has-error"}`}>
              <label for="f-sealId">印章</label>
              <select id="f-sealId" name="sealId">
                {p.seals.filter((s) => s.enabled).map((s) => <option value={s.id} selected={s.id === values.sealId}>{s.name}</option>)}
              </select>
              <FieldError errors={errors} name="sealId" />
            </div>
            <fieldset class={`field${errors.scopeKind === undefined ? "" : " has-error"}`}>
              <legend>授权范围</legend>
              <label><input type="radio" name="scopeKind" value="counterparties" checked={(values.scopeKind ?? "counterparties") === "counterparties"} /> 指定签约对方（企业名称、姓名或手机号）</label>
              <label><input type="radio" name="scopeKind" value="templates" checked={values.scopeKind === "templates"} /> 指定合同模板（模板编号，如 nda、purchase）</label>
              <FieldError errors={errors} name="scopeKind" />
            </fieldset>
            <div class={`field${errors.scopeValues === undefined ? "" : " has-error"}`}>
              <label for="f-scopeValues">范围内容（每行一个）</label>
              <textarea id="f-scopeValues" name="scopeValues" rows={3}>{values.scopeValues ?? ""}</textarea>
              <FieldError errors={errors} name="scopeValues" />
            </div>
            <Field name="validFrom" label="生效时间" type="datetime-local" values={values} errors={errors} />
            <Field name="validUntil" label="截止时间" type="datetime-local" values={values} errors={errors} />
            <Field name="maxCount" label="最多签署份数" inputmode="numeric" values={values} errors={errors} hint="1-100000" />
            <Field name="code" label="短信验证码" inputmode="numeric" values={{}} errors={errors} maxlength={6} hint="先点“发送验证码”，验证码发送到管理员手机">
              <button class="btn btn-ghost" type="submit" formaction={`${p.base}/seals/auto-sign/code`}>发送验证码</button>
            </Field>
            <button class="btn btn-primary" type="submit">确认授权</button>
          </form>
        </section>
      )}
    </div>
  )
}
