import { Hono, type MiddlewareHandler } from "hono"
import { describe } from "../catalogue.ts"
import { Option, Schema } from "effect"
import { findPersonalVerification } from "../../../core/verification/verifyPersonal.ts"
import { changePassword } from "../../../core/accounts/changePassword.ts"
import { updateProfile } from "../../../core/accounts/profile.ts"
import { Email, ProfileName, type User } from "../../../core/accounts/User.ts"
import { NewPassword, PasswordInput } from "../../../core/kernel/Password.ts"
import { decodeForm, emptyToNull } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { describeError } from "../errors.ts"
import { translate } from "../messages.ts"
import { formValues, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { PasswordView, ProfileView } from "../views/account.tsx"

const ProfileBody = Schema.Struct({ name: Schema.NullOr(ProfileName), email: Schema.NullOr(Email) })
const PasswordBody = Schema.Struct({ oldPassword: PasswordInput, newPassword: NewPassword, confirmPassword: Schema.String })

/** Pages behind log-in: a visitor is sent to log in and brought back after. */
export const requireUser: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (c.get("user") !== null) return next()
  if (c.req.method === "GET") return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303)
  return c.text("请先登录", 401)
}

export const currentUser = (c: WebContext): User => {
  const user = c.get("user")
  if (user === null) throw new Error("requireUser must guard this route")
  return user
}

export const accountRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const verified = async (c: WebContext) => Option.isSome(await deps.run(findPersonalVerification(currentUser(c).id)))

  app.get("/", async (c) =>
    renderPage(c, deps, "我的账户", <ProfileView user={currentUser(c)} verified={await verified(c)} csrf={c.get("csrfToken")} saved={c.req.query("saved") === "1"} />))

  app.post("/profile", async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const form = decodeForm(ProfileBody, { name: emptyToNull(body.name), email: emptyToNull(body.email) })
    if (!form.ok) {
      return renderPage(c, deps, "我的账户", <ProfileView user={user} verified={await verified(c)} csrf={c.get("csrfToken")} values={formValues(body)} errors={translate(form.errors)} />, 422)
    }
    const saved = await deps.exit(updateProfile(user.id, form.value))
    const refused = failureOf(saved)
    if (refused?._tag === "VerifiedNameLocked") {
      const errors = { name: describe(refused).message }
      return renderPage(c, deps, "我的账户", <ProfileView user={user} verified csrf={c.get("csrfToken")} values={formValues(body)} errors={errors} />, 422)
    }
    if (saved._tag === "Failure") throw saved.cause
    return c.redirect("/account?saved=1", 303)
  })

  app.get("/password", (c) => renderPage(c, deps, "修改密码", <PasswordView csrf={c.get("csrfToken")} />))

  app.post("/password", async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const form = decodeForm(PasswordBody, body)
    const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
    if (body.newPassword !== body.confirmPassword && errors.confirmPassword === undefined) errors.confirmPassword = "两次输入的新密码不一致"
    const again = (e: Record<string, string>, status: 400 | 404 | 422 | 500) =>
      renderPage(c, deps, "修改密码", <PasswordView csrf={c.get("csrfToken")} errors={e} />, status)
    if (!form.ok || Object.keys(errors).length > 0) return again(errors, 422)
    const exit = await deps.exit(changePassword({
      userId: user.id,
      currentSessionToken: c.get("sessionToken") ?? "",
      oldPassword: form.value.oldPassword,
      newPassword: form.value.newPassword,
    }))
    const error = failureOf(exit)
    if (error !== undefined) {
      const d = describeError(error)
      return again({ [d.field]: d.message }, d.status as 400 | 404 | 500)
    }
    if (exit._tag === "Failure") throw exit.cause
    return renderPage(c, deps, "修改密码", <PasswordView csrf={c.get("csrfToken")} done={{ otherSessions: exit.value }} />)
  })

  return app
}

