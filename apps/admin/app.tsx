import { fileURLToPath } from "node:url"
import { Hono, type Context } from "hono"
import QRCode from "qrcode"
import { Effect, Option, Schema } from "effect"
import { endSession, SessionTtlMs } from "../../core/accounts/sessions.ts"
import { staffLogIn } from "../../core/accounts/staff.ts"
import { confirmTotpEnrolment, hasTotp, totpEnrolment } from "../../core/accounts/staffTotp.ts"
import type { Staff } from "../../core/accounts/User.ts"
import type { StaffId } from "../../core/kernel/Ids.ts"
import { PasswordInput } from "../../core/kernel/Password.ts"
import { StaffRepository } from "../../core/ports/UserRepository.ts"
import type { AppServices } from "../platform/layers.ts"
import { decodeForm } from "../platform/http/forms.ts"
import { failureOf, type ExitRunner, type Runner } from "../platform/http/runner.ts"
import { clearSessionCookie, security, setSessionCookie, type SecurityOptions, type SecurityVariables } from "../platform/http/security.ts"
import { evidenceClient } from "../platform/http/evidenceClient.ts"
import { htmlErrorBoundary, installErrorBoundary, notFoundPage } from "../platform/http/errorBoundary.ts"
import { BODY_KINDS, limitBodies, refuseHtml } from "../platform/http/bodyLimits.ts"
import { staticRoutes } from "../platform/http/static.ts"
import { AdminLayout, hereOf, AdminLogin, Dashboard, TotpEnrolled, TotpEnrolment, TotpReminder } from "./views.tsx"
import { clientKey } from "../web/context.tsx"
import { verificationReviewRoutes } from "./routes/verifications.tsx"
import { evidenceExplorerRoutes } from "./routes/evidence.tsx"
import { orderAdminRoutes, orderQueueCounts } from "./routes/orders.tsx"
import { OrderTiles } from "./orderViews.tsx"
import { invoiceQueue } from "../../core/orders/invoicing.ts"
import { pendingReviewCount } from "../../core/verification/reviewVerification.ts"
import { doc, type Errors } from "../platform/views/form.tsx"
import { mountOperations, type OperationsDeps } from "../platform/http/operations.ts"

type AdminEnv = { Variables: SecurityVariables & { staff: Staff | null } }

export interface AdminDeps {
  readonly run: Runner<AppServices>
  readonly exit: ExitRunner<AppServices>
  readonly security: SecurityOptions
  /** X1: "required" (production default) sends a staff member without an authenticator to enrolment before anything else. */
  readonly staffTotp: "required" | "optional"
  /** Request ids, access log, metrics, the 503 while the database is away, /healthz /readyz /metrics. */
  readonly operations: OperationsDeps
}

const LoginBody = Schema.Struct({
  username: Schema.String.pipe(Schema.check(Schema.isNonEmpty({ message: "required" }))),
  password: PasswordInput,
  code: Schema.optional(Schema.String),
})
const CodeBody = Schema.Struct({ code: Schema.String })
/** A typed code as authenticator apps show it ("123 456"): spaces dropped. */
const digits = (code: string) => code.replace(/\s/g, "")

/** X1: the reviewers' app. Its sessions are kind "staff" under their own cookie; user sessions never open it. */
export const createAdminApp = (deps: AdminDeps) => {
  const app = new Hono<AdminEnv>()
  mountOperations(app, "admin", deps.operations)
  installErrorBoundary(app, htmlErrorBoundary("admin"))
  app.route("/static", staticRoutes({
    "app.css": fileURLToPath(new URL("../web/static/app.css", import.meta.url)),
    "admin.css": fileURLToPath(new URL("./static/admin.css", import.meta.url)),
    "pdf-preview.js": fileURLToPath(new URL("./static/pdf-preview.js", import.meta.url)),
    "pdf-pages.js": fileURLToPath(new URL("../web/static/pdf-pages.js", import.meta.url)),
    // The portal's small behaviours, for the confirm dialogs (data-confirm) of staff acts such as 退款.
    "app.js": fileURLToPath(new URL("../web/static/app.js", import.meta.url)),
  }))
  // Before CSRF and log-in read the body: the admin app takes small forms only (an anonymous 1 GB POST to /login took 4 GB).
  app.use("*", limitBodies([], BODY_KINDS.form, refuseHtml))
  app.use("*", security(deps.security))
  app.use("*", evidenceClient)
  app.use("*", async (c, next) => {
    const session = c.get("session")
    const staff = session === null
      ? null
      : await deps.run(StaffRepository.use((r) => r.findById(session.subjectId as StaffId)).pipe(Effect.map(Option.getOrNull)))
    c.set("staff", staff)
    await next()
  })

  app.get("/login", (c) => c.get("staff") === null ? c.html(doc(<AdminLogin csrf={c.get("csrfToken")} />)) : c.redirect("/", 303))

  app.post("/login", async (c) => {
    const body = await c.req.parseBody()
    const values = { username: typeof body.username === "string" ? body.username : "" }
    const form = decodeForm(LoginBody, body)
    if (!form.ok) return c.html(doc(<AdminLogin csrf={c.get("csrfToken")} values={values} errors={{ _form: "请输入用户名和密码" }} />), 422)
    const exit = await deps.exit(staffLogIn(form.value.username, form.value.password, digits(form.value.code ?? ""), clientKey(c)))
    const failure = failureOf(exit)
    if (failure?._tag === "StaffLogInLocked") {
      return c.html(doc(<AdminLogin csrf={c.get("csrfToken")} values={values} errors={{ _form: `尝试过于频繁，请 ${failure.retryAfterSeconds} 秒后再试` }} />), 429)
    }
    if (failure?._tag === "InvalidCredentials") return c.html(doc(<AdminLogin csrf={c.get("csrfToken")} values={values} errors={{ _form: "用户名、密码或动态验证码错误" }} />), 401)
    if (exit._tag === "Failure") throw exit.cause
    const previous = c.get("sessionToken")
    if (previous !== null) await deps.run(endSession(previous))
    setSessionCookie(c, deps.security, exit.value.token, SessionTtlMs.staff / 1000)
    return c.redirect("/", 303)
  })

  app.post("/logout", async (c) => {
    const token = c.get("sessionToken")
    if (token !== null) await deps.run(endSession(token))
    clearSessionCookie(c, deps.security)
    return c.redirect("/login", 303)
  })

  app.use("*", async (c, next) => {
    if (c.get("staff") !== null) return next()
    return c.req.method === "GET" ? c.redirect("/login", 303) : c.text("请先登录", 401)
  })

  app.get("/account/totp", async (c) => {
    const enrolment = await deps.run(totpEnrolment(c.get("staff")!))
    return totpPage(c, enrolment)
  })
  app.post("/account/totp", async (c) => {
    const form = decodeForm(CodeBody, await c.req.parseBody())
    const exit = await deps.exit(confirmTotpEnrolment(c.get("staff")!, form.ok ? digits(form.value.code) : ""))
    if (failureOf(exit)?._tag === "TotpCodeIncorrect") return totpPage(c, await deps.run(totpEnrolment(c.get("staff")!)), { code: "验证码不正确，请输入验证器上当前显示的 6 位数字" }, 422)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/account/totp", 303)
  })
  const totpPage = async (c: Context<AdminEnv>, enrolment: { enrolled: true } | { enrolled: false; uri: string }, errors?: Errors, status: 200 | 422 = 200) => {
    // The page carries the secret: no cache keeps it.
    c.header("Cache-Control", "no-store")
    return c.html(doc(
      <AdminLayout here={hereOf(c.req.url)} title="身份验证器" staff={c.get("staff")!} csrf={c.get("csrfToken")}>
        {enrolment.enrolled
          ? <TotpEnrolled />
          : <TotpEnrolment csrf={c.get("csrfToken")} uri={enrolment.uri} qrSvg={await QRCode.toString(enrolment.uri, { type: "svg", margin: 1 })} required={deps.staffTotp === "required"} errors={errors} />}
      </AdminLayout>,
    ), status)
  }

  // Two-factor required: an account without an authenticator opens nothing but its enrolment (and log-out).
  app.use("*", async (c, next) => {
    if (deps.staffTotp === "optional" || await deps.run(hasTotp(c.get("staff")!.id))) return next()
    return c.req.method === "GET" ? c.redirect("/account/totp", 303) : c.text("请先绑定身份验证器", 403)
  })

  app.get("/", async (c) => {
    const reminder = deps.staffTotp === "optional" && !(await deps.run(hasTotp(c.get("staff")!.id)))
    const pendingVerifications = await deps.run(pendingReviewCount())
    return c.html(doc(<AdminLayout here={hereOf(c.req.url)} title="工作台" staff={c.get("staff")!} csrf={c.get("csrfToken")}>{reminder ? <TotpReminder /> : null}<Dashboard pendingVerifications={pendingVerifications} /><OrderTiles counts={await deps.run(orderQueueCounts)} invoices={(await deps.run(invoiceQueue("toIssue", 1000))).length} /></AdminLayout>))
  })
  app.route("/verifications", verificationReviewRoutes(deps))
  app.route("/evidence", evidenceExplorerRoutes(deps))
  app.route("/orders", orderAdminRoutes(deps))

  app.notFound(notFoundPage)
  return app
}
