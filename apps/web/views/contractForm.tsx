import { maskMobile } from "../../../core/kernel/Mobile.ts"
import type { InitiatorChoice } from "../../../core/contracts/parties.ts"
import { CsrfInput, Field, FormError, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { NOT_VERIFIED_MESSAGE } from "../contractErrors.ts"

/** Under the refusal to send for want of a verified identity: the way to get one. */
export const VerifyFirst = (p: { errors: Errors }) =>
  p.errors._form === NOT_VERIFIED_MESSAGE ? <p class="hint"><a class="btn btn-secondary" href="/verification/personal">去完成个人实名认证</a></p> : null

/**
 * 签署位置 (C1): the hidden `fields` input the server decodes, and the page
 * previews static/fields.js draws (pdf.js from /static). Without JavaScript
 * only the hint shows and the server places one signature box per party.
 */
export const Placement = (p: { value: string; error?: string | undefined; pdfUrl?: string | undefined }) => (
  <fieldset class="placement" id="placement" data-pdf-url={p.pdfUrl}>
    <legend>签署位置</legend>
    <input type="hidden" name="fields" id="f-fields" value={p.value} aria-describedby={p.error === undefined ? undefined : "f-fields-error"} />
    <p class="hint placement-status">未放置时，各签署方的签名位置默认在最后一页底部。</p>
    <div class="placement-tools" hidden>
      <label>签署方<select class="pick-party"></select></label>
      <label>类型<select class="pick-kind">
        <option value="signature">签名</option><option value="seal">印章</option><option value="date">日期</option>
      </select></label>
      <label>页码<select class="pick-page"></select></label>
      <button class="btn btn-secondary placement-add" type="button">添加签署位置</button>
      <span class="hint">添加后把方框拖到页面上的签署处；拖动右下角调整大小，点 × 删除。</span>
    </div>
    <div class="placement-pages"></div>
    {p.error === undefined ? null : <p class="field-error" id="f-fields-error">{p.error}</p>}
    <link rel="stylesheet" href="/static/contracts.css" />
    <script type="module" src="/static/fields.js"></script>
  </fieldset>
)

/** A draft being resumed: its number and its stored document (previewed, not replaced). */
export interface DraftRef {
  readonly id: string
  readonly name: string
}

/**
 * C1 发起签约, new or resumed draft: document (new only), name, mode,
 * deadline, parties, placement; "发起签约" sends, "保存草稿" keeps it as a draft.
 */
export const ContractForm = (p: {
  csrf: string
  values?: Values | undefined
  errors?: Errors | undefined
  me: { name: string; mobile: string }
  draft?: DraftRef | undefined
  /** The enterprise branches the user may initiate for (发起身份); none: only as a person. */
  orgs?: ReadonlyArray<InitiatorChoice> | undefined
}) => {
  const errors = p.errors ?? {}
  const v = p.values ?? {}
  const orgs = p.orgs ?? []
  const action = p.draft === undefined ? "/contracts" : `/contracts/${p.draft.id}/edit`
  return (
    <section class="card">
      <form method="post" action={action} enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <VerifyFirst errors={errors} />
        {p.draft === undefined ? (
          <div class={`field${errors.document === undefined ? "" : " has-error"}`}>
            <label for="f-document">合同文件（PDF，不超过 50 MB）</label>
            <input id="f-document" name="document" type="file" accept="application/pdf,.pdf" />
            {errors.document === undefined ? null : <p class="field-error" id="f-document-error">{errors.document}</p>}
          </div>
        ) : (
          <p class="muted">草稿 <span class="mono">{p.draft.id}</span> · 合同文件：<a href={`/contracts/${p.draft.id}/document`}>{p.draft.name}.pdf</a>（如需更换文件，请删除草稿后重新发起）</p>
        )}
        <Field name="name" label="合同名称" values={v} errors={errors} maxlength={60} />
        <div class="grid-2 tight">
          <div class="field">
            <label>签署方式</label>
            <label class="check"><input type="radio" name="mode" value="sequential" checked={v.mode !== "simultaneous"} /> 顺序签署（按下列顺序依次签署）</label>
            <label class="check"><input type="radio" name="mode" value="simultaneous" checked={v.mode === "simultaneous"} /> 同时签署</label>
          </div>
          <Field name="deadline" label="签约截止日期" type="date" values={v} errors={errors} />
        </div>
        {orgs.length === 0 ? null : (
          <div class={`field${errors.actAs === undefined ? "" : " has-error"}`}>
            <label for="f-actAs">发起身份</label>
            <select id="f-actAs" name="actAs" aria-describedby={errors.actAs === undefined ? undefined : "f-actAs-error"}>
              <option value="person" selected={(v.actAs ?? "person") === "person"}>个人（{p.me.name}）</option>
              {orgs.map((o) => {
                const value = `${o.enterpriseId}:${o.branchId}`
                return <option value={value} selected={v.actAs === value}>{o.enterpriseName} · {o.branchName}</option>
              })}
            </select>
            {errors.actAs === undefined ? <p class="hint">以企业身份发起时，合同记录发起企业和分公司，企业成员可在“合同管理”中查看。</p> : <p class="field-error" id="f-actAs-error">{errors.actAs}</p>}
          </div>
        )}
        <fieldset class="parties">
          <legend>签署方</legend>
          <label class="check"><input type="checkbox" name="includeMe" value="on" checked={v.includeMe !== "off"} data-party-slot="me" data-party-name={p.me.name} /> 我也签署（{p.me.name}，{maskMobile(p.me.mobile)}，排在第一位）</label>
          {orgs.length === 0 ? null : (
            <label class="check"><input type="checkbox" name="includeOrg" value="on" checked={v.includeOrg === "on"} data-party-slot="org" data-party-name="本企业" /> 本企业签署（以发起身份所选企业和分公司盖章、有权签字人签名）</label>
          )}
          {[0, 1, 2, 3].map((i) => (
            <div class="grid-3 tight party-row" data-party-slot={`row${i}`}>
              <div class="field">
                <label for={`f-partyKind${i}`}>签署方 {i + 1} 类型</label>
                <select id={`f-partyKind${i}`} name={`partyKind${i}`}>
                  <option value="person" selected={v[`partyKind${i}`] !== "enterprise"}>个人</option>
                  <option value="enterprise" selected={v[`partyKind${i}`] === "enterprise"}>企业</option>
                </select>
              </div>
              <Field name={`partyName${i}`} label="姓名 / 企业全称" values={v} errors={errors} maxlength={60} />
              <Field name={`partyMobile${i}`} label="手机号（企业：指定签署人，可不填）" type="tel" inputmode="numeric" maxlength={11} values={v} errors={errors} />
            </div>
          ))}
          <p class="hint">企业签署方须已在平台完成企业认证；由其成员选择印章并使用有权签字人签名（本人或授权）签署。</p>
          {errors.parties === undefined ? null : <p class="field-error" id="f-parties-error">{errors.parties}</p>}
        </fieldset>
        <Placement value={v.fields ?? ""} error={errors.fields} pdfUrl={p.draft === undefined ? undefined : `/contracts/${p.draft.id}/document?inline=1`} />
        <p class="hint">发起后，各签署方将收到短信通知。每次签署都以数字签名（PAdES）追加写入 PDF，任何 PDF 阅读器均可验证。</p>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit" name="intent" value="send">发起签约</button>
          <button class="btn btn-secondary" type="submit" name="intent" value="draft">保存草稿</button>
        </div>
      </form>
      {p.draft === undefined ? null : (
        <PostButton action={`/contracts/${p.draft.id}/delete`} csrf={p.csrf} label="删除草稿" variant="ghost" confirm="确定删除该草稿吗？删除后无法恢复。" />
      )}
    </section>
  )
}
