import type { OrgTemplate } from "../../../core/contracts/OrgTemplate.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { dateTime } from "./seals.tsx"

const kindLabel = { text: "文本", date: "日期", checkbox: "勾选框" } as const
const boxLabel = { signature: "签名", seal: "印章", date: "签署日期" } as const

/** 企业工作台 → 合同模板: the enterprise's templates; the admin uploads new ones. */
export const TemplatesPage = (p: { base: string; csrf: string; templates: ReadonlyArray<OrgTemplate>; manage: boolean; values?: Values | undefined; errors?: Errors | undefined; notice?: string | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <section class="card">
        <h2 class="card-title">企业合同模板</h2>
        {p.templates.length === 0 ? <p class="empty">暂无模板{p.manage ? "：请在下方上传" : "，请联系企业管理员上传"}</p> : (
          <div class="table-wrap">
            <table class="table table-stack">
              <thead><tr><th>模板名称</th><th>签署角色</th><th>填写项</th><th>更新时间</th><th>操作</th></tr></thead>
              <tbody>
                {p.templates.map((t) => (
                  <tr>
                    <td data-label="模板名称">{t.name}</td>
                    <td data-label="签署角色">{t.roles.join("、")}</td>
                    <td data-label="填写项">{t.fields.length} 项 · 签署位置 {t.boxes.length} 个</td>
                    <td data-label="更新时间">{dateTime(t.updatedAt)}</td>
                    <td data-label="操作" class="row-actions">
                      <a class="btn btn-primary" href={`${p.base}/templates/${t.id}/new`}>使用模板发起</a>
                      {p.manage ? <a class="btn btn-secondary" href={`${p.base}/templates/${t.id}/edit`}>设置填写项</a> : null}
                      {p.manage ? <PostButton action={`${p.base}/templates/${t.id}/delete`} csrf={p.csrf} label="删除" variant="danger" confirm={`删除模板“${t.name}”？已发起的合同不受影响`} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {!p.manage ? null : (
        <section class="card">
          <h2 class="card-title">上传模板</h2>
          <form method="post" action={`${p.base}/templates`} enctype="multipart/form-data" class="form" novalidate>
            <CsrfInput token={p.csrf} />
            <FormError errors={errors} />
            <Field name="name" label="模板名称" values={p.values} errors={errors} maxlength={60} placeholder="如：技术服务合同" />
            <Field name="roles" label="签署角色（用顿号或逗号分隔，最多 4 个）" values={p.values ?? { roles: "甲方、乙方" }} errors={errors} maxlength={50} />
            <div class={`field${errors.document === undefined ? "" : " has-error"}`}>
              <label for="f-document">模板文件（PDF，不超过 50 MB）</label>
              <input id="f-document" name="document" type="file" accept="application/pdf" />
              {errors.document === undefined ? null : <p class="field-error" id="f-document-error">{errors.document}</p>}
            </div>
            <button class="btn btn-primary" type="submit">上传并设置填写项</button>
          </form>
        </section>
      )}
    </div>
  )
}

const Num = (p: { name: string; label: string; v: Values }) => (
  <label class="compact-field">{p.label}<input name={p.name} id={`f-${p.name}`} type="number" step="any" inputmode="decimal" value={p.v[p.name] ?? ""} style="width: 5.5rem" /></label>
)

/** Rows of the editor: what is placed plus a few empty rows to add more (a blank row is not saved). */
export const editorRows = (placed: number) => Math.max(placed + 3, 4)

/**
 * The layout editor: each fill-in field and each role's signing box as a row of numbers (page, and the rectangle
 * in PDF points from the page's bottom-left). static/template-fields.js draws the template's pages with pdf.js
 * and lets each row's box be placed and dragged on them (writing the numbers); without JavaScript the numbers
 * are typed and the file is downloaded to look at.
 */
export const TemplateEditor = (p: { base: string; csrf: string; template: OrgTemplate; values: Values; errors?: Errors | undefined; notice?: string | undefined }) => {
  const t = p.template
  const v = p.values
  const errors = p.errors ?? {}
  return (
    <div class="stack">
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <section class="card">
        <h2 class="card-title">模板文件</h2>
        <p class="muted">{t.pages.map((pg, i) => `第 ${i + 1} 页 ${Math.round(pg.width)}×${Math.round(pg.height)}`).join("；")}（单位：点，1 点 = 1/72 英寸；坐标原点在页面左下角）</p>
        <div id="template-layout" class="template-layout" data-pdf-url={`${p.base}/templates/${t.id}/document`}>
          <p class="hint placement-status" aria-live="polite">请按下方各行填写页码和坐标；<a href={`${p.base}/templates/${t.id}/document`}>下载模板文件</a>查看。</p>
          {/* Scrolls on its own: reachable by keyboard, named for screen readers. */}
          <div class="placement-pages" tabindex={0} role="region" aria-label="模板页面预览"></div>
        </div>
        <link rel="stylesheet" href="/static/contracts.css" />
        <script type="module" src="/static/template-fields.js"></script>
      </section>
      <form method="post" action={`${p.base}/templates/${t.id}/edit`} class="form card" id="template-form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <Field name="name" label="模板名称" values={v} errors={errors} maxlength={60} />
        <h2 class="card-title">填写项</h2>
        <p class="hint">发起合同时填写，内容写入 PDF 的对应位置（文本、日期必填；勾选框勾选时显示 √）。名称留空的行不保存。</p>
        {Array.from({ length: editorRows(t.fields.length) }, (_, i) => (
          <div class="template-row" data-row={`field${i}`}>
            <label class="compact-field">名称<input name={`fLabel${i}`} id={`f-fLabel${i}`} value={v[`fLabel${i}`] ?? ""} maxlength={30} style="width: 8rem" /></label>
            <label class="compact-field">类型<select name={`fKind${i}`} id={`f-fKind${i}`}>
              {(["text", "date", "checkbox"] as const).map((k) => <option value={k} selected={v[`fKind${i}`] === k}>{kindLabel[k]}</option>)}
            </select></label>
            <input type="hidden" name={`fKey${i}`} value={v[`fKey${i}`] ?? ""} />
            <Num name={`fPage${i}`} label="页" v={v} /><Num name={`fX${i}`} label="X" v={v} /><Num name={`fY${i}`} label="Y" v={v} />
            <Num name={`fW${i}`} label="宽" v={v} /><Num name={`fH${i}`} label="高" v={v} />
          </div>
        ))}
        <h2 class="card-title">签署位置</h2>
        <p class="hint">每个签署角色的签名、印章（企业签署方）和签署日期位置。角色绑定个人时不使用印章位置；绑定企业而未设印章位置时，印章盖在签名位置左侧。页码留空的行不保存。</p>
        {Array.from({ length: editorRows(t.boxes.length) }, (_, i) => (
          <div class="template-row" data-row={`box${i}`}>
            <label class="compact-field">角色<select name={`bRole${i}`} id={`f-bRole${i}`}>
              {t.roles.map((r, ri) => <option value={String(ri)} selected={v[`bRole${i}`] === String(ri)}>{r}</option>)}
            </select></label>
            <label class="compact-field">类型<select name={`bKind${i}`} id={`f-bKind${i}`}>
              {(["signature", "seal", "date"] as const).map((k) => <option value={k} selected={v[`bKind${i}`] === k}>{boxLabel[k]}</option>)}
            </select></label>
            <Num name={`bPage${i}`} label="页" v={v} /><Num name={`bX${i}`} label="X" v={v} /><Num name={`bY${i}`} label="Y" v={v} />
            <Num name={`bW${i}`} label="宽" v={v} /><Num name={`bH${i}`} label="高" v={v} />
          </div>
        ))}
        <div class="form-actions"><button class="btn btn-primary" type="submit">保存</button> <a class="btn btn-secondary" href={`${p.base}/templates`}>返回模板列表</a></div>
      </form>
    </div>
  )
}

/** 使用模板发起: the template's fill-in fields, one party per role (person or enterprise), mode and deadline. */
export const TemplateInitiateForm = (p: { base: string; csrf: string; template: OrgTemplate; values: Values; errors?: Errors | undefined }) => {
  const t = p.template
  const v = p.values
  const errors = p.errors ?? {}
  return (
    <section class="card">
      <form method="post" action={`${p.base}/templates/${t.id}/new`} class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <Field name="name" label="合同名称" values={v} errors={errors} maxlength={60} />
        {t.fields.length === 0 ? null : <h2 class="card-title">合同内容</h2>}
        {t.fields.map((f) => f.kind === "checkbox" ? (
          <div class={`field${errors[`v_${f.key}`] === undefined ? "" : " has-error"}`}>
            <label class="check"><input type="checkbox" name={`v_${f.key}`} id={`f-v_${f.key}`} checked={v[`v_${f.key}`] === "on"} /> {f.label}</label>
            {errors[`v_${f.key}`] === undefined ? null : <p class="field-error" id={`f-v_${f.key}-error`}>{errors[`v_${f.key}`]}</p>}
          </div>
        ) : <Field name={`v_${f.key}`} label={f.label} type={f.kind === "date" ? "date" : "text"} values={v} errors={errors} maxlength={60} />)}
        <h2 class="card-title">签署方</h2>
        {t.roles.map((role, i) => (
          <div class="grid-3 tight party-row">
            <div class="field">
              <label for={`f-partyKind${i}`}>{role}类型</label>
              <select id={`f-partyKind${i}`} name={`partyKind${i}`}>
                <option value="person" selected={v[`partyKind${i}`] !== "enterprise"}>个人</option>
                <option value="enterprise" selected={v[`partyKind${i}`] === "enterprise"}>企业</option>
              </select>
            </div>
            <Field name={`partyName${i}`} label={`${role}姓名 / 企业全称`} values={v} errors={errors} maxlength={60} />
            <Field name={`partyMobile${i}`} label="手机号（企业：指定签署人，可不填）" type="tel" inputmode="numeric" maxlength={11} values={v} errors={errors} />
          </div>
        ))}
        {errors.parties === undefined ? null : <p class="field-error" id="f-parties-error">{errors.parties}</p>}
        <div class="grid-2 tight">
          <div class="field">
            <label>签署方式</label>
            <label class="check"><input type="radio" name="mode" value="sequential" checked={v.mode !== "simultaneous"} /> 顺序签署（{t.roles.join(" → ")}）</label>
            <label class="check"><input type="radio" name="mode" value="simultaneous" checked={v.mode === "simultaneous"} /> 同时签署</label>
          </div>
          <Field name="deadline" label="签约截止日期" type="date" values={v} errors={errors} />
        </div>
        <p class="hint">填写内容将写入合同 PDF 并固定（不再可编辑），然后以本企业名义发起签约。</p>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit" name="intent" value="send">生成合同并发起签约</button>
          <button class="btn btn-secondary" type="submit" name="intent" value="draft">生成合同并保存草稿</button>
        </div>
      </form>
    </section>
  )
}
