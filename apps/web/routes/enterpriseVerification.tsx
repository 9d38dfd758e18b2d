import { Hono } from "hono"
import { Effect, Option, Schema } from "effect"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { authorizationLetterFor, currentApplication, submitEnterpriseInfo, submitForReview, uploadAuthorizationLetter } from "../../../core/verification/enterpriseApplication.ts"
import { EnterpriseInfo, EnterpriseVerificationId, type EnterpriseVerification } from "../../../core/verification/EnterpriseVerification.ts"
import { readLicencePhoto } from "../../../core/verification/readDocumentPhoto.ts"
import { administeredEnterprises } from "../../../core/verification/reviewVerification.ts"
import { UploadId } from "../../../core/verification/Upload.ts"
import { ownUpload, storeUpload } from "../../../core/verification/uploads.ts"
import { findPersonalVerification } from "../../../core/verification/verifyPersonal.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { Values } from "../../platform/views/form.tsx"
import { formValues, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { describeVerificationError, translateVerification } from "../verificationErrors.ts"
import { Approved, EnterpriseInfoForm, InReview, LetterStep } from "../views/enterpriseVerification.tsx"
import { currentUser } from "./account.tsx"
import { attempt, bytesOf, fileOf } from "./verificationFiles.ts"

const TITLE = "企业认证"
type Status = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502

/** V2-V4 for the applicant: each GET shows the step the application is at. */
export const enterpriseVerificationRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()

  const current = async (c: WebContext) => Option.getOrNull(await deps.run(currentApplication(currentUser(c).id)))
  const editable = (a: EnterpriseVerification | null) => (a === null || a.status === "approved" ? null : a)

  app.use("*", async (c, next) => {
    const personal = await deps.run(findPersonalVerification(currentUser(c).id))
    if (Option.isSome(personal)) return next()
    return c.req.method === "GET" ? c.redirect("/verification/personal", 303) : c.text("请先完成个人实名认证", 403)
  })

  const infoForm = (c: WebContext, a: EnterpriseVerification | null, p: { values?: Values; errors?: Record<string, string>; licenceId?: string | undefined; ocrNote?: string } = {}, status: Status = 200) =>
    renderPage(c, deps, TITLE, <EnterpriseInfoForm csrf={c.get("csrfToken")} application={a} {...p} />, status)

  const letterStep = async (c: WebContext, a: EnterpriseVerification, errors?: Record<string, string>, status: Status = 200) => {
    const letter = a.letterUploadId === null ? null : await attempt(deps.exit, ownUpload(currentUser(c).id, a.letterUploadId))
    const letterIsPdf = letter !== null && letter.ok && letter.value.mediaType === "application/pdf"
    return renderPage(c, deps, TITLE, <LetterStep csrf={c.get("csrfToken")} application={a} errors={errors} letterIsPdf={letterIsPdf} />, status)
  }

  app.get("/", async (c) => {
    const a = await current(c)
    if (a === null || a.status === "draft" || a.status === "rejected") return infoForm(c, a)
    if (a.status === "info-submitted" || a.status === "letter-uploaded") return letterStep(c, a)
    if (a.status === "in-review") return renderPage(c, deps, TITLE, <InReview application={a} />)
    return renderPage(c, deps, TITLE, <Approved enterprises={await deps.run(administeredEnterprises(currentUser(c).id))} />)
  })
  app.get("/new", (c) => infoForm(c, null))
  app.get("/info", async (c) => infoForm(c, editable(await current(c))))
  app.get("/letter", async (c) => {
    const a = editable(await current(c))
    return a === null || a.info === null ? c.redirect("/verification/enterprise", 303) : letterStep(c, a)
  })

  // 上传并识别: keeps the licence photo and pre-fills name and credit code.
  app.post("/licence", async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const a = editable(await current(c))
    const keep = typeof body.licenceId === "string" ? body.licenceId : undefined
    const file = fileOf(body, "licence")
    if (file === null) return infoForm(c, a, { values, licenceId: keep, errors: { licence: "请选择营业执照照片" } }, 422)
    const wait = await deps.limits.ocr.hit(currentUser(c).id)
    if (wait > 0) return infoForm(c, a, { values, licenceId: keep, errors: { licence: `识别过于频繁，请 ${wait} 秒后再试，或直接填写后提交` } }, 429)
    const r = await attempt(deps.exit, readLicencePhoto(currentUser(c).id, await bytesOf(file)))
    if (!r.ok) {
      const d = describeVerificationError(r.error, "licence")
      return infoForm(c, a, { values, licenceId: keep, errors: { [d.field]: d.message } }, d.status)
    }
    const { name, creditCode } = r.value
    return infoForm(c, a, {
      values: { ...values, ...(name === null ? {} : { name }), ...(creditCode === null ? {} : { creditCode }) },
      licenceId: r.value.upload.id,
      ocrNote: name !== null || creditCode !== null ? "已识别营业执照信息，请核对后继续填写" : "未能自动识别营业执照信息，请手动填写",
    })
  })

  app.post("/info", async (c) => {
    const userId = currentUser(c).id as UserId
    const body = await c.req.parseBody()
    const values = formValues(body)
    const a = editable(await current(c))
    let licenceId = typeof body.licenceId === "string" && body.licenceId !== "" ? body.licenceId : undefined
    const file = fileOf(body, "licence")
    if (file !== null) {
      const stored = await attempt(deps.exit, storeUpload(userId, "licence", await bytesOf(file)))
      if (!stored.ok) {
        const d = describeVerificationError(stored.error, "licence")
        return infoForm(c, a, { values, licenceId, errors: { [d.field]: d.message } }, d.status)
      }
      licenceId = stored.value.id
    }
    const info = decodeForm(EnterpriseInfo, body)
    const licence = Schema.decodeUnknownOption(UploadId)(licenceId)
    if (!info.ok || Option.isNone(licence)) {
      const errors = info.ok ? {} : translateVerification(info.errors)
      return infoForm(c, a, { values, licenceId, errors: Option.isNone(licence) ? { ...errors, licence: "请上传营业执照照片" } : errors }, 422)
    }
    const r = await attempt(deps.exit, submitEnterpriseInfo(userId, info.value, licence.value))
    if (!r.ok) {
      const d = describeVerificationError(r.error, "licence")
      return infoForm(c, a, { values, licenceId, errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect("/verification/enterprise", 303)
  })

  const applicationId = (c: WebContext) => Schema.decodeUnknownOption(EnterpriseVerificationId)(c.req.param("id"))

  app.get("/:id/letter.pdf", async (c) => {
    const id = applicationId(c)
    if (Option.isNone(id)) return c.notFound()
    const r = await attempt(deps.exit, authorizationLetterFor(currentUser(c).id, id.value))
    if (!r.ok) {
      if (r.error._tag === "NotFound") return c.notFound()
      const a = await current(c)
      const d = describeVerificationError(r.error)
      return a === null ? c.notFound() : letterStep(c, a, { _form: d.message }, d.status)
    }
    return c.body(new Uint8Array(r.value), 200, {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="authorization-letter-${id.value}.pdf"; filename*=UTF-8''${encodeURIComponent("开户及管理授权书")}.pdf`,
      "cache-control": "private, no-store",
    })
  })

  app.post("/:id/letter", async (c) => {
    const id = applicationId(c)
    if (Option.isNone(id)) return c.notFound()
    const userId = currentUser(c).id
    const a = await current(c)
    if (a === null || a.id !== id.value) return c.notFound()
    const file = fileOf(await c.req.parseBody(), "letter")
    if (file === null) return letterStep(c, a, { letter: "请选择加盖公章的授权书" }, 422)
    const r = await attempt(deps.exit, storeUpload(userId, "letter", await bytesOf(file)).pipe(
      Effect.flatMap((upload) => uploadAuthorizationLetter(userId, id.value, upload.id)),
    ))
    if (!r.ok) {
      const d = describeVerificationError(r.error, "letter")
      return letterStep(c, a, { [d.field]: d.message }, d.status)
    }
    return c.redirect("/verification/enterprise", 303)
  })

  app.post("/:id/submit", async (c) => {
    const id = applicationId(c)
    if (Option.isNone(id)) return c.notFound()
    const r = await attempt(deps.exit, submitForReview(currentUser(c).id, id.value))
    if (!r.ok) {
      if (r.error._tag === "NotFound") return c.notFound()
      const a = await current(c)
      const d = describeVerificationError(r.error)
      return a === null ? c.notFound() : letterStep(c, a, { _form: d.message }, d.status)
    }
    return c.redirect("/verification/enterprise", 303)
  })

  return app
}
