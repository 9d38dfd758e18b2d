import { Hono } from "hono"
import { Option, Schema } from "effect"
import { Mobile } from "../../../core/kernel/Mobile.ts"
import { PersonalVerificationInput } from "../../../core/verification/PersonalVerification.ts"
import { maskResidentId } from "../../../core/verification/ResidentIdNumber.ts"
import { readIdCardPhoto } from "../../../core/verification/readDocumentPhoto.ts"
import { UploadId } from "../../../core/verification/Upload.ts"
import { readOwnUpload, storeUpload } from "../../../core/verification/uploads.ts"
import { findPersonalVerification, sendPersonalVerificationCode, verifyPersonal } from "../../../core/verification/verifyPersonal.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { Values } from "../../platform/views/form.tsx"
import { formValues, isHtmx, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { describeVerificationError, translateVerification } from "../verificationErrors.ts"
import { CodeStatus } from "../views/auth.tsx"
import { PersonalDone, PersonalForm, type CodeState } from "../views/verification.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { enterpriseVerificationRoutes } from "./enterpriseVerification.tsx"
import { attempt, bytesOf, fileOf, serveUpload } from "./verificationFiles.ts"

const TITLE = "个人实名认证"
const CodeBody = Schema.Struct({ mobile: Mobile })


/** V1 个人实名认证, the uploaded-file route (owner only), and the enterprise steps under /verification/enterprise. */
export const verificationRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)

  const isVerified = async (c: WebContext) => Option.isSome(await deps.run(findPersonalVerification(currentUser(c).id)))

  const form = (c: WebContext, p: { values?: Values; errors?: Record<string, string>; photoId?: string | undefined; backPhotoId?: string | undefined; ocrNote?: string; codeStatus?: CodeState }, status: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 = 200) =>
    renderPage(c, deps, TITLE, <PersonalForm csrf={c.get("csrfToken")} {...p} />, status)

  app.get("/", async (c) => c.redirect(await isVerified(c) ? "/verification/enterprise" : "/verification/personal", 303))

  // The reserved mobile is often the account's own number: offered, not assumed.
  app.get("/personal", async (c) => (await isVerified(c) ? c.redirect("/verification/personal/done", 303) : form(c, { values: { mobile: currentUser(c).mobile } })))

  /**
   * The ID card's back (反面): a newly chosen file is stored (and kept across
   * the form's round trips by its id), else the id kept before.
   */
  const backPhoto = async (c: WebContext, body: Record<string, unknown>): Promise<{ readonly id: string | undefined; readonly error?: { field: string; message: string; status: 400 | 404 | 409 | 422 | 429 | 500 | 502 } }> => {
    const kept = typeof body.backPhotoId === "string" && body.backPhotoId !== "" ? body.backPhotoId : undefined
    const file = fileOf(body, "backPhoto")
    if (file === null) return { id: kept }
    const stored = await attempt(deps.exit, storeUpload(currentUser(c).id, "id-photo", await bytesOf(file)))
    if (stored.ok) return { id: stored.value.id }
    const d = describeVerificationError(stored.error, "backPhoto")
    return { id: kept, error: { field: d.field, message: d.message, status: d.status as 400 } }
  }

  // 上传并识别: keeps the photo, pre-fills name and ID number by OCR; the user confirms or corrects.
  app.post("/personal/photo", async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const keep = typeof body.photoId === "string" ? body.photoId : undefined
    const back = await backPhoto(c, body)
    const backPhotoId = back.id
    const file = fileOf(body, "photo")
    if (file === null) return form(c, { values, photoId: keep, backPhotoId, errors: { photo: "请选择身份证照片" } }, 422)
    const wait = await deps.limits.ocr.hit(currentUser(c).id)
    if (wait > 0) return form(c, { values, photoId: keep, backPhotoId, errors: { photo: `识别过于频繁，请 ${wait} 秒后再试，或直接填写后提交` } }, 429)
    const r = await attempt(deps.exit, readIdCardPhoto(currentUser(c).id, await bytesOf(file)))
    if (!r.ok) {
      const d = describeVerificationError(r.error, "photo")
      return form(c, { values, photoId: keep, backPhotoId, errors: { [d.field]: d.message } }, d.status)
    }
    const read = [r.value.name === null ? null : "姓名", r.value.idNumber === null ? null : "身份证号"].filter((x) => x !== null)
    return form(c, {
      backPhotoId,
      values: { ...values, ...(r.value.name === null ? {} : { name: r.value.name }), ...(r.value.idNumber === null ? {} : { idNumber: r.value.idNumber }) },
      photoId: r.value.upload.id,
      ocrNote: read.length > 0 ? `已识别${read.join("、")}，请核对后继续填写` : "未能自动识别证件信息，请手动填写",
    })
  })

  // 获取验证码: to the bank-reserved mobile (an htmx fragment, or the whole page without JavaScript).
  app.post("/personal/code", async (c) => {
    const body = await c.req.parseBody()
    const photoId = typeof body.photoId === "string" ? body.photoId : undefined
    const backPhotoId = typeof body.backPhotoId === "string" && body.backPhotoId !== "" ? body.backPhotoId : undefined
    const reply = (status: CodeState, code: 200 | 400 | 409 | 429 | 502) =>
      isHtmx(c) ? c.html(<CodeStatus {...status} />, code) : form(c, { values: formValues(body), photoId, backPhotoId, codeStatus: status }, code)
    const decoded = decodeForm(CodeBody, body)
    if (!decoded.ok) return reply({ message: "请先输入正确的银行卡预留手机号", ok: false }, 400)
    const wait = await deps.limits.sms.hit(deps.clientAddress(c))
    if (wait > 0) return reply({ message: `请求过于频繁，请 ${wait} 秒后再试`, ok: false, cooldown: wait }, 429)
    const r = await attempt(deps.exit, sendPersonalVerificationCode(currentUser(c).id, decoded.value.mobile))
    if (!r.ok) {
      const d = describeVerificationError(r.error)
      const cooldown = r.error._tag === "OtpSendTooSoon" ? r.error.retryAfterSeconds : undefined
      return reply({ message: d.message, ok: false, ...(cooldown === undefined ? {} : { cooldown }) }, d.status as 400 | 409 | 429 | 502)
    }
    return reply({ message: "验证码已发送至银行卡预留手机号，5 分钟内有效", ok: true, cooldown: r.value.resendAfterSeconds }, 200)
  })

  app.post("/personal", async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const values = formValues(body)
    let photoId = typeof body.photoId === "string" && body.photoId !== "" ? body.photoId : undefined
    const file = fileOf(body, "photo")
    if (file !== null) {
      const stored = await attempt(deps.exit, storeUpload(user.id, "id-photo", await bytesOf(file)))
      if (!stored.ok) {
        const d = describeVerificationError(stored.error, "photo")
        return form(c, { values, photoId, backPhotoId: typeof body.backPhotoId === "string" ? body.backPhotoId : undefined, errors: { [d.field]: d.message } }, d.status)
      }
      photoId = stored.value.id
    }
    const back = await backPhoto(c, body)
    const backPhotoId = back.id
    if (back.error !== undefined) return form(c, { values, photoId, backPhotoId, errors: { [back.error.field]: back.error.message } }, back.error.status)
    const decoded = decodeForm(PersonalVerificationInput, { ...body, photoId, backPhotoId })
    if (!decoded.ok) {
      const { photoId: missingPhoto, backPhotoId: missingBack, ...errors } = translateVerification(decoded.errors)
      const photos = {
        ...(missingPhoto === undefined ? {} : { photo: "请上传身份证正面照片" }),
        ...(missingBack === undefined ? {} : { backPhoto: "请上传身份证反面照片" }),
      }
      return form(c, { values, photoId, backPhotoId, errors: { ...errors, ...photos } }, 422)
    }
    const r = await attempt(deps.exit, verifyPersonal(user.id, decoded.value))
    if (!r.ok) {
      const d = describeVerificationError(r.error, "photo")
      return form(c, { values, photoId, backPhotoId, errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect("/verification/personal/done", 303)
  })

  app.get("/personal/done", async (c) => {
    const v = await deps.run(findPersonalVerification(currentUser(c).id))
    if (Option.isNone(v)) return c.redirect("/verification/personal", 303)
    return renderPage(c, deps, TITLE, <PersonalDone name={v.value.name} maskedId={maskResidentId(v.value.idNumber)} />)
  })

  // The owner's own uploads only; anyone else's id (or a malformed one) is simply not found.
  app.get("/files/:id", async (c) => {
    const id = Schema.decodeUnknownOption(UploadId)(c.req.param("id"))
    if (Option.isNone(id)) return c.notFound()
    const r = await attempt(deps.exit, readOwnUpload(currentUser(c).id, id.value))
    return r.ok ? serveUpload(c, r.value) : c.notFound()
  })

  app.route("/enterprise", enterpriseVerificationRoutes(deps))
  return app
}
