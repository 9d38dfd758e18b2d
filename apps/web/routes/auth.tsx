import { Hono } from "hono"
import { Effect, Schema } from "effect"
import { endSession, startSession, SessionTtlMs } from "../../../core/accounts/sessions.ts"
import { logIn } from "../../../core/accounts/logIn.ts"
import { registerUser, sendRegistrationCode } from "../../../core/accounts/registerUser.ts"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { NewPassword, PasswordInput } from "../../../core/kernel/Password.ts"
import { OtpCode } from "../../../core/otp/Otp.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { clearSessionCookie, setSessionCookie } from "../../platform/http/security.ts"
import { describeError } from "../errors.ts"
import { translate } from "../messages.ts"
import { clientKey, formValues, isHtmx, renderAuthPage, safeNext, type WebDeps, type WebEnv } from "../context.tsx"
import { CodeStatus, LoginForm, RegisterForm, Welcome } from "../views/auth.tsx"

const RegisterBody = Schema.Struct({ mobile: Mobile, code: OtpCode, password: NewPassword, confirmPassword: Schema.String })
const CodeBody = Schema.Struct({ mobile: Mobile })
const LoginBody = Schema.Struct({ mobile: Mobile, password: PasswordInput })

const USER_COOKIE_MAX_AGE = SessionTtlMs.user / 1000

export const authRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()

  app.get("/register", (c) => renderAuthPage(c, deps, "注册用户", <RegisterForm csrf={c.get("csrfToken")} />))

  // 获取验证码: an htmx fragment, or the whole page again without JavaScript.
  app.post("/register/code", async (c) => {
    const body = await c.req.parseBody()
    const reply = (status: { message: string; ok: boolean; cooldown?: number }, code: 200 | 400 | 409 | 429 | 502) =>
      isHtmx(c)
        ? c.html(<CodeStatus {...status} />, code)
        : renderAuthPage(c, deps, "注册用户", <RegisterForm csrf={c.get("csrfToken")} values={formValues(body)} codeStatus={status} />, code)
    const form = decodeForm(CodeBody, body)
    if (!form.ok) return reply({ message: translate(form.errors).mobile ?? "请输入正确的手机号", ok: false }, 400)
    const wait = deps.limits.sms.hit(clientKey(c))
    if (wait > 0) return reply({ message: `请求过于频繁，请 ${wait} 秒后再试`, ok: false, cooldown: wait }, 429)
    const exit = await deps.exit(sendRegistrationCode(form.value.mobile))
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeError(error)
      const cooldown = error._tag === "OtpSendTooSoon" ? error.retryAfterSeconds : undefined
      return reply({ message: d.message, ok: false, ...(cooldown === undefined ? {} : { cooldown }) }, d.status as 400 | 409 | 429 | 502)
    }
    if (exit._tag === "Failure") throw exit.cause
    return reply({ message: "验证码已发送，5 分钟内有效", ok: true, cooldown: exit.value.resendAfterSeconds }, 200)
  })

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
    const notice = c.req.query("changed") === "1" ? "密码已修改，请使用新密码登录" : undefined
    return renderAuthPage(c, deps, "登录", <LoginForm csrf={c.get("csrfToken")} next={safeNext(c.req.query("next"))} {...(notice === undefined ? {} : { notice })} />)
  })

  app.post("/login", async (c) => {
    const body = await c.req.parseBody()
    const next = safeNext(typeof body.next === "string" ? body.next : undefined)
    const again = (errors: Record<string, string>, status: 401 | 422 | 429) =>
      renderAuthPage(c, deps, "登录", <LoginForm csrf={c.get("csrfToken")} next={next} values={formValues(body)} errors={errors} />, status)
    const form = decodeForm(LoginBody, body)
    if (!form.ok) return again(translate(form.errors), 422)
    const wait = Math.max(deps.limits.login.hit(clientKey(c)), 0)
    if (wait > 0) return again({ _form: `登录尝试过于频繁，请 ${wait} 秒后再试` }, 429)
    const exit = await deps.exit(logIn(form.value.mobile, form.value.password))
    const error = failureOf(exit)
    if (error !== undefined) {
      const locked = deps.limits.loginPerMobile.hit(form.value.mobile)
      if (locked > 0) return again({ _form: `该账户密码错误次数过多，请 ${Math.ceil(locked / 60)} 分钟后再试` }, 429)
      return again({ _form: describeError(error).message }, 401)
    }
    if (exit._tag === "Failure") throw exit.cause
    // Rotate: whatever session the browser had before is ended, the new token replaces it.
    const previous = c.get("sessionToken")
    if (previous !== null) await deps.run(endSession(previous))
    setSessionCookie(c, deps.security, exit.value.token, USER_COOKIE_MAX_AGE)
    return c.redirect(next, 303)
  })

  app.post("/logout", async (c) => {
    const token = c.get("sessionToken")
    if (token !== null) await deps.run(endSession(token))
    clearSessionCookie(c, deps.security)
    return c.redirect("/login", 303)
  })

  return app
}
