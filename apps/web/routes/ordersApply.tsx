import { randomBytes } from "node:crypto"
import { Hono } from "hono"
import { Effect, Option, Schema } from "effect"
import { addAddress, listAddresses } from "../../../core/accounts/addressBook.ts"
import { AddressInput } from "../../../core/accounts/User.ts"
import { Application, ApplicationDetails } from "../../../core/orders/Application.ts"
import { Applicant, Business, type Package } from "../../../core/orders/Catalogue.ts"
import { OrderCatalogue } from "../../../core/ports/OrderCatalogue.ts"
import { CreateOrderInput } from "../../../core/orders/createOrder.ts"
import type { Order } from "../../../core/orders/Order.ts"
import { amendOrder, MATERIAL_KINDS, MATERIAL_SLOTS, type MaterialSlot, placeOrder } from "../../../core/orders/orderMaterials.ts"
import { priceBreakdown } from "../../../core/orders/pricing.ts"
import { checkLostCertificate, myCertificates } from "../../../core/orders/lostCertificate.ts"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { readIdCardPhoto, readLicencePhoto } from "../../../core/verification/readDocumentPhoto.ts"
import { UploadId } from "../../../core/verification/Upload.ts"
import { ownUpload, storeUpload } from "../../../core/verification/uploads.ts"
import { emptyToNull } from "../../platform/http/forms.ts"
import type { Values } from "../../platform/views/form.tsx"
import { formValues, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { ApplicationForm, ConfirmForm, type StoredMaterial } from "../views/ordersForms.tsx"
import { slotText } from "../views/ordersText.tsx"
import { currentUser } from "./account.tsx"
import { describeOrderError } from "./ordersErrors.ts"
import { applicationInput, type Body, decodeNested, text, upper, valuesOf } from "./ordersFormInput.ts"
import { attempt, bytesOf, fileOf } from "./verificationFiles.ts"

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502

const OCR_SLOTS: Partial<Record<MaterialSlot, "licence" | "id">> = { licence: "licence", holderIdFront: "id", agentIdFront: "id" }

/**
 * Stores every file chosen in this post (each checked by content and size),
 * keeps the files of earlier posts (only the user's own), and reads the photo
 * of `ocrSlot` by OCR to pre-fill its fields.
 */
const takeUploads = async (deps: WebDeps, userId: UserId, body: Body, ocrSlot: MaterialSlot | null) => {
  const stored: Partial<Record<MaterialSlot, StoredMaterial>> = {}
  const errors: Record<string, string> = {}
  const prefill: Record<string, string> = {}
  let ocrNote: string | undefined
  for (const slot of MATERIAL_SLOTS) {
    const kind = MATERIAL_KINDS[slot]
    const file = fileOf(body, slot)
    const kept = Schema.decodeUnknownOption(UploadId)(body[`${slot}Id`])
    if (Option.isSome(kept)) {
      const own = await deps.run(Effect.option(ownUpload(userId, kept.value, kind)))
      if (Option.isSome(own)) stored[slot] = { id: own.value.id, pdf: own.value.mediaType === "application/pdf" }
    }
    if (file === null) continue
    const bytes = await bytesOf(file)
    const reader = slot === ocrSlot ? OCR_SLOTS[slot] : undefined
    if (reader === undefined) {
      const r = await attempt(deps.exit, storeUpload(userId, kind, bytes))
      if (r.ok) stored[slot] = { id: r.value.id, pdf: r.value.mediaType === "application/pdf" }
      else errors[slot] = describeOrderError(r.error, slot).message
      continue
    }
    const r = reader === "licence"
      ? await attempt(deps.exit, Effect.map(readLicencePhoto(userId, bytes), (x) => ({ upload: x.upload, name: x.name, number: x.creditCode })))
      : await attempt(deps.exit, Effect.map(readIdCardPhoto(userId, bytes), (x) => ({ upload: x.upload, name: x.name, number: x.idNumber })))
    if (!r.ok) {
      errors[slot] = describeOrderError(r.error, slot).message
      continue
    }
    stored[slot] = { id: r.value.upload.id, pdf: false }
    const [nameField, numberField] = slot === "licence" ? ["enterpriseName", "creditCode"] : slot === "holderIdFront" ? ["holderName", "holderIdNumber"] : ["agentName", "agentIdNumber"]
    if (r.value.name !== null) prefill[nameField!] = r.value.name
    if (r.value.number !== null) prefill[numberField!] = r.value.number
    const read = [r.value.name === null ? null : slot === "licence" ? "企业名称" : "姓名", r.value.number === null ? null : slot === "licence" ? "统一社会信用代码" : "身份证号"].filter((x) => x !== null)
    ocrNote = read.length > 0 ? `已识别${slotText(slot, "enterprise").replace(/^法定代表人/, "")}：${read.join("、")}，请核对` : "未能自动识别证件信息，请手动填写"
  }
  if (ocrSlot !== null && fileOf(body, ocrSlot) === null) errors[ocrSlot] = "请先选择照片，再点击“上传并识别”"
  const ids = Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, v.id])) as Partial<Record<MaterialSlot, string>>
  return { stored, ids, errors, prefill, ocrNote }
}

const ocrSlotOf = (c: WebContext): MaterialSlot | null => {
  const q = c.req.query("ocr")
  return q !== undefined && OCR_SLOTS[q as MaterialSlot] !== undefined ? (q as MaterialSlot) : null
}

const decodeKind = (raw: Readonly<Record<string, unknown>>) => {
  const business = Schema.decodeUnknownOption(Business)(raw.business)
  const applicant = Schema.decodeUnknownOption(Applicant)(raw.applicant)
  return Option.isSome(business) && Option.isSome(applicant) ? { business: business.value, applicant: applicant.value } : null
}

const ApplicationJson = Schema.fromJsonString(Application)

/** O3-O5: the application form (with OCR), the confirm page (delivery, invoice, price), order creation; and 修改订单. */
export const orderApplyRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  const catalogue = () => deps.run(OrderCatalogue.use(Effect.succeed))

  const formPage = async (c: WebContext, p: Omit<Parameters<typeof ApplicationForm>[0], "csrf" | "packages" | "action"> & { action?: string }, status: Status = 200) =>
    renderPage(c, deps, p.edit === undefined ? "申请电子签章" : "修改订单",
      <ApplicationForm csrf={c.get("csrfToken")} packages={(await catalogue()).packages} action={p.action ?? "/orders/apply"}
        certificates={p.business === "reissue" ? await deps.run(myCertificates(currentUser(c).id)) : []} {...p} />, status)

  const confirmPage = async (c: WebContext, application: Application, values: Values, errors?: Record<string, string>, status: Status = 200, notice?: string) => {
    const cat = await catalogue()
    const pkg = cat.packages.find((k) => k.id === application.packageId) as Package
    const price = (delivery: "express" | "pickup") => priceBreakdown(cat.rules, { pkg, quantity: application.quantity, business: application.business, delivery })
    const addresses = await deps.run(listAddresses(currentUser(c).id))
    // One token per confirm form, kept when the form comes back with errors: 提交订单 twice gives one order.
    const submission = values.submission !== undefined && values.submission !== "" ? values.submission : randomBytes(18).toString("base64url")
    return renderPage(c, deps, "确认订单", (
      <ConfirmForm csrf={c.get("csrfToken")} application={application} applicationJson={JSON.stringify(application)} pkg={pkg} addresses={addresses}
        pickupPoints={cat.pickupPoints} prices={{ express: price("express"), pickup: price("pickup") }} values={{ ...values, submission }} errors={errors} notice={notice} />
    ), status)
  }

  const restart = (c: WebContext) =>
    renderPage(c, deps, "申请电子签章", <p class="alert alert-error" role="alert">申请信息已失效，请<a href="/orders/shop">重新填写</a>。</p>, 400)

  app.get("/apply", async (c) => {
    const kind = decodeKind(c.req.query())
    if (kind === null) return c.redirect("/orders/shop", 303)
    const pkg = c.req.query("package")
    return formPage(c, { ...kind, values: { packageId: pkg, agentMobile: currentUser(c).mobile, agentEmail: currentUser(c).email ?? undefined }, stored: {} })
  })

  // 上传并识别 (?ocr=slot) re-renders the form pre-filled; otherwise the application is checked and the confirm page follows.
  app.post("/apply", async (c) => {
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const kind = decodeKind(body)
    if (kind === null) return c.redirect("/orders/shop", 303)
    const ocrSlot = ocrSlotOf(c)
    if (ocrSlot !== null && fileOf(body, ocrSlot) !== null) {
      const wait = await deps.limits.ocr.hit(user.id)
      if (wait > 0) return formPage(c, { ...kind, values: formValues(body), stored: {}, errors: { [ocrSlot]: `识别过于频繁，请 ${wait} 秒后再试，或直接填写` } }, 429)
    }
    const up = await takeUploads(deps, user.id, body, ocrSlot)
    const values = { ...formValues(body), ...up.prefill }
    if (ocrSlot !== null) return formPage(c, { ...kind, values, stored: up.stored, errors: up.errors, ocrNote: up.ocrNote }, Object.keys(up.errors).length > 0 ? 422 : 200)
    const decoded = decodeNested(Application, applicationInput(values, { ...kind, packageId: text(values, "packageId") }, up.ids))
    if (!decoded.ok || Object.keys(up.errors).length > 0) {
      return formPage(c, { ...kind, values, stored: up.stored, errors: { ...(decoded.ok ? {} : decoded.errors), ...up.errors } }, 422)
    }
    if ((await catalogue()).packages.every((k) => k.id !== decoded.value.packageId)) {
      return formPage(c, { ...kind, values, stored: up.stored, errors: { packageId: "所选套餐不存在，请重新选择" } }, 422)
    }
    // 补办: the lost certificate is checked against the platform's records for this holder before the confirm page.
    const lost = await attempt(deps.exit, checkLostCertificate(decoded.value))
    if (!lost.ok) {
      const d = describeOrderError(lost.error)
      return formPage(c, { ...kind, values, stored: up.stored, errors: { [d.field]: d.message } }, 422)
    }
    return confirmPage(c, decoded.value, {})
  })

  // 返回修改 from the confirm page: the carried application back in the form.
  app.post("/apply/back", async (c) => {
    const body = await c.req.parseBody()
    const application = Schema.decodeUnknownOption(ApplicationJson)(body.application)
    if (Option.isNone(application)) return restart(c)
    const a = application.value
    const stored = Object.fromEntries(MATERIAL_SLOTS.flatMap((s) => (a.materials[s] === null ? [] : [[s, { id: a.materials[s]!, pdf: MATERIAL_KINDS[s] === "letter" }]])))
    // The kept ids are checked against their owner again on the next post.
    return formPage(c, { business: a.business, applicant: a.applicant, values: valuesOf(a), stored: await ownStored(deps, currentUser(c).id, stored) })
  })

  // 添加新地址 on the confirm page: saved to the address book and selected.
  app.post("/confirm/address", async (c) => {
    const body = await c.req.parseBody()
    const application = Schema.decodeUnknownOption(ApplicationJson)(body.application)
    if (Option.isNone(application)) return restart(c)
    const values = formValues(body)
    const decoded = decodeNested(AddressInput, { recipient: text(body, "recipient"), mobile: text(body, "mobile"), region: text(body, "region"), detail: text(body, "detail"), isDefault: false })
    if (!decoded.ok) return confirmPage(c, application.value, { ...values, delivery: "express" }, decoded.errors, 422)
    const r = await attempt(deps.exit, addAddress(currentUser(c).id, decoded.value))
    if (!r.ok) return confirmPage(c, application.value, values, { _form: describeOrderError(r.error).message }, 400)
    const { recipient: _r, mobile: _m, region: _g, detail: _d, ...rest } = values
    return confirmPage(c, application.value, { ...rest, delivery: "express", addressId: r.value.id }, undefined, 200, "地址已保存并选中")
  })

  // 提交订单: the price is computed on the server; anything price-like in the form is never read.
  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const application = Schema.decodeUnknownOption(ApplicationJson)(body.application)
    if (Option.isNone(application)) return restart(c)
    const values = formValues(body)
    const delivery = text(body, "delivery")
    const input = {
      application: application.value,
      delivery: delivery === "express" ? { _tag: "express", addressId: text(body, "addressId") } : delivery === "pickup" ? { _tag: "pickup", pointId: text(body, "pointId") } : null,
      invoice: {
        kind: text(body, "invoiceKind"), title: text(body, "invoiceTitle"), taxpayerId: emptyToNull(upper(body, "taxpayerId")), email: text(body, "invoiceEmail"),
        medium: text(body, "invoiceMedium") === "" ? "electronic" : text(body, "invoiceMedium"),
      },
      ...(text(body, "invoiceMedium") === "paper" && text(body, "invoiceAddressId") !== "" ? { invoiceAddressId: text(body, "invoiceAddressId") } : {}),
      ...(text(body, "submission") === "" ? {} : { submission: text(body, "submission") }),
    }
    const decoded = decodeNested(CreateOrderInput, input)
    if (!decoded.ok) {
      const errors = input.delivery === null ? { ...decoded.errors, delivery: "请选择配送方式" } : decoded.errors
      if (errors.addressId !== undefined) errors.addressId = "请选择收货地址"
      return confirmPage(c, application.value, values, errors, 422)
    }
    const r = await attempt(deps.exit, placeOrder(currentUser(c).id, decoded.value))
    if (!r.ok) {
      const d = describeOrderError(r.error)
      if (r.error._tag === "NotFound") {
        const field = r.error.id === input.invoiceAddressId ? "invoiceAddressId" : "addressId"
        return confirmPage(c, application.value, values, { [field]: field === "addressId" ? "请选择收货地址" : "纸质发票请选择邮寄地址" }, 422)
      }
      // The confirm page shows delivery and invoice only; anything about the application goes on top.
      const field = d.field === "pointId" ? d.field : "_form"
      const message = field === "_form" && d.field !== "_form" ? `${d.message}：请点击“返回修改申请信息”` : d.message
      return confirmPage(c, application.value, values, { [field]: message }, d.status)
    }
    return c.redirect(`/orders/${r.value.id}/pay`, 303)
  })

  return app
}

/** Only the user's own uploads are shown again. */
const ownStored = async (deps: WebDeps, userId: UserId, stored: Partial<Record<MaterialSlot, StoredMaterial>>) => {
  const out: Partial<Record<MaterialSlot, StoredMaterial>> = {}
  for (const [slot, s] of Object.entries(stored) as Array<[MaterialSlot, StoredMaterial]>) {
    const id = Schema.decodeUnknownOption(UploadId)(s.id)
    if (Option.isNone(id)) continue
    const own = await deps.run(Effect.option(ownUpload(userId, id.value, MATERIAL_KINDS[slot])))
    if (Option.isSome(own)) out[slot] = { id: own.value.id, pdf: own.value.mediaType === "application/pdf" }
  }
  return out
}

/** 修改订单 (O7): the rejected order's application in the form; posting resubmits it. */
export const orderEditRoutes = (deps: WebDeps, loadOwn: (c: WebContext) => Promise<Order | null>) => {
  const app = new Hono<WebEnv>()
  const page = async (c: WebContext, o: Order, p: { values: Values; stored: Partial<Record<MaterialSlot, StoredMaterial>>; errors?: Record<string, string>; ocrNote?: string | undefined }, status: Status = 200) =>
    renderPage(c, deps, "修改订单", (
      <ApplicationForm csrf={c.get("csrfToken")} packages={[]} action={`/orders/${o.id}/edit`} business={o.application.business} applicant={o.application.applicant}
        certificates={o.application.business === "reissue" ? await deps.run(myCertificates(o.userId)) : []}
        values={{ ...p.values, packageId: o.application.packageId }} stored={p.stored} errors={p.errors} ocrNote={p.ocrNote}
        edit={{ orderId: o.id, packageName: o.package.name, reasons: o.state.rejectReasons }} />
    ), status)
  const notEditable = (c: WebContext, o: Order) => c.redirect(`/orders/${o.id}`, 303)

  app.get("/", async (c) => {
    const o = await loadOwn(c)
    if (o === null) return c.notFound()
    if (o.state.status !== "rejected") return notEditable(c, o)
    const a = o.application
    const stored = Object.fromEntries(MATERIAL_SLOTS.flatMap((s) => (a.materials[s] === null ? [] : [[s, { id: a.materials[s]!, pdf: false }]])))
    return page(c, o, { values: valuesOf(a), stored: await ownStored(deps, o.userId, stored) })
  })

  app.post("/", async (c) => {
    const o = await loadOwn(c)
    if (o === null) return c.notFound()
    if (o.state.status !== "rejected") return notEditable(c, o)
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const ocrSlot = ocrSlotOf(c)
    const up = await takeUploads(deps, user.id, body, ocrSlot)
    const values = { ...formValues(body), ...up.prefill }
    if (ocrSlot !== null) return page(c, o, { values, stored: up.stored, errors: up.errors, ocrNote: up.ocrNote }, Object.keys(up.errors).length > 0 ? 422 : 200)
    const { business, applicant, packageId } = o.application
    const decoded = decodeNested(Application, applicationInput(values, { business, applicant, packageId }, up.ids))
    if (!decoded.ok || Object.keys(up.errors).length > 0) return page(c, o, { values, stored: up.stored, errors: { ...(decoded.ok ? {} : decoded.errors), ...up.errors } }, 422)
    const details = Schema.decodeUnknownSync(ApplicationDetails)(decoded.value)
    const r = await attempt(deps.exit, amendOrder(user.id, o.id, details))
    if (!r.ok) {
      const d = describeOrderError(r.error)
      return page(c, o, { values, stored: up.stored, errors: { [d.field]: d.message } }, d.status === 404 ? 409 : d.status)
    }
    return c.redirect(`/orders/${o.id}?done=resubmitted`, 303)
  })
  return app
}
