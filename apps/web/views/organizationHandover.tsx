import type { HandoverRequest } from "../../../core/organizations/Organization.ts"
import { CsrfInput, Field, FormError, Notice, PostButton, type Errors, type Values } from "../../platform/views/form.tsx"
import { CodeStatus } from "./auth.tsx"
import { date } from "./organization.tsx"

const Steps = (p: { at: 1 | 2 }) => (
  <ol class="wizard" aria-label="更换管理员">
    <li class={p.at === 1 ? "current" : "done"}>1 主观意愿验证</li>
    <li class={p.at === 2 ? "current" : ""}>2 发送信息给新管理员</li>
    <li>3 完成</li>
  </ol>
)

/**
 * E1 更换管理员. Step 1: the current admin names the new admin and confirms
 * with an SMS code (主观意愿验证); step 2: the request waits for the new
 * admin (cancel possible); step 3 happens on the new admin's side.
 */
export const HandoverPage = (p: {
  csrf: string
  enterpriseId: string
  adminMobile: string
  pending: HandoverRequest | null
  toName: string | null
  values?: Values | undefined
  errors?: Errors | undefined
  codeStatus?: { message: string; ok: boolean; cooldown?: number } | undefined
  notice?: string | undefined
}) => {
  if (p.pending !== null) {
    return (
      <div class="stack">
        <Steps at={2} />
        {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
        <FormError errors={p.errors ?? {}} />
        <section class="card narrow" id="handover-pending">
          <h2 class="card-title">已发送信息给新管理员</h2>
          <dl class="facts">
            <dt>新管理员</dt><dd>{p.toName ?? "—"}</dd>
            <dt>发送时间</dt><dd>{date(p.pending.createdAt)}</dd>
            <dt>有效期至</dt><dd>{date(p.pending.expiresAt)}</dd>
          </dl>
          <p class="hint">新管理员登录后在“企业邀请”中接受，管理员即完成更换；在此之前您仍是管理员。72 小时内未接受则自动失效。</p>
          <PostButton action={`/org/${p.enterpriseId}/handover/cancel`} csrf={p.csrf} label="撤销请求" variant="danger" confirm="撤销这个更换管理员的请求？" />
        </section>
      </div>
    )
  }
  const errors = p.errors ?? {}
  return (
    <div class="stack">
      <Steps at={1} />
      <section class="card narrow">
        <h2 class="card-title">请当前管理员先进行主观意愿验证</h2>
        <form method="post" action={`/org/${p.enterpriseId}/handover`} class="form" novalidate>
          <CsrfInput token={p.csrf} />
          <FormError errors={errors} />
          <p>管理员账号：<span class="mono">{p.adminMobile}</span></p>
          <Field name="mobile" label="新管理员手机号" type="tel" inputmode="numeric" maxlength={11} placeholder="已完成个人实名认证的用户" values={p.values} errors={errors} />
          <Field name="code" label="验证码" inputmode="numeric" maxlength={6} autocomplete="one-time-code" placeholder="发送至管理员手机" values={p.values} errors={errors}>
            <button id="send-code" class="btn btn-secondary" type="submit" formaction={`/org/${p.enterpriseId}/handover/code`}
              hx-post={`/org/${p.enterpriseId}/handover/code`} hx-target="#code-status" hx-swap="innerHTML">获取验证码</button>
          </Field>
          <p id="code-status" class="code-status" aria-live="polite">{p.codeStatus === undefined ? null : <CodeStatus {...p.codeStatus} />}</p>
          <div><button class="btn btn-primary" type="submit">下一步</button></div>
        </form>
      </section>
    </div>
  )
}
