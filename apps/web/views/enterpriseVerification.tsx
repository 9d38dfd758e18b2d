import type { Enterprise } from "../../../core/organizations/Enterprise.ts"
import { rejectionReasonText, type EnterpriseVerification } from "../../../core/verification/EnterpriseVerification.ts"
import { CsrfInput, Field, FormError, type Errors, type Values } from "../../platform/views/form.tsx"
import { PhotoHint, Stepper, UploadField, VerificationAssets } from "./verification.tsx"
import { zhDateTime } from "../../../core/kernel/time.ts"

const STEPS = ["提交企业信息", "上传授权书", "认证成功"]
const date = zhDateTime

/** Why the reviewer sent it back: the applicant fixes it and resubmits. */
export const RejectionNotice = (p: { application: EnterpriseVerification }) =>
  p.application.status !== "rejected" || p.application.rejection === null ? null : (
    <div class="alert alert-error rejection" role="alert">
      <strong>企业认证未通过：</strong>{rejectionReasonText[p.application.rejection.reason]}
      {p.application.rejection.note === "" ? null : <span>（{p.application.rejection.note}）</span>}
      {p.application.decidedAt === null ? null : <span class="muted"> · {date(p.application.decidedAt)}</span>}
      <p>请修改后重新提交：可修改企业信息，或<a href="/verification/enterprise/letter">仅重新上传授权书</a>。</p>
    </div>
  )

export const valuesOf = (a: EnterpriseVerification | null): Values =>
  a?.info == null ? {} : { ...a.info }

/** V2 step 1: licence photo (OCR pre-fills name and credit code) and the enterprise's details. */
export const EnterpriseInfoForm = (p: { csrf: string; application: EnterpriseVerification | null; values?: Values | undefined; errors?: Errors | undefined; licenceId?: string | undefined; ocrNote?: string | undefined }) => {
  const errors = p.errors ?? {}
  const values = p.values ?? valuesOf(p.application)
  const licenceId = p.licenceId ?? p.application?.licenceUploadId ?? undefined
  return (
    <section class="card verification">
      <VerificationAssets />
      <Stepper steps={STEPS} current={0} />
      {p.application === null ? null : <RejectionNotice application={p.application} />}
      <form method="post" action="/verification/enterprise/info" enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <FormError errors={errors} />
        <UploadField name="licence" label="上传营业执照" accept="image/jpeg,image/png" errors={errors} storedId={licenceId} idField="licenceId" ocrAction="/verification/enterprise/licence" ocrLabel="上传并识别" />
        <PhotoHint>请上传彩色原件或加盖企业公章的复印件；非企业单位，请使用登记执照。</PhotoHint>
        {p.ocrNote === undefined ? null : <p class="ocr-note" role="status">{p.ocrNote}</p>}
        <Field name="name" label="企业名称" values={values} errors={errors} maxlength={60} />
        <Field name="creditCode" label="营业执照号码（统一社会信用代码）" values={values} errors={errors} maxlength={18} placeholder="18 位统一社会信用代码" />
        <Field name="address" label="企业注册地址" values={values} errors={errors} maxlength={120} />
        <div class="grid-2 tight">
          <Field name="legalRepresentative" label="法定代表人/负责人" values={values} errors={errors} maxlength={30} />
          <Field name="contactPhone" label="联系电话" type="tel" values={values} errors={errors} maxlength={13} />
        </div>
        <Field name="email" label="企业邮箱" type="email" values={values} errors={errors} maxlength={100} />
        <button class="btn btn-primary btn-block" type="submit">确认提交</button>
      </form>
    </section>
  )
}

/** V3 step 2: download the pre-filled letter, stamp it, upload it, then send everything to review. */
export const LetterStep = (p: { csrf: string; application: EnterpriseVerification; errors?: Errors | undefined; letterIsPdf: boolean }) => {
  const errors = p.errors ?? {}
  const a = p.application
  return (
    <section class="card verification">
      <VerificationAssets />
      <Stepper steps={STEPS} current={1} />
      <RejectionNotice application={a} />
      <FormError errors={errors} />
      <p>请下载企业授权书，加盖企业公章后上传</p>
      <dl class="facts">
        <dt>企业名称</dt><dd>{a.info?.name}</dd>
        <dt>统一社会信用代码</dt><dd>{a.info?.creditCode}</dd>
      </dl>
      <p class="download">下载授权书：<a class="btn btn-secondary" href={`/verification/enterprise/${a.id}/letter.pdf`} download>↓ 下载授权书</a> <a href="/verification/enterprise/info">修改企业信息</a></p>
      <form method="post" action={`/verification/enterprise/${a.id}/letter`} enctype="multipart/form-data" class="form" novalidate>
        <CsrfInput token={p.csrf} />
        <UploadField name="letter" label="加盖企业公章后上传授权书" accept="image/jpeg,image/png,application/pdf" errors={errors} storedId={a.letterUploadId ?? undefined} storedIsPdf={p.letterIsPdf} idField="letterId" />
        <p class="hint">支持 jpeg、jpg、png 照片或 PDF 扫描件，大小不超过10M。</p>
        <button class="btn btn-secondary" type="submit">{a.letterUploadId === null ? "上传授权书" : "重新上传"}</button>
      </form>
      {a.status !== "letter-uploaded" ? null : (
        <form method="post" action={`/verification/enterprise/${a.id}/submit`} class="form">
          <CsrfInput token={p.csrf} />
          <button class="btn btn-primary btn-block" type="submit">确认提交</button>
        </form>
      )}
    </section>
  )
}

export const InReview = (p: { application: EnterpriseVerification }) => (
  <section class="card verification">
    <VerificationAssets />
    <Stepper steps={STEPS} current={2} />
    <div class="welcome">
      <div class="success-mark pending" aria-hidden="true">…</div>
      <h2>企业认证审核中</h2>
      <p>{p.application.info?.name}：材料已提交{p.application.submittedAt === null ? "" : `（${date(p.application.submittedAt)}）`}，审核结果将在此页面显示。</p>
      <div class="actions"><a class="btn btn-secondary" href="/">返回工作台</a></div>
    </div>
  </section>
)

export const Approved = (p: { enterprises: ReadonlyArray<Enterprise> }) => (
  <section class="card verification">
    <VerificationAssets />
    <Stepper steps={STEPS} current={2} done />
    <div class="welcome">
      <div class="success-mark" aria-hidden="true">✓</div>
      <h2>您已完成企业认证</h2>
      <p>您是以下企业的管理员：</p>
      <ul class="enterprise-list">{p.enterprises.map((e) => <li><strong>{e.name}</strong> <span class="muted">{e.creditCode}</span></li>)}</ul>
      <div class="actions">
        <a class="btn btn-secondary" href="/verification/enterprise/new">认证其他企业</a>
        <a class="btn btn-primary" href="/">立即登录</a>
      </div>
    </div>
  </section>
)
