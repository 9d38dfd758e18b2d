import { Hono } from "hono"
import { Option, Schema } from "effect"
import { acceptHandover, handoverFor } from "../../../core/organizations/acceptHandover.ts"
import { InvitationId, HandoverId } from "../../../core/organizations/Organization.ts"
import { myEnterprises } from "../../../core/organizations/orgScope.ts"
import { acceptInvitation, declineInvitation } from "../../../core/organizations/respondInvitation.ts"
import { inbox } from "../../../core/organizations/workspace.ts"
import { EnterpriseRepository } from "../../../core/ports/EnterpriseRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import type { EnterpriseId } from "../../../core/organizations/Enterprise.ts"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { HandoverAcceptPage, OrgChooserPage } from "../views/organization.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { describeOrgError } from "./organizationErrors.ts"
import { attempt } from "./verificationFiles.ts"

const notices: Record<string, string> = { declined: "已拒绝邀请" }

/**
 * /org: 切换到企业用户 (the user's enterprises), the invitations inbox
 * (accept, decline) and the new admin's handover acceptance. Everything is
 * the current user's own: someone else's invitation or request is "not found".
 */
export const organizationRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const chooser = async (c: WebContext, extra: { notice?: string; error?: string } = {}, status: 200 | 404 | 409 = 200) => {
    const user = currentUser(c)
    const [enterprises, waiting] = await Promise.all([deps.run(myEnterprises(user.id)), deps.run(inbox(user.id))])
    return renderPage(c, deps, "切换到企业用户", <OrgChooserPage csrf={c.get("csrfToken")} enterprises={enterprises} invitations={waiting.invitations} handovers={waiting.handovers} {...extra} />, status)
  }

  app.get("/", (c) => chooser(c, notices[c.req.query("done") ?? ""] === undefined ? {} : { notice: notices[c.req.query("done") ?? ""]! }))

  app.post("/invitations/:id/:answer{accept|decline}", async (c) => {
    const id = Schema.decodeUnknownOption(InvitationId)(c.req.param("id"))
    if (Option.isNone(id)) return chooser(c, { error: "邀请不存在" }, 404)
    const accept = c.req.param("answer") === "accept"
    const user = currentUser(c)
    const r = accept ? await attempt(deps.exit, acceptInvitation(user.id, id.value)) : await attempt(deps.exit, declineInvitation(user.id, id.value))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return chooser(c, { error: d.message }, d.status === 404 ? 404 : 409)
    }
    return accept && r.value !== undefined ? c.redirect(`/org/${r.value.enterpriseId}?done=joined`, 303) : c.redirect("/org?done=declined", 303)
  })

  const handoverPage = async (c: WebContext, error?: string, status: 200 | 404 | 409 = 200) => {
    const id = Schema.decodeUnknownOption(HandoverId)(c.req.param("id"))
    const r = Option.isNone(id) ? null : await attempt(deps.exit, handoverFor(currentUser(c).id, id.value))
    if (r === null || !r.ok) return renderPage(c, deps, "更换管理员", <p class="alert alert-error" role="alert">请求不存在或无权查看</p>, 404)
    const request = r.value
    const enterprise = await deps.run(EnterpriseRepository.use((e) => e.findById(request.enterpriseId as EnterpriseId)))
    const from = await deps.run(UserRepository.use((u) => u.findById(request.fromUserId as UserId)))
    if (Option.isNone(enterprise)) return renderPage(c, deps, "更换管理员", <p class="alert alert-error" role="alert">请求不存在或无权查看</p>, 404)
    const closed = request.status === "pending" ? undefined : "该请求已失效（已接受、已撤销或已过期）"
    return renderPage(c, deps, "更换管理员",
      <HandoverAcceptPage csrf={c.get("csrfToken")} request={request} enterprise={enterprise.value} fromName={Option.match(from, { onNone: () => "—", onSome: (u) => u.name ?? u.mobile })} error={error ?? closed} />,
      status)
  }

  app.get("/handovers/:id", (c) => handoverPage(c))

  app.post("/handovers/:id/accept", async (c) => {
    const id = Schema.decodeUnknownOption(HandoverId)(c.req.param("id"))
    if (Option.isNone(id)) return handoverPage(c)
    const r = await attempt(deps.exit, acceptHandover(currentUser(c).id, id.value))
    if (!r.ok) {
      const d = describeOrgError(r.error)
      return handoverPage(c, d.message, d.status === 404 ? 404 : 409)
    }
    return c.redirect(`/org/${r.value.promoted.enterpriseId}?done=admin`, 303)
  })

  return app
}
