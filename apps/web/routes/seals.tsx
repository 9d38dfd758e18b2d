/**
 * E5/E7 印章管理 under /org/:enterpriseId/seals: list, add (generate or
 * upload), enable/disable, authorize members, a seal's page with its usage
 * log, and the seal image. The guard loads the member for every request;
 * every act is checked again by its use case with `can()`.
 */
import type { Context } from "hono"
import { type Effect, Option, Schema } from "effect"
import { SealName, SealType } from "../../../core/seals/sealsModel.ts"
import { IMAGE_LIMITS } from "../../../core/seals/image/sealImageUpload.ts"
import { sealOverview, sealsOverview } from "../../../core/seals/sealsPages.ts"
import { authorizeSeal, createSeal, revokeSealGrant, sealImage, setSealEnabled } from "../../../core/seals/seals.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { AppServices } from "../../platform/layers.ts"
import type { WebDeps } from "../context.tsx"
import { formValues } from "../context.tsx"
import { translate } from "../messages.ts"
import { currentScope, ORG_PATH, orgHref, orgRoutes, renderOrgPage, requireCan, type OrgContext } from "../orgContext.ts"
import { SealPage, SealsPage } from "../views/seals.tsx"
import type { WebError } from "../catalogue.ts"
import { describeSealErrorOr500 } from "./sealsErrors.ts"
import { autoSignRoutes } from "./autoSign.tsx"
import { attempt, bytesOf, fileOf } from "./verificationFiles.ts"

const TITLE = "印章管理"
const Id = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
const NewSealForm = Schema.Struct({ type: SealType, name: SealName, branchId: Id, source: Schema.Literals(["generate", "upload"]) })
const GrantForm = Schema.Struct({ userId: Id })

const notices: Record<string, string> = {
  created: "印章已添加，已为其签发企业证书", authorized: "已授权", revoked: "已取消授权", enabled: "印章已启用", disabled: "印章已停用",
}
type Status = 200 | 400 | 403 | 404 | 409 | 422 | 500

/** Serves a PNG to whoever the route already checked; never cached by shared caches. */
export const servePng = (c: Context, bytes: Uint8Array) =>
  c.body(new Uint8Array(bytes), 200, { "content-type": "image/png", "cache-control": "private, no-store", "x-content-type-options": "nosniff" })

const idParam = (c: OrgContext, name: string) => Schema.decodeUnknownOption(Id)(c.req.param(name))

export const SEALS_PATH = `${ORG_PATH}/seals`

export const sealRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  app.use("*", requireCan(deps, "seal.view"))

  const listPage = async (c: OrgContext, extra: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status: Status = 200) => {
    const overview = await deps.run(sealsOverview(currentScope(c)))
    const notice = notices[c.req.query("done") ?? ""]
    return renderOrgPage(c, deps, TITLE, <SealsPage csrf={c.get("csrfToken")} base={orgHref(c)} overview={overview} notice={notice} {...extra} />, status)
  }

  const sealPage = async (c: OrgContext, sealId: string, errors: Record<string, string> = {}, status: Status = 200) => {
    const r = await attempt(deps.exit, sealOverview(currentScope(c), sealId))
    if (!r.ok) {
      const d = describeSealErrorOr500(r.error)
      return renderOrgPage(c, deps, TITLE, <SealsNotFound base={orgHref(c)} message={d.message} />, d.status === 404 ? 404 : 500)
    }
    const o = r.value
    return renderOrgPage(c, deps, `${TITLE} · ${o.seal.name}`, (
      <SealPage csrf={c.get("csrfToken")} base={orgHref(c)} enterpriseName={currentScope(c).enterprise.name} seal={o.seal} branchName={o.branchName}
        grants={o.grants} usages={o.usages} names={o.names} grantable={o.grantable} mayAuthorize={o.mayAuthorize} mayDisable={o.mayDisable}
        errors={errors} notice={notices[c.req.query("done") ?? ""]} />
    ), status)
  }

  app.get("/", (c) => listPage(c))

  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const form = decodeForm(NewSealForm, body)
    const file = fileOf(body, "image")
    const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
    if (form.ok && form.value.source === "upload") {
      if (file === null) errors.image = "请选择印章图片文件"
      else if (file.size > IMAGE_LIMITS.maxBytes) errors.image = "图片不能超过 5 MB"
    }
    if (!form.ok || Object.keys(errors).length > 0) return listPage(c, { values, errors }, 422)
    const { type, name, branchId, source } = form.value
    const image = source === "generate" ? { kind: "generate" as const } : { kind: "upload" as const, bytes: await bytesOf(file!) }
    const r = await attempt(deps.exit, createSeal(currentScope(c), { type, name, branchId, image }))
    if (!r.ok) {
      const d = describeSealErrorOr500(r.error)
      return listPage(c, { values, errors: { [d.field]: d.message } }, d.status === 400 ? 422 : d.status as Status)
    }
    return c.redirect(orgHref(c, `/seals/${r.value.id}?done=created`), 303)
  })

  app.get("/:sealId/image.png", async (c) => {
    const id = idParam(c, "sealId")
    if (Option.isNone(id)) return c.text("印章不存在", 404)
    const r = await attempt(deps.exit, sealImage(currentScope(c), id.value))
    if (!r.ok) return c.text("印章不存在", 404)
    return servePng(c, r.value)
  })

  // 自动签署授权 (before /:sealId, which would take "auto-sign" for an id).
  autoSignRoutes(app, deps)

  app.get("/:sealId", (c) => {
    const id = idParam(c, "sealId")
    return Option.isNone(id) ? renderOrgPage(c, deps, TITLE, <SealsNotFound base={orgHref(c)} message="印章不存在或无权访问" />, 404) : sealPage(c, id.value)
  })

  /** Runs an act on a seal; a refusal re-renders the seal's page with its message. */
  const act = async (c: OrgContext, run: (sealId: string) => Effect.Effect<unknown, WebError, AppServices>, done: string) => {
    const id = idParam(c, "sealId")
    if (Option.isNone(id)) return renderOrgPage(c, deps, TITLE, <SealsNotFound base={orgHref(c)} message="印章不存在或无权访问" />, 404)
    const r = await attempt(deps.exit, run(id.value))
    if (!r.ok) {
      const d = describeSealErrorOr500(r.error)
      if (d.status === 404) return renderOrgPage(c, deps, TITLE, <SealsNotFound base={orgHref(c)} message={d.message} />, 404)
      return sealPage(c, id.value, { [d.field]: d.message }, d.status === 400 ? 422 : d.status as Status)
    }
    return c.redirect(orgHref(c, `/seals/${id.value}?done=${done}`), 303)
  }

  app.post("/:sealId/enable", (c) => act(c, (id) => setSealEnabled(currentScope(c), id, true), "enabled"))
  app.post("/:sealId/disable", (c) => act(c, (id) => setSealEnabled(currentScope(c), id, false), "disabled"))

  app.post("/:sealId/grants", async (c) => {
    const form = decodeForm(GrantForm, await c.req.parseBody())
    if (!form.ok) {
      const id = idParam(c, "sealId")
      return Option.isNone(id) ? c.text("印章不存在", 404) : sealPage(c, id.value, { userId: "请选择要授权的成员" }, 422)
    }
    return act(c, (id) => authorizeSeal(currentScope(c), id, form.value.userId), "authorized")
  })

  app.post("/:sealId/grants/:userId/revoke", (c) => {
    const user = idParam(c, "userId")
    if (Option.isNone(user)) return renderOrgPage(c, deps, TITLE, <SealsNotFound base={orgHref(c)} message="授权记录不存在" />, 404)
    return act(c, (id) => revokeSealGrant(currentScope(c), id, user.value), "revoked")
  })

  return app
}

const SealsNotFound = (p: { base: string; message: string }) => (
  <div class="stack">
    <p class="alert alert-error" role="alert">{p.message}</p>
    <p><a href={`${p.base}/seals`}>← 返回印章列表</a></p>
  </div>
)
