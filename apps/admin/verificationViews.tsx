import type { User } from "../../core/accounts/User.ts"
import {
  RejectionReason, rejectionReasonText, type EnterpriseVerification, type VerificationDecision,
} from "../../core/verification/EnterpriseVerification.ts"
import type { PersonalVerification } from "../../core/verification/PersonalVerification.ts"
import { CsrfInput, FormError, Notice, type Errors } from "../platform/views/form.tsx"
import { PdfPreview } from "./views.tsx"
import { zhDateTimeOrDash } from "../../core/kernel/time.ts"

const date = zhDateTimeOrDash

/** X2 企业认证审核: applications in review, oldest first. */
export const VerificationQueue = (p: { items: ReadonlyArray<EnterpriseVerification>; notice?: string | undefined }) => (
  <div class="stack">
    {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
    <section class="card">
      <h2 class="card-title">待审核的企业认证 <span class="muted">（共 {p.items.length} 条）</span></h2>
      {p.items.length === 0 ? <p class="empty">暂无待审核的企业认证。</p> : (
        <div class="table-wrap">
          <table class="table table-stack" id="verification-queue">
            <thead><tr><th>申请编号</th><th>企业名称</th><th>统一社会信用代码</th><th>提交时间</th><th>提交次数</th><th>操作</th></tr></thead>
            <tbody>
              {p.items.map((a) => (
                <tr>
                  <td data-label="申请编号">{a.id}</td>
                  <td data-label="企业名称">{a.info?.name}</td>
                  <td data-label="统一社会信用代码">{a.info?.creditCode}</td>
                  <td data-label="提交时间">{date(a.submittedAt)}</td>
                  <td data-label="提交次数">{a.submissions > 1 ? <span class="badge">第 {a.submissions} 次提交</span> : "首次"}</td>
                  <td data-label="操作"><a href={`/verifications/${a.id}`}>审核</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </div>
)

const statusText: Record<EnterpriseVerification["status"], string> = {
  draft: "草稿", "info-submitted": "已提交企业信息", "letter-uploaded": "已上传授权书", "in-review": "待审核", approved: "已通过", rejected: "已驳回",
}

/** Shows a file inline: images as images, PDFs drawn by pdf.js (a link without JavaScript). */
const FileView = (p: { base: string; label: string; id: string | null; pdf: boolean }) => (
  <figure class="review-file">
    <figcaption>{p.label}{p.id === null ? null : <> · <a href={`${p.base}/files/${p.id}`} target="_blank">新窗口打开</a></>}</figcaption>
    {p.id === null ? <p class="muted">未上传</p>
      : p.pdf ? <PdfPreview src={`${p.base}/files/${p.id}`} label={p.label} />
      : <a href={`${p.base}/files/${p.id}`} target="_blank"><img src={`${p.base}/files/${p.id}`} alt={p.label} /></a>}
  </figure>
)

export interface ReviewData {
  readonly application: EnterpriseVerification
  readonly applicant: User | null
  readonly personal: PersonalVerification | null
  readonly decisions: ReadonlyArray<VerificationDecision>
  readonly staffNames: Readonly<Record<string, string>>
  readonly pdfIds: ReadonlyArray<string>
}

export const VerificationDetail = (p: { data: ReviewData; csrf: string; errors?: Errors | undefined; values?: Readonly<Record<string, string>> | undefined }) => {
  const { application: a, applicant, personal, decisions } = p.data
  const base = `/verifications/${a.id}`
  const errors = p.errors ?? {}
  return (
    <div class="stack">
      <FormError errors={errors} />
      <section class="card">
        <h2 class="card-title">申请 {a.id} <span class="badge">{statusText[a.status]}</span></h2>
        <div class="grid-2">
          <dl class="facts">
            <dt>企业名称</dt><dd>{a.info?.name}</dd>
            <dt>统一社会信用代码</dt><dd>{a.info?.creditCode}</dd>
            <dt>注册地址</dt><dd>{a.info?.address}</dd>
            <dt>法定代表人</dt><dd>{a.info?.legalRepresentative}</dd>
            <dt>联系电话</dt><dd>{a.info?.contactPhone}</dd>
            <dt>企业邮箱</dt><dd>{a.info?.email}</dd>
          </dl>
          <dl class="facts">
            <dt>申请人</dt><dd>{personal?.name ?? "—"}（账户 {applicant?.mobile ?? "—"}）</dd>
            <dt>身份证号</dt><dd>{personal?.idNumber ?? "未实名"}</dd>
            <dt>实名认证时间</dt><dd>{date(personal?.verifiedAt ?? null)}</dd>
            <dt>提交时间</dt><dd>{date(a.submittedAt)}（第 {a.submissions} 次提交）</dd>
          </dl>
        </div>
      </section>
      <section class="card">
        <h2 class="card-title">认证材料</h2>
        <div class="review-files">
          <FileView base={base} label="营业执照" id={a.licenceUploadId} pdf={false} />
          <FileView base={base} label="加盖公章的授权书" id={a.letterUploadId} pdf={a.letterUploadId !== null && p.data.pdfIds.includes(a.letterUploadId)} />
          <FileView base={base} label="申请人身份证正面" id={personal?.photoUploadId ?? null} pdf={false} />
          <FileView base={base} label="申请人身份证反面" id={personal?.backPhotoUploadId ?? null} pdf={false} />
        </div>
      </section>
      {a.status !== "in-review" ? null : (
        <section class="card">
          <h2 class="card-title">审核</h2>
          <div class="grid-2">
            <form method="post" action={`${base}/approve`} class="form">
              <CsrfInput token={p.csrf} />
              <p>核对无误后通过：企业将被创建，申请人成为企业管理员。</p>
              <button class="btn btn-primary" type="submit">审核通过</button>
            </form>
            <form method="post" action={`${base}/reject`} class="form" novalidate>
              <CsrfInput token={p.csrf} />
              <div class={`field${errors.reason === undefined ? "" : " has-error"}`}>
                <label for="f-reason">驳回原因</label>
                <select id="f-reason" name="reason">
                  <option value="">请选择</option>
                  {RejectionReason.literals.map((r) => <option value={r} selected={p.values?.reason === r}>{rejectionReasonText[r]}</option>)}
                </select>
                {errors.reason === undefined ? null : <p class="field-error" id="f-reason-error">{errors.reason}</p>}
              </div>
              <div class={`field${errors.note === undefined ? "" : " has-error"}`}>
                <label for="f-note">补充说明（申请人可见）</label>
                <textarea id="f-note" name="note" rows={3} maxlength={200}>{p.values?.note ?? ""}</textarea>
                {errors.note === undefined ? null : <p class="field-error" id="f-note-error">{errors.note}</p>}
              </div>
              <button class="btn btn-secondary" type="submit">驳回</button>
            </form>
          </div>
        </section>
      )}
      <section class="card">
        <h2 class="card-title">审核记录</h2>
        {decisions.length === 0 ? <p class="empty">暂无审核记录。</p> : (
          <ul class="decisions" id="decisions">
            {decisions.map((d) => (
              <li>{date(d.decidedAt)} · {p.data.staffNames[d.staffId] ?? d.staffId} · {d.decision === "approved" ? "通过" : `驳回：${d.reason === null ? "" : rejectionReasonText[d.reason]}${d.note === null ? "" : `（${d.note}）`}`}</li>
            ))}
          </ul>
        )}
      </section>
      <p><a href="/verifications">返回审核列表</a></p>
    </div>
  )
}

