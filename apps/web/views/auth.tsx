import { CsrfInput, Field, FormError, Notice, type Errors, type Values } from "../../platform/views/form.tsx"

export const CodeStatus = (p: { message: string; ok: boolean; cooldown?: number }) => (
  <span class={p.ok ? "code-ok" : "field-error"} data-cooldown={p.cooldown === undefined ? undefined : String(p.cooldown)}>{p.message}</span>
)

type CodeState = { message: string; ok: boolean; cooldown?: number }

/** The code field, its 获取验证码 button (htmx, or a plain submit to `action` without JavaScript) and the line saying what happened. */
const CodeField = (p: { action: string; values?: Values | undefined; errors: Errors; codeStatus?: CodeState | undefined }) => (
  <>
    <Field name="code" label="验证码" inputmode="numeric" maxlength={6} autocomplete="one-time-code" placeholder="输入验证码" values={p.values} errors={p.errors}>
      <button
        id="send-code"
        class="btn btn-secondary"
        type="submit"
        formaction={p.action}
        hx-post={p.action}
        hx-target="#code-status"
        hx-swap="innerHTML"
      >获取验证码</button>
    </Field>
    <p id="code-status" class="code-status" aria-live="polite">
      {p.codeStatus === undefined ? null : <CodeStatus {...p.codeStatus} />}
    </p>
  </>
)

/** A1 注册用户: mobile, code (获取验证码), password 6-16 with letters and digits. */
export const RegisterForm = (p: { csrf: string; values?: Values | undefined; errors?: Errors | undefined; codeStatus?: { message: string; ok: boolean; cooldown?: number } | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <form method="post" action="/register" class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <FormError errors={errors} />
      <Field name="mobile" label="手机号" type="tel" inputmode="numeric" maxlength={11} autocomplete="tel" placeholder="请输入 11 位手机号" values={p.values} errors={errors} />
      <CodeField action="/register/code" values={p.values} errors={errors} codeStatus={p.codeStatus} />
      <Field name="password" label="密码" type="password" autocomplete="new-password" hint="6 - 16 位密码，必须包含数字、字母" errors={errors} />
      <Field name="confirmPassword" label="确认密码" type="password" autocomplete="new-password" errors={errors} />
      <button class="btn btn-primary btn-block" type="submit">注册</button>
      <p class="form-foot"><a href="/login">使用已有账户登录</a></p>
    </form>
  )
}

export const LoginForm = (p: { csrf: string; next: string; values?: Values | undefined; errors?: Errors | undefined; notice?: string | undefined; unlockHref?: string | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <form method="post" action="/login" class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <input type="hidden" name="next" value={p.next} />
      {p.notice === undefined ? null : <Notice>{p.notice}</Notice>}
      <FormError errors={errors} />
      {p.unlockHref === undefined ? null : <p class="form-foot"><a href={p.unlockHref}>通过短信验证码解锁账户</a></p>}
      <Field name="mobile" label="手机号" type="tel" inputmode="numeric" maxlength={11} autocomplete="username" placeholder="请输入手机号" values={p.values} errors={errors} />
      <Field name="password" label="密码" type="password" autocomplete="current-password" placeholder="请输入密码" errors={errors} />
      <button class="btn btn-primary btn-block" type="submit">登录</button>
      <p class="form-foot">还没有账户？<a href="/register">注册账户</a></p>
    </form>
  )
}

/** A2 解锁账户: a code texted to the account's number for unlocking lifts the log-in lock. */
export const UnlockForm = (p: { csrf: string; values?: Values | undefined; errors?: Errors | undefined; codeStatus?: CodeState | undefined }) => {
  const errors = p.errors ?? {}
  return (
    <form method="post" action="/login/unlock" class="form" novalidate>
      <CsrfInput token={p.csrf} />
      <FormError errors={errors} />
      <p class="hint">密码错误次数过多时账户会被锁定。获取短信验证码并输入即可解锁，之后请使用密码登录。</p>
      <Field name="mobile" label="手机号" type="tel" inputmode="numeric" maxlength={11} autocomplete="username" placeholder="请输入 11 位手机号" values={p.values} errors={errors} />
      <CodeField action="/login/unlock/code" values={p.values} errors={errors} codeStatus={p.codeStatus} />
      <button class="btn btn-primary btn-block" type="submit">解锁账户</button>
      <p class="form-foot"><a href="/login">返回登录</a></p>
    </form>
  )
}

export const Welcome = (p: { mobile: string }) => (
  <div class="welcome">
    <div class="success-mark" aria-hidden="true">✓</div>
    <h2>账户注册成功</h2>
    <p>您的账户是：<strong>{p.mobile}</strong>。请先进行个人实名认证。</p>
    <p class="hint">实名认证后即可签署合同；完成企业认证后可使用企业印章。</p>
    <div class="actions">
      <a class="btn btn-secondary" href="/verification/personal">个人实名认证</a>
      <a class="btn btn-primary" href="/">进入工作台</a>
    </div>
  </div>
)
