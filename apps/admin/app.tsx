import { fileURLToPath } from "node:url"
import { Hono } from "hono"
import { Effect, Option, Schema } from "effect"
import { endSession, SessionTtlMs } from "../../core/accounts/sessions.ts"
import { staffLogIn } from "../../core/accounts/staff.ts"
import type { Staff } from "../../core/accounts/User.ts"
import type { StaffId } from "../../core/kernel/Ids.ts"
import { PasswordInput } from "../../core/kernel/Password.ts"
import { StaffRepository } from "../../core/ports/UserRepository.ts"
import type { AppServices } from "../platform/layers.ts"
import { decodeForm } from "../platform/http/forms.ts"
import type { RateLimiter } from "../platform/http/rateLimit.ts"
import { failureOf, type ExitRunner, type Runner } from "../platform/http/runner.ts"
import { clearSessionCookie, security, setSessionCookie, type SecurityOptions, type SecurityVariables } from "../platform/http/security.ts"
import { evidenceClient } from "../platform/http/evidenceClient.ts"
import { htmlErrorBoundary, installErrorBoundary } from "../platform/http/errorBoundary.ts"
import { BODY_KINDS, limitBodies, refuseHtml } from "../platform/http/bodyLimits.ts"
import { staticRoutes } from "../platform/http/static.ts"
import { AdminLayout, AdminLogin, Dashboard } from "./views.tsx"
import { verificationReviewRoutes } from "./routes/verifications.tsx"
import { evidenceExplorerRoutes } from "./routes/evidence.tsx"
import { orderAdminRoutes, orderQueueCounts } from "./routes/orders.tsx"
import { OrderTiles } from "./orderViews.tsx"
import { pendingReviewCount } from "../../core/verification/reviewVerification.ts"
import { doc } from "../platform/views/form.tsx"

type AdminEnv = { Variables: SecurityVariables & { staff: Staff | null } }

export interface AdminDeps {
  readonly run: Runner<AppServices>
  readonly exit: ExitRunner<AppServices>
  readonly security: SecurityOptions
  readonly loginLimit: RateLimiter
}

const LoginBody = Schema.Struct({ username: Schema.String.pipe(Schema.check(Schema.isNonEmpty({ message: "required" }))), password: PasswordInput })

/** X1: the reviewers' app. Its sessions are kind "staff" under their own cookie; user sessions never open it. */
export const createAdminApp = (deps: AdminDeps) => {
  const app = new Hono<AdminEnv>()
  installErrorBoundary(app, htmlErrorBoundary("admin"))
  app.route("/static", staticRoutes({
    "app.css": fileURLToPath(new URL("../web/static/app.css", import.meta.url)),
    "admin.css": fileURLToPath(new URL("./static/admin.css", import.meta.url)),
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
    const wait = deps.loginLimit.hit(`staff:${form.value.username}`)
    if (wait > 0) return c.html(doc(<AdminLogin csrf={c.get("csrfToken")} values={values} errors={{ _form: `尝试过于频繁，请 ${wait} 秒后再试` }} />), 429)
    const exit = await deps.exit(staffLogIn(form.value.username, form.value.password))
    if (failureOf(exit) !== undefined) return c.html(doc(<AdminLogin csrf={c.get("csrfToken")} values={values} errors={{ _form: "用户名或密码错误" }} />), 401)
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

  app.get("/", async (c) => {
    const pendingVerifications = await deps.run(pendingReviewCount())
    return c.html(doc(<AdminLayout title="工作台" staff={c.get("staff")!} csrf={c.get("csrfToken")}><Dashboard pendingVerifications={pendingVerifications} /><OrderTiles counts={await deps.run(orderQueueCounts)} /></AdminLayout>))
  })
  app.route("/verifications", verificationReviewRoutes(deps))
  app.route("/evidence", evidenceExplorerRoutes(deps))
  app.route("/orders", orderAdminRoutes(deps))

  return app
}
