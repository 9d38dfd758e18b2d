/**
 * 自动签署授权 under /org/:enterpriseId/seals/auto-sign (issue 20): the list,
 * the authorization form (an SMS code to the admin confirms it) and
 * revocation. Only the enterprise's admin may authorize or revoke (checked
 * first, then again by the use case); members who may see the seals see the list.
 */
import { describe } from "../catalogue.ts"
import { Clock, Effect, Schema } from "effect"
import { AutoSignInput } from "../../../core/seals/AutoSignAuthorization.ts"
import { authorizeAutoSign, isAutoSignAdmin, listAutoSign, requestAutoSignCode, revokeAutoSign } from "../../../core/seals/autoSign.ts"
import { SealRepository } from "../../../core/ports/SealRepository.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { WebDeps } from "../context.tsx"
import { formValues } from "../context.tsx"
import { currentScope, orgHref, renderOrgPage, type orgRoutes, type OrgContext } from "../orgContext.ts"
import { AutoSignPage } from "../views/autoSign.tsx"
import { describeError, type DomainError } from "../errors.ts"
import type { AutoSignWindowInvalid } from "../../../core/seals/AutoSignAuthorization.ts"
import type { SealDisabled } from "../../../core/seals/sealsErrors.ts"
import { attempt } from "./verificationFiles.ts"
import { beijingLocalMinute } from "../../../core/kernel/time.ts"

const TITLE = "自动签署授权"
const When = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "datetime.invalid" })))
const AutoSignForm = Schema.Struct({
  sealId: Schema.String,
  scopeKind: Schema.Literals(["templates", "counterparties"]),
  scopeValues: Schema.String,
  validFrom: When,
  validUntil: When,
  maxCount: Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{1,6}$/, { message: "int.invalid" }))),
  code: Schema.optionalKey(Schema.String),
})
const MESSAGES: Record<string, string> = {
  sealId: "请选择启用中的印章",
  scopeKind: "请选择授权范围",
  scopeValues: "请填写 1-50 项范围内容，每项 1-60 个字",
  validFrom: "请选择生效时间",
  validUntil: "请选择截止时间",
  maxCount: "最多签署份数须为 1-100000 的整数",
}
const notices: Record<string, string> = { granted: "自动签署授权已生效", revoked: "自动签署授权已撤销", code: "验证码已发送到管理员手机" }
const chinaTime = beijingLocalMinute
type Status = 200 | 403 | 404 | 409 | 422 | 429 | 500

/** Registers the pages on the seals sub-app (before its `/:sealId` routes). */
export const autoSignRoutes = (app: ReturnType<typeof orgRoutes>, deps: WebDeps) => {
  const page = async (c: OrgContext, extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string } = {}, status: Status = 200) => {
    const scope = currentScope(c)
    const data = await deps.run(Effect.all({
      seals: SealRepository.use((r) => r.seals(scope.enterprise.id)),
      authorizations: listAutoSign(scope),
      now: Clock.currentTimeMillis,
    }))
    return renderOrgPage(c, deps, TITLE, (
      <AutoSignPage csrf={c.get("csrfToken")} base={orgHref(c)} seals={data.seals} authorizations={data.authorizations} isAdmin={isAutoSignAdmin(scope)}
        now={data.now} values={extra.values} errors={extra.errors} notice={extra.notice ?? notices[c.req.query("done") ?? ""]} />
    ), status)
  }
  const forbidden = (c: OrgContext) => page(c, { errors: { _form: "只有企业管理员可以设置或撤销自动签署授权" } }, 403)

  /** The form as the use case's input, or the zh-CN errors next to its fields. */
  const decoded = (body: Record<string, unknown>) => {
    const form = decodeForm(AutoSignForm, body)
    if (!form.ok) return { ok: false as const, errors: Object.fromEntries(Object.keys(form.errors).map((k) => [k, MESSAGES[k] ?? "请检查此项"])) }
    const f = form.value
    const input = decodeForm(AutoSignInput, {
      sealId: f.sealId, scopeKind: f.scopeKind, scopeValues: f.scopeValues.split(/[\r\n]+/).map((v) => v.trim()).filter((v) => v !== ""),
      validFrom: chinaTime(f.validFrom), validUntil: chinaTime(f.validUntil), maxCount: Number(f.maxCount),
    })
    if (!input.ok) return { ok: false as const, errors: Object.fromEntries(Object.keys(input.errors).map((k) => [k, MESSAGES[k] ?? "请检查此项"])) }
    return { ok: true as const, input: input.value, code: f.code ?? "" }
  }

  /** The refusal's zh-CN message next to its field: the window here, codes and the rest as everywhere else. */
  const refusal = (e: AutoSignWindowInvalid | SealDisabled | DomainError): { status: Status; errors: Record<string, string> } => {
    if (e._tag === "AutoSignWindowInvalid") return { status: 422, errors: { validUntil: describe(e).message } }
    if (e._tag === "SealDisabled") return { status: 409, errors: { sealId: "该印章已停用" } }
    const d = describeError(e)
    return { status: (d.status === 400 || d.status === 401 ? 422 : d.status === 502 ? 500 : d.status), errors: { [d.field]: d.message } }
  }

  app.get("/auto-sign", (c) => page(c))

  const submit = (step: "code" | "grant") => async (c: OrgContext) => {
    if (!isAutoSignAdmin(currentScope(c))) return forbidden(c)
    const body = await c.req.parseBody()
    const values = formValues(body)
    const d = decoded(body)
    if (!d.ok) return page(c, { values, errors: d.errors }, 422)
    if (step === "code") {
      const r = await attempt(deps.exit, requestAutoSignCode(currentScope(c), d.input))
      return r.ok ? page(c, { values, notice: notices.code! }) : page(c, { values, errors: refusal(r.error).errors }, refusal(r.error).status)
    }
    const r = await attempt(deps.exit, authorizeAutoSign(currentScope(c), d.input, d.code))
    return r.ok ? c.redirect(orgHref(c, "/seals/auto-sign?done=granted"), 303) : page(c, { values, errors: refusal(r.error).errors }, refusal(r.error).status)
  }
  app.post("/auto-sign/code", submit("code"))
  app.post("/auto-sign", submit("grant"))

  app.post("/auto-sign/:authorizationId/revoke", async (c) => {
    if (!isAutoSignAdmin(currentScope(c))) return forbidden(c)
    const r = await attempt(deps.exit, revokeAutoSign(currentScope(c), c.req.param("authorizationId") ?? ""))
    if (!r.ok) return page(c, { errors: refusal(r.error).errors }, refusal(r.error).status)
    return c.redirect(orgHref(c, "/seals/auto-sign?done=revoked"), 303)
  })
}
