/**
 * The enterprise workspace guard (E1-E7): every request under
 * /org/:enterpriseId/... loads the enterprise, its branch tree and the
 * current user's membership afresh from the database (a deactivation takes
 * effect at the next request), answers 404 to non-members, and lets routes
 * ask `can()` through `requireCan` / `orgCan`. Seals, signatures and API keys
 * mount their sub-apps built with `orgRoutes(deps)` under `ORG_PATH`.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono"
import type { Child } from "hono/jsx"
import { Exit } from "effect"
import { myEnterprises, orgScope, resourceAt, scopeCan, headOffice, type OrgScope } from "../../core/organizations/orgScope.ts"
import type { Action, Resource, Role } from "../../core/organizations/permissions.ts"
import { failureOf } from "../platform/http/runner.ts"
import { raw } from "hono/html"
import { doc } from "../platform/views/form.tsx"
import { pageContext, type WebDeps, type WebEnv } from "./context.tsx"
import { Layout, orgMenu } from "./views/Layout.tsx"
import { roleNames } from "../../core/organizations/Organization.ts"

export type { OrgScope }
export type OrgEnv = { Variables: WebEnv["Variables"] & { orgScope: OrgScope } }
export type OrgContext = Context<OrgEnv>

/** Mount path of enterprise routes; the id is 19 digits, so /org/invitations etc. never match it. */
export const ORG_PATH = "/org/:enterpriseId{[1-9][0-9]{18}}"

export const roleLabel = (roles: ReadonlyArray<Role>): string => roleNames(roles)

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502

/** The scope loaded by the guard for this request (enterprise, org tree, actor as member). */
export const currentScope = (c: OrgContext): OrgScope => c.get("orgScope")

/** `/org/<id><rest>` of the current enterprise. */
export const orgHref = (c: OrgContext, rest = ""): string => `/org/${currentScope(c).org.enterpriseId}${rest}`

/** `can()` for the current member; `resource` defaults to the member's own branch. */
export const orgCan = (c: OrgContext, action: Action, resource?: Resource): boolean =>
  scopeCan(currentScope(c), action, resource ?? resourceAt(currentScope(c)))

/** Renders a page of the enterprise workspace: header names the enterprise, the 企业工作台 menu shows. */
export const renderOrgPage = async (c: OrgContext, deps: WebDeps, title: string, body: Child, status: Status = 200) => {
  const scope = currentScope(c)
  const mine = await deps.run(myEnterprises(scope.member.userId))
  const allowed = new Set<string>()
  for (const item of orgMenu) {
    if (item.action === undefined) continue
    const action = item.action as Action
    if (scopeCan(scope, action, action === "enterprise.handover" ? headOffice(scope) : resourceAt(scope))) allowed.add(action)
  }
  const ctx = {
    ...pageContext(c, deps.devProfile),
    org: {
      id: scope.org.enterpriseId, name: scope.enterprise.name, roleLabel: roleLabel(scope.member.roles), allowed,
      enterprises: mine.map((m) => ({ id: m.enterprise.id, name: m.enterprise.name })),
    },
  }
  return c.html(doc(Layout({ ctx, title, children: body })), status)
}

/** A refusal message (fixed zh-CN text, never user input). */
const alert = (message: string) => raw(`<p class="alert alert-error" role="alert">${message}</p>`)

const refusal = (c: Context<OrgEnv>, deps: WebDeps, status: 403 | 404, message: string) =>
  c.html(doc(Layout({ ctx: pageContext(c, deps.devProfile), title: status === 404 ? "企业不存在" : "无权访问", children: alert(message) })), status)

/**
 * Loads the scope for :enterpriseId on every request. Not logged in: to the
 * log-in page (GET) or 401. Not a member (or no such enterprise): 404.
 * Deactivated member: 403.
 */
export const orgGuard = (deps: WebDeps): MiddlewareHandler<OrgEnv> => async (c, next) => {
  const user = c.get("user")
  if (user === null) {
    return c.req.method === "GET" ? c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303) : c.text("请先登录", 401)
  }
  const exit = await deps.exit(orgScope(user.id, c.req.param("enterpriseId") ?? ""))
  if (Exit.isSuccess(exit)) {
    c.set("orgScope", exit.value)
    return next()
  }
  const error = failureOf(exit)
  if (error?._tag === "NotFound") return refusal(c, deps, 404, "企业不存在，或您不是该企业的成员")
  if (error?._tag === "Forbidden") return refusal(c, deps, 403, "您在该企业的账号已注销，无权访问企业工作台")
  throw exit.cause
}

/** A sub-app for routes under `ORG_PATH` (e.g. `${ORG_PATH}/seals`): every request passes `orgGuard` first. */
export const orgRoutes = (deps: WebDeps): Hono<OrgEnv> => {
  const app = new Hono<OrgEnv>()
  app.use("*", orgGuard(deps))
  return app
}

/**
 * Refuses (403 page) unless the current member may do `action` to the
 * resource `resourceOf` names (default: their own branch). `resourceOf`
 * answering null means "no such resource in this enterprise": 404.
 */
export const requireCan = (
  deps: WebDeps,
  action: Action,
  resourceOf?: (c: OrgContext) => Resource | null | Promise<Resource | null>,
): MiddlewareHandler<OrgEnv> => async (c, next) => {
  const resource = resourceOf === undefined ? resourceAt(currentScope(c)) : await resourceOf(c)
  if (resource === null) return renderOrgPage(c, deps, "内容不存在", alert("内容不存在或无权访问"), 404)
  if (!orgCan(c, action, resource)) return renderOrgPage(c, deps, "无权访问", alert("您没有此操作的权限"), 403)
  return next()
}
