import type { Child } from "hono/jsx"
import { CsrfInput, Field, FormError, type Errors, type Values } from "../../platform/views/form.tsx"
import { CodeStatus } from "./auth.tsx"

/** The seed's progress bar: numbered steps, done ones ticked. */
/**
 * Progress through a flow's steps. A step before `current` is ticked; the
 * current one is ticked only when `done` says the flow has really ended (an
 * approval, not a submission waiting for review: ✓认证成功 never shows while 审核中).
 */
export const Stepper = (p: { steps: ReadonlyArray<string>; current: number; done?: boolean | undefined }) => (
  <ol class="stepper" aria-label="认证进度">
    {p.steps.map((label, i) => (
      <li class={i < p.current || (i === p.current && p.done === true) ? "done" : i === p.current ? "current" : ""} aria-current={i === p.current ? "step" : undefined}>
        <span class="dot">{i < p.current || (i === p.current && p.done === true) ? "✓" : String(i + 1)}</span>{label}
      </li>
    ))}
  </ol>
)

/** Page assets of the verification screens (preview of a chosen photo before it is sent). */
export const VerificationAssets = () => (
  <>
    <link rel="stylesheet" href="/static/verification.css" />
    <script src="/static/verification.js" defer></script>
  </>
)

export const PhotoHint = (p: { children: Child }) => (
  <div class="tip">
    <strong>温馨提示</strong>
    <p>{p.children}</p>
    <p>照片仅限jpeg、jpg、png格式且大小不超过10M。</p>
  </div>
)

/**
 * A file field with its preview: the stored file (after a server round trip)
 * or, with JavaScript, the chosen file before it is sent.
 */
export const UploadField = (p: {
  name: string; label: string; accept: string; errors: Errors; storedId?: string | undefined; storedIsPdf?: boolean | undefined; idField: string
  ocrAction?: string | undefined; ocrLabel?: string | undefined
}) => {
  const error = p.errors[p.name]
  return (
    <div class={`field upload${error === undefined ? "" : " has-error"}`}>
      <label for={`f-${p.name}`}>{p.label}</label>
      <div class="upload-row">
        <div class="preview" data-preview-for={`f-${p.name}`}>
          {p.storedId === undefined ? <span class="muted">未选择文件</span>
            : p.storedIsPdf === true ? <a href={`/verification/files/${p.storedId}`} target="_blank">已上传 PDF，点击查看</a>
            : <img src={`/verification/files/${p.storedId}`} alt="已上传的照片" />}
        </div>
        <div class="upload-actions">
          <input id={`f-${p.name}`} name={p.name} type="file" accept={p.accept} aria-invalid={error === undefined ? undefined : "true"} aria-describedby={error === undefined ? undefined : `f-${p.name}-error`} />
          {p.ocrAction === undefined ? null : <button class="btn btn-secondary" type="submit" formaction={p.ocrAction} formnovalidate>{p.ocrLabel ?? "上传并识别"}</button>}
        </div>
      </div>
      {p.storedId === undefined ? null : <input type="hidden" name={p.idField} value={p.storedId} />}
      {error === undefined ? null : <p class="field-error" id={`f-${p.name}-error`}>{error}</p>}
    </div>
  )
}

export interface CodeState { readonly message: string; readonly ok: boolean; readonly cooldown?: number }

/** V1 个人实名认证: ID photo (read by OCR), name, ID number, bank card, card type, reserved mobile, SMS code. */
export const PersonalForm = (p: { csrf: string; values?: Values | undefined; errors?: Errors | undefined; photoId?: string | undefined; backPhotoId?: string | undefined; ocrNote?: string | undefined; codeStatus?: CodeState | undefined }) => {
  const errors = p.errors ?? {}
  const values = p.values ?? {}
  return (
    <section class="card verification">
      <VerificationAssets />
      <Stepper steps={["提交认证材料", "认证完成"]} current={0} />
      <form method="post" action="/verification/personal" enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <UploadField name="photo" label="身份证正面（人像面）" accept="image/jpeg,image/png" errors={errors} storedId={p.photoId} idField="photoId" ocrAction="/verification/personal/photo" ocrLabel="上传并识别" />
        <UploadField name="backPhoto" label="身份证反面（国徽面）" accept="image/jpeg,image/png" errors={errors} storedId={p.backPhotoId} idField="backPhotoId" />
        <PhotoHint>请上传清晰的身份证正反面照片，系统将自动识别正面的证件信息。</PhotoHint>
        {p.ocrNote === undefined ? null : <p class="ocr-note" role="status">{p.ocrNote}</p>}
        <div class="grid-2 tight">
          <Field name="name" label="姓名" values={values} errors={errors} maxlength={30} autocomplete="name" />
          <Field name="idNumber" label="身份证号" values={values} errors={errors} maxlength={18} placeholder="18 位身份证号码" />
        </div>
        <Field name="bankCard" label="银行卡号" inputmode="numeric" values={values} errors={errors} maxlength={19} placeholder="本人名下银行卡" />
        <fieldset class={`field choice${errors.cardType === undefined ? "" : " has-error"}`}>
          <legend>银行卡类型</legend>
          <label class="check"><input type="radio" name="cardType" value="debit" checked={values.cardType !== "credit"} /> 储蓄卡</label>
          <label class="check"><input type="radio" name="cardType" value="credit" checked={values.cardType === "credit"} /> 信用卡</label>
          {errors.cardType === undefined ? null : <p class="field-error" id="f-cardType-error">{errors.cardType}</p>}
        </fieldset>
        <Field name="mobile" label="银行卡预留手机号" type="tel" inputmode="numeric" maxlength={11} values={values} errors={errors} />
        <Field name="code" label="验证码" inputmode="numeric" maxlength={6} autocomplete="one-time-code" placeholder="输入验证码" values={values} errors={errors}>
          <button id="send-code" class="btn btn-secondary" type="submit" formaction="/verification/personal/code" formnovalidate
            hx-post="/verification/personal/code" hx-target="#code-status" hx-swap="innerHTML" hx-include="#f-mobile">获取验证码</button>
        </Field>
        <p id="code-status" class="code-status" aria-live="polite">{p.codeStatus === undefined ? null : <CodeStatus {...p.codeStatus} />}</p>
        <button class="btn btn-primary btn-block" type="submit">确认提交</button>
      </form>
    </section>
  )
}

/** After V1: the seed's choice between enterprise verification and going straight in. */
export const PersonalDone = (p: { name: string; maskedId: string }) => (
  <section class="card verification">
    <VerificationAssets />
    <Stepper steps={["提交认证材料", "认证完成"]} current={1} done />
    <div class="welcome">
      <div class="success-mark" aria-hidden="true">✓</div>
      <h2>您已完成个人实名认证</h2>
      <p>{p.name}（{p.maskedId}）</p>
      <p>如需操作对公签约业务，请进行企业认证</p>
      <p class="hint">如跳过企业认证，将无法开通企业账户，无法操作对公业务。</p>
      <div class="actions">
        <a class="btn btn-secondary" href="/">暂时跳过，直接登录</a>
        <a class="btn btn-primary" href="/verification/enterprise">企业认证</a>
      </div>
    </div>
  </section>
)
