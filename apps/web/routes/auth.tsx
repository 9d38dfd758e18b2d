import { Hono } from "hono"
import { Effect, Option, Schema } from "effect"
import type { Child } from "hono/jsx"
import { endSession, startSession, SessionTtlMs } from "../../../core/accounts/sessions.ts"
import { logIn } from "../../../core/accounts/logIn.ts"
import { registerUser, sendRegistrationCode } from "../../../core/accounts/registerUser.ts"
import { sendUnlockCode, unlockAccount } from "../../../core/accounts/unlockAccount.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { NewPassword, PasswordInput } from "../../../core/kernel/Password.ts"
import { OtpCode } from "../../../core/otp/Otp.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { clearSessionCookie, setSessionCookie } from "../../platform/http/security.ts"
import { describeError, type DomainError } from "../errors.ts"
import type { AppServices } from "../../platform/layers.ts"
import { translate } from "../messages.ts"
import { formValues, isHtmx, renderAuthPage, safeNext, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { CodeStatus, LoginForm, RegisterForm, UnlockForm, Welcome } from "../views/auth.tsx"

const RegisterBody = Schema.Struct({ mobile: Mobile, code: OtpCode, password: NewPassword, confirmPassword: Schema.String })
const CodeBody = Schema.Struct({ mobile: Mobile })
const LoginBody = Schema.Struct({ mobile: Mobile, password: PasswordInput })
const UnlockBody = Schema.Struct({ mobile: Mobile, code: OtpCode })

const USER_COOKIE_MAX_AGE = SessionTtlMs.user / 1000

type CodeState = { message: string; ok: boolean; cooldown?: number }

/** 获取验证码 on a page without log-in: an htmx fragment, or the whole page again without JavaScript. */
const codeRoute = <E extends DomainError>(
  deps: WebDeps,
  title: string,
  page: (c: WebContext, values: Record<string, string>, codeStatus: CodeState) => Child,
  send: (mobile: Mobile) => Effect.Effect<{ readonly resendAfterSeconds: number }, E, AppServices>,
) => async (c: WebContext) => {
  const body = await c.req.parseBody()
  const reply = (status: CodeState, code: 200 | 400 | 404 | 409 | 429 | 500 | 502) =>
    isHtmx(c) ? c.html(<CodeStatus {...status} />, code) : renderAuthPage(c, deps, title, page(c, formValues(body), status), code)
  const form = decodeForm(CodeBody, body)
  if (!form.ok) return reply({ message: translate(form.errors).mobile ?? "请输入正确的手机号", ok: false }, 400)
  const wait = await deps.limits.sms.hit(deps.clientAddress(c))
  if (wait > 0) return reply({ message: `请求过于频繁，请 ${wait} 秒后再试`, ok: false, cooldown: wait }, 429)
  const exit = await deps.exit(send(form.value.mobile))
  const error = failureOf(exit)
  if (error !== undefined) {
    const d = describeError(error)
    const cooldown = error._tag === "OtpSendTooSoon" ? error.retryAfterSeconds : undefined
    return reply({ message: d.message, ok: false, ...(cooldown === undefined ? {} : { cooldown }) }, d.status as 400 | 404 | 409 | 429 | 500 | 502)
  }
  if (exit._tag === "Failure") throw exit.cause
  return reply({ message: "验证码已发送，5 分钟内有效", ok: true, cooldown: exit.value.resendAfterSeconds }, 200)
}

export const authRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()

  app.get("/register", (c) => renderAuthPage(c, deps, "注册用户", <RegisterForm csrf={c.get("csrfToken")} />))

  app.post("/register/code", codeRoute(deps, "注册用户", (c, values, codeStatus) => <RegisterForm csrf={c.get("csrfToken")} values={values} codeStatus={codeStatus} />, sendRegistrationCode))
  app.post("/login/unlock/code", codeRoute(deps, "解锁账户", (c, values, codeStatus) => <UnlockForm csrf={c.get("csrfToken")} values={values} codeStatus={codeStatus} />, sendUnlockCode))

  app.post("/register", async (c) => {
    const body = await c.req.parseBody()
    const form = decodeForm(RegisterBody, body)
    const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
    if (typeof body.password === "string" && body.password !== body.confirmPassword && errors.confirmPassword === undefined) {
      errors.confirmPassword = "两次输入的密码不一致"
    }
    const again = (e: Record<string, string>, status: 400 | 409 | 422 | 500 | 502) =>
      renderAuthPage(c, deps, "注册用户", <RegisterForm csrf={c.get("csrfToken")} values={formValues(body)} errors={e} />, status)
    if (!form.ok || Object.keys(errors).length > 0) return again(errors, 422)
    const exit = await deps.exit(registerUser(form.value).pipe(Effect.flatMap((user) => startSession("user", user.id))))
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeError(error)
      return again({ [d.field]: d.message }, d.status as 400 | 409 | 500 | 502)
    }
    if (exit._tag === "Failure") throw exit.cause
    setSessionCookie(c, deps.security, exit.value.token, USER_COOKIE_MAX_AGE)
    return c.redirect("/welcome", 303)
  })

  app.get("/welcome", (c) => {
    const user = c.get("user")
    if (user === null) return c.redirect("/login", 303)
    return renderAuthPage(c, deps, "注册用户", <Welcome mobile={user.mobile} />)
  })

  app.get("/login", (c) => {
    if (c.get("user") !== null) return c.redirect("/", 303)
    const notice = c.req.query("changed") === "1" ? "密码已修改，请使用新密码登录" : c.req.query("unlocked") === "1" ? "账户已解锁，请使用密码登录" : undefined
    return renderAuthPage(c, deps, "登录", <LoginForm csrf={c.get("csrfToken")} next={safeNext(c.req.query("next"))} {...(notice === undefined ? {} : { notice })} />)
  })

  app.post("/login", async (c) => {
    const body = await c.req.parseBody()
    const next = safeNext(typeof body.next === "string" ? body.next : undefined)
    const again = (errors: Record<string, string>, status: 401 | 422 | 429 | 500, unlockHref?: string) =>
      renderAuthPage(c, deps, "登录", <LoginForm csrf={c.get("csrfToken")} next={next} values={formValues(body)} errors={errors} unlockHref={unlockHref} />, status)
    const form = decodeForm(LoginBody, body)
    if (!form.ok) return again(translate(form.errors), 422)
    const wait = await deps.limits.login.hit(deps.clientAddress(c))
    if (wait > 0) return again({ _form: `登录尝试过于频繁，请 ${wait} 秒后再试` }, 429)
    const exit = await deps.exit(logIn(form.value.mobile, form.value.password))
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeError(error)
      return again({ _form: d.message }, d.status as 401 | 429 | 500, error._tag === "AccountLocked" ? `/login/unlock?mobile=${form.value.mobile}` : undefined)
    }
    if (exit._tag === "Failure") throw exit.cause
    // Rotate: whatever session the browser had before is ended, the new token replaces it.
    const previous = c.get("sessionToken")
    if (previous !== null) await deps.run(endSession(previous))
    setSessionCookie(c, deps.security, exit.value.token, USER_COOKIE_MAX_AGE)
    return c.redirect(next, 303)
  })

  app.get("/login/unlock", (c) => {
    const mobile = Schema.decodeUnknownOption(Mobile)(c.req.query("mobile"))
    return renderAuthPage(c, deps, "解锁账户", <UnlockForm csrf={c.get("csrfToken")} values={Option.isSome(mobile) ? { mobile: mobile.value } : {}} />)
  })

  app.post("/login/unlock", async (c) => {
    const body = await c.req.parseBody()
    const again = (errors: Record<string, string>, status: 400 | 404 | 409 | 422 | 429 | 500 | 502) =>
      renderAuthPage(c, deps, "解锁账户", <UnlockForm csrf={c.get("csrfToken")} values={formValues(body)} errors={errors} />, status)
    const form = decodeForm(UnlockBody, body)
    if (!form.ok) return again(translate(form.errors), 422)
    const exit = await deps.exit(unlockAccount(form.value.mobile, form.value.code))
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeError(error)
      return again({ [d.field]: d.message }, d.status as 400 | 404 | 409 | 429 | 500 | 502)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/login?unlocked=1", 303)
  })

  app.post("/logout", async (c) => {
    const token = c.get("sessionToken")
    if (token !== null) await deps.run(endSession(token))
    clearSessionCookie(c, deps.security)
    return c.redirect("/login", 303)
  })

  return app
}
