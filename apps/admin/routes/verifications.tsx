import type { Child } from "hono/jsx"
import { Hono } from "hono"
import type { Context } from "hono"
import { Option, Schema } from "effect"
import type { Staff } from "../../../core/accounts/User.ts"
import { EnterpriseVerificationId, RejectionReason } from "../../../core/verification/EnterpriseVerification.ts"
import { approveVerification, rejectVerification, reviewDetail, reviewFile, reviewQueue } from "../../../core/verification/reviewVerification.ts"
import { UploadId } from "../../../core/verification/Upload.ts"
import type { AppServices } from "../../platform/layers.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { ExitRunner, Runner } from "../../platform/http/runner.ts"
import type { SecurityVariables } from "../../platform/http/security.ts"
import { doc } from "../../platform/views/form.tsx"
import { attempt, serveUpload } from "../../web/routes/verificationFiles.ts"
import { describeVerificationError } from "../../web/verificationErrors.ts"
import { AdminLayout, hereOf } from "../views.tsx"
import { VerificationDetail, VerificationQueue } from "../verificationViews.tsx"

type Env = { Variables: SecurityVariables & { staff: Staff | null } }

const RejectBody = Schema.Struct({
  reason: RejectionReason,
  note: Schema.String.pipe(Schema.check(Schema.isMaxLength(200, { message: "note.length" }))),
})

const notices: Record<string, string> = { approved: "已审核通过：企业已创建，申请人为企业管理员", rejected: "已驳回，申请人将看到驳回原因" }

/** X2 企业认证审核 for staff (mounted behind the admin log-in). */
export const verificationReviewRoutes = (deps: { readonly run: Runner<AppServices>; readonly exit: ExitRunner<AppServices> }) => {
  const app = new Hono<Env>()
  const staffOf = (c: Context<Env>) => c.get("staff")!
  const page = (c: Context<Env>, title: string, body: Child, status: 200 | 400 | 404 | 409 | 422 | 500 | 502 = 200) =>
    c.html(doc(<AdminLayout here={hereOf(c.req.url)} title={title} staff={staffOf(c)} csrf={c.get("csrfToken")}>{body}</AdminLayout>), status)
  const idOf = (c: Context<Env>) => Schema.decodeUnknownOption(EnterpriseVerificationId)(c.req.param("id"))
  const notFound = (c: Context<Env>) => page(c, "企业认证审核", <p class="alert alert-error">申请不存在</p>, 404)

  app.get("/", async (c) => {
    const notice = notices[c.req.query("done") ?? ""]
    return page(c, "企业认证审核", <VerificationQueue items={await deps.run(reviewQueue())} notice={notice} />)
  })

  const detail = async (c: Context<Env>, errors?: Record<string, string>, values?: Record<string, string>, status: 200 | 400 | 409 | 422 | 500 | 502 = 200) => {
    const id = idOf(c)
    if (Option.isNone(id)) return notFound(c)
    const r = await attempt(deps.exit, reviewDetail(id.value))
    if (!r.ok) return notFound(c)
    return page(c, "企业认证审核", <VerificationDetail data={r.value} csrf={c.get("csrfToken")} errors={errors} values={values} />, status)
  }

  app.get("/:id", (c) => detail(c))

  app.get("/:id/files/:uploadId", async (c) => {
    const id = idOf(c)
    const uploadId = Schema.decodeUnknownOption(UploadId)(c.req.param("uploadId"))
    if (Option.isNone(id) || Option.isNone(uploadId)) return c.notFound()
    const r = await attempt(deps.exit, reviewFile(id.value, uploadId.value))
    return r.ok ? serveUpload(c, r.value) : c.notFound()
  })

  app.post("/:id/approve", async (c) => {
    const id = idOf(c)
    if (Option.isNone(id)) return notFound(c)
    const r = await attempt(deps.exit, approveVerification(staffOf(c).id, id.value))
    if (!r.ok) {
      if (r.error._tag === "NotFound") return notFound(c)
      const d = describeVerificationError(r.error)
      return detail(c, { _form: d.field === "creditCode" ? "该统一社会信用代码的企业已存在，不能重复创建，请驳回" : d.message }, undefined, d.status === 409 ? 409 : 400)
    }
    return c.redirect("/verifications?done=approved", 303)
  })

  app.post("/:id/reject", async (c) => {
    const id = idOf(c)
    if (Option.isNone(id)) return notFound(c)
    const body = await c.req.parseBody()
    const values = { reason: String(body.reason ?? ""), note: String(body.note ?? "").trim() }
    const form = decodeForm(RejectBody, values)
    if (!form.ok) return detail(c, form.errors.reason === undefined ? { note: "补充说明最多 200 字" } : { reason: "请选择驳回原因" }, values, 422)
    if (form.value.reason === "other" && form.value.note === "") return detail(c, { note: "选择“其他原因”时请填写说明" }, values, 422)
    const r = await attempt(deps.exit, rejectVerification(staffOf(c).id, id.value, form.value))
    if (!r.ok) {
      if (r.error._tag === "NotFound") return notFound(c)
      return detail(c, { _form: describeVerificationError(r.error).message }, values, 409)
    }
    return c.redirect("/verifications?done=rejected", 303)
  })

  return app
}
