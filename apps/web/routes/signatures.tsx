/**
 * E6/E7 签名管理 under /org/:enterpriseId/signatures: a signatory uploads or
 * draws their signature, deletes it, delegates it to agents (window, scope)
 * and revokes; agents see what was delegated to them. Drawn signatures come
 * as a PNG data URL and are decoded and checked like uploads.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { delegateSignature, revokeDelegation } from "../../../core/seals/delegation.ts"
import { IMAGE_LIMITS } from "../../../core/seals/image/sealImageUpload.ts"
import { signaturesOverview } from "../../../core/seals/sealsPages.ts"
import { deleteSignature, ownSignatureImage, saveSignature } from "../../../core/seals/signatures.ts"
import { decodeForm, emptyToNull } from "../../platform/http/forms.ts"
import type { AppServices } from "../../platform/layers.ts"
import type { WebDeps } from "../context.tsx"
import { formValues } from "../context.tsx"
import { translate } from "../messages.ts"
import { currentScope, ORG_PATH, orgHref, orgRoutes, renderOrgPage, type OrgContext } from "../orgContext.ts"
import { SignaturesPage } from "../views/sealsSignatures.tsx"
import { servePng } from "./seals.tsx"
import type { WebError } from "../catalogue.ts"
import { describeSealErrorOr500 } from "./sealsErrors.ts"
import { attempt, bytesOf, fileOf } from "./verificationFiles.ts"
import { drawnOf } from "./drawnSignature.ts"
import { beijingLocalMinute } from "../../../core/kernel/time.ts"

const TITLE = "签名管理"
const Id = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
/** What the browser's datetime-local sends, read as China time (UTC+8). */
const When = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "datetime.invalid" })))
const DelegateForm = Schema.Struct({
  agentUserId: Id,
  scope: Schema.Union([Schema.Literal("all"), Id]),
  validFrom: Schema.NullOr(When),
  validUntil: Schema.NullOr(When),
})

const chinaTime = (v: string | null) => (v === null ? null : beijingLocalMinute(v))

const notices: Record<string, string> = { saved: "签名已保存", deleted: "签名已删除", delegated: "已授权", revoked: "授权已撤销" }
type Status = 200 | 400 | 403 | 404 | 409 | 422 | 500

export const SIGNATURES_PATH = `${ORG_PATH}/signatures`

export const signatureRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)

  const page = async (c: OrgContext, extra: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status: Status = 200) => {
    const view = await deps.run(signaturesOverview(currentScope(c)))
    const now = await deps.run(Clock.currentTimeMillis)
    return renderOrgPage(c, deps, TITLE, (
      <SignaturesPage csrf={c.get("csrfToken")} base={orgHref(c)} now={now} view={view} notice={notices[c.req.query("done") ?? ""]} {...extra} />
    ), status)
  }

  /** Runs an act; a refusal re-renders the page with its message next to its field. */
  const act = async (c: OrgContext, effect: Effect.Effect<unknown, WebError, AppServices>, done: string, values: Record<string, string> = {}) => {
    const r = await attempt(deps.exit, effect)
    if (!r.ok) {
      const d = describeSealErrorOr500(r.error)
      return page(c, { values, errors: { [d.field]: d.message } }, d.status === 400 ? 422 : d.status as Status)
    }
    return c.redirect(orgHref(c, `/signatures?done=${done}`), 303)
  }

  app.get("/", (c) => page(c))

  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const drawn = drawnOf(body)
    const file = fileOf(body, "image")
    let bytes: Uint8Array
    let source: "drawn" | "uploaded"
    if (drawn._tag === "invalid") return page(c, { errors: { image: "手写签名无法读取，请重写" } }, 422)
    if (drawn._tag === "drawn") {
      bytes = drawn.bytes
      source = "drawn"
    } else if (file !== null) {
      if (file.size > IMAGE_LIMITS.maxBytes) return page(c, { errors: { image: "图片不能超过 5 MB" } }, 422)
      bytes = await bytesOf(file)
      source = "uploaded"
    } else {
      return page(c, { errors: { image: "请上传签名图片，或在下方手写签名" } }, 422)
    }
    return act(c, saveSignature(currentScope(c), bytes, source), "saved")
  })

  app.post("/delete", (c) => act(c, deleteSignature(currentScope(c)), "deleted"))

  app.get("/image.png", async (c) => {
    const r = await attempt(deps.exit, ownSignatureImage(currentScope(c)))
    return r.ok ? servePng(c, r.value) : c.text("签名不存在", 404)
  })

  app.post("/delegations", async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const form = decodeForm(DelegateForm, Object.fromEntries(Object.entries(body).map(([k, v]) => [k, emptyToNull(v)])))
    if (!form.ok) return page(c, { values, errors: translate(form.errors) }, 422)
    const { agentUserId, scope, validFrom, validUntil } = form.value
    return act(c, delegateSignature(currentScope(c), {
      agentUserId, branchId: scope === "all" ? null : scope, validFrom: chinaTime(validFrom), validUntil: chinaTime(validUntil),
    }), "delegated", values)
  })

  app.post("/delegations/:delegationId/revoke", (c) => {
    const id = Schema.decodeUnknownOption(Id)(c.req.param("delegationId"))
    if (Option.isNone(id)) return page(c, { errors: { _form: "授权记录不存在" } }, 404)
    return act(c, revokeDelegation(currentScope(c), id.value), "revoked")
  })

  return app
}
