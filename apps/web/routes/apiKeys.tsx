import { Schema } from "effect"
import { ApiKeyId } from "../../../core/api/Api.ts"
import { ApiKeyName, createApiKey, listApiKeys, revokeApiKey } from "../../../core/api/apiKeys.ts"
import type { EnterpriseId } from "../../../core/organizations/Enterprise.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { formValues, type WebDeps } from "../context.tsx"
import type { MiddlewareHandler } from "hono"
import { headOffice } from "../../../core/organizations/orgScope.ts"
import { currentScope, ORG_PATH, orgCan, orgHref, orgRoutes, renderOrgPage, type OrgContext, type OrgEnv } from "../orgContext.ts"
import { ApiKeysPage } from "../views/apiPages.tsx"
import { raw } from "hono/html"

export const API_KEYS_PATH = `${ORG_PATH}/api-keys`
const TITLE = "API 密钥"

/** The page for a failed use case: only the enterprise admin manages keys (403); unknown ids are 404. */
export const refusedPage = (c: OrgContext, deps: WebDeps, title: string, error: { readonly _tag: string } | undefined) =>
  error?._tag === "NotEnterpriseAdmin" || error?._tag === "Forbidden"
    ? renderOrgPage(c, deps, title, raw(`<p class="alert alert-error" role="alert">只有企业管理员可以管理${title}</p>`), 403)
    : error?._tag === "NotFound"
    ? renderOrgPage(c, deps, title, raw(`<p class="alert alert-error" role="alert">内容不存在或无权访问</p>`), 404)
    : Promise.reject(new Error(`${title}: unexpected failure ${error?._tag ?? "defect"}`))

const KeyForm = Schema.Struct({ name: ApiKeyName })

/**
 * The pages' guard: `api.manage` on the head office (the admin, R2), asked
 * before any form is read; the use cases ask again.
 */
export const apiManageGuard = (deps: WebDeps, title: string): MiddlewareHandler<OrgEnv> => async (c, next) =>
  orgCan(c, "api.manage", headOffice(currentScope(c))) ? next() : refusedPage(c, deps, title, { _tag: "NotEnterpriseAdmin" })

/** 企业工作台 → API 密钥 (P4): the enterprise admin creates keys (secret shown once) and revokes them. */
export const apiKeyRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  app.use("*", apiManageGuard(deps, TITLE))
  const enterpriseOf = (c: OrgContext) => currentScope(c).enterprise.id as EnterpriseId

  const page = async (c: OrgContext, extra: Partial<Parameters<typeof ApiKeysPage>[0]> = {}, status: 200 | 422 = 200) => {
    const exit = await deps.exit(listApiKeys(c.get("user")!, enterpriseOf(c)))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    const notice = c.req.query("done") === "revoked" ? "已撤销，使用该密钥签名的请求将被拒绝" : undefined
    return renderOrgPage(c, deps, TITLE, <ApiKeysPage base={orgHref(c)} csrf={c.get("csrfToken")} keys={exit.value.keys} notice={notice} {...extra} />, status)
  }

  app.get("/", (c) => page(c))

  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const form = decodeForm(KeyForm, body)
    if (!form.ok) return page(c, { values: formValues(body), errors: { name: "请填写密钥名称（1-40 个字，首尾无空格）" } }, 422)
    const exit = await deps.exit(createApiKey(c.get("user")!, enterpriseOf(c), form.value.name))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    // Rendered, not redirected: the secret exists only in this response.
    return page(c, { created: { id: exit.value.key.id, secret: exit.value.secret } })
  })

  app.post("/:keyId/revoke", async (c) => {
    const id = Schema.decodeUnknownOption(ApiKeyId)(c.req.param("keyId"))
    if (id._tag === "None") return refusedPage(c, deps, TITLE, { _tag: "NotFound" })
    const exit = await deps.exit(revokeApiKey(c.get("user")!, enterpriseOf(c), id.value))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    return c.redirect(orgHref(c, "/api-keys?done=revoked"), 303)
  })

  return app
}
