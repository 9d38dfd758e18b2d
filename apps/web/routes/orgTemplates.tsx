/**
 * 企业工作台 → 合同模板 under /org/:enterpriseId/templates (issue 17): the
 * admin uploads a template PDF with its roles and places its fill-in fields
 * and signing boxes; every member who may initiate contracts for the
 * enterprise initiates from a template (values written into the PDF, roles
 * bound to persons or enterprises).
 */
import { Schema } from "effect"
import { checkTemplateValues, initiateFromTemplate } from "../../../core/contracts/fillTemplate.ts"
import { OrgTemplate, OrgTemplateId, RoleName, TEMPLATE_LIMITS, TemplateBox, TemplateFillField } from "../../../core/contracts/OrgTemplate.ts"
import { createOrgTemplate, deleteOrgTemplate, layOutOrgTemplate, orgTemplates, templateDocument, usableTemplate } from "../../../core/contracts/orgTemplates.ts"
import { beijingDay } from "../../../core/kernel/time.ts"
import { headOffice } from "../../../core/organizations/orgScope.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import type { WebDeps } from "../context.tsx"
import { formValues } from "../context.tsx"
import { currentScope, ORG_PATH, orgCan, orgHref, orgRoutes, renderOrgPage, requireCan, type OrgContext } from "../orgContext.ts"
import { editorRows, TemplateEditor, TemplateInitiateForm, TemplatesPage } from "../views/orgTemplates.tsx"
import { deadlineOf, decodeMixedRows, messageOf, NewContractBody, withRuleErrors } from "./contractForms.ts"
import { describeContractError } from "../contractErrors.ts"
import type { WebError } from "../catalogue.ts"
import { attempt, bytesOf, fileOf } from "./verificationFiles.ts"

export const TEMPLATES_PATH = `${ORG_PATH}/templates`
const TITLE = "合同模板"
type Status = 200 | 400 | 403 | 404 | 409 | 422 | 429 | 500

const TemplateName = OrgTemplate.fields.name

/** 甲方、乙方 / 甲方,乙方: the roles typed in one input. */
const rolesOf = (raw: unknown): ReadonlyArray<string> | null => {
  const roles = String(raw ?? "").split(/[、,，\s]+/).filter((r) => r !== "")
  const ok = roles.length >= 1 && roles.length <= TEMPLATE_LIMITS.roles && new Set(roles).size === roles.length && roles.every(Schema.is(RoleName))
  return ok ? roles : null
}

/** The editor's inputs for a template as it is. */
const editorValues = (t: OrgTemplate): Record<string, string> => ({
  name: t.name,
  ...Object.fromEntries(t.fields.flatMap((f, i) => [
    [`fLabel${i}`, f.label], [`fKind${i}`, f.kind], [`fKey${i}`, f.key],
    [`fPage${i}`, String(f.page)], [`fX${i}`, String(f.x)], [`fY${i}`, String(f.y)], [`fW${i}`, String(f.width)], [`fH${i}`, String(f.height)],
  ])),
  ...Object.fromEntries(t.boxes.flatMap((b, i) => [
    [`bRole${i}`, String(b.role)], [`bKind${i}`, b.kind],
    [`bPage${i}`, String(b.page)], [`bX${i}`, String(b.x)], [`bY${i}`, String(b.y)], [`bW${i}`, String(b.width)], [`bH${i}`, String(b.height)],
  ])),
})

const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN)

/** The editor's rows decoded: fields named, boxes with a page; a row that does not decode is an error naming it. */
const decodeLayout = (body: Record<string, unknown>, t: OrgTemplate) => {
  const fields: Array<TemplateFillField> = []
  const boxes: Array<TemplateBox> = []
  const used = new Set(t.fields.map((f) => f.key))
  for (let i = 0; i < editorRows(t.fields.length); i++) {
    const label = String(body[`fLabel${i}`] ?? "").trim()
    if (label === "") continue
    let key = String(body[`fKey${i}`] ?? "")
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(key) || fields.some((f) => f.key === key)) {
      let n = 1
      while (used.has(`f${n}`) || fields.some((f) => f.key === `f${n}`)) n++
      key = `f${n}`
    }
    used.add(key)
    const r = Schema.decodeUnknownOption(TemplateFillField)({
      key, label, kind: body[`fKind${i}`], page: num(body[`fPage${i}`]), x: num(body[`fX${i}`]), y: num(body[`fY${i}`]), width: num(body[`fW${i}`]), height: num(body[`fH${i}`]),
    })
    if (r._tag === "None") return { error: `第 ${i + 1} 个填写项（${label}）：请填写页码、位置和大小（宽、高大于 0）` }
    fields.push(r.value)
  }
  for (let i = 0; i < editorRows(t.boxes.length); i++) {
    if (String(body[`bPage${i}`] ?? "").trim() === "") continue
    const r = Schema.decodeUnknownOption(TemplateBox)({
      role: num(body[`bRole${i}`]), kind: body[`bKind${i}`], page: num(body[`bPage${i}`]), x: num(body[`bX${i}`]), y: num(body[`bY${i}`]), width: num(body[`bW${i}`]), height: num(body[`bH${i}`]),
    })
    if (r._tag === "None") return { error: `第 ${i + 1} 个签署位置：请填写页码、位置和大小（宽、高大于 0）` }
    boxes.push(r.value)
  }
  return { fields, boxes }
}

export const orgTemplateRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  // Every page is for members who may initiate contracts here; managing needs template.manage at the head office (the admin).
  app.use("*", requireCan(deps, "contract.initiate"))
  const manage = requireCan(deps, "template.manage", (c) => headOffice(currentScope(c)))
  const mayManage = (c: OrgContext) => orgCan(c, "template.manage", headOffice(currentScope(c)))
  const base = (c: OrgContext) => orgHref(c)

  const list = async (c: OrgContext, extra: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status: Status = 200) => {
    const templates = await deps.run(orgTemplates(currentScope(c)))
    const notice = c.req.query("done") === "deleted" ? "模板已删除" : undefined
    return renderOrgPage(c, deps, TITLE, <TemplatesPage base={base(c)} csrf={c.get("csrfToken")} templates={templates} manage={mayManage(c)} notice={notice} {...extra} />, status)
  }
  const missing = (c: OrgContext) => renderOrgPage(c, deps, TITLE, <p class="alert alert-error" role="alert">模板不存在或已删除</p>, 404)
  /** The template named in the path, usable by this member; null: answer 404. */
  const templateOf = async (c: OrgContext) => {
    const id = Schema.decodeUnknownOption(OrgTemplateId)(c.req.param("templateId"))
    if (id._tag === "None") return null
    const r = await attempt(deps.exit, usableTemplate(currentScope(c), id.value))
    return r.ok ? r.value : null
  }
  /** A refused act as the field it concerns, its zh-CN message and the status to answer. */
  const failed = (e: WebError) => {
    const d = describeContractError(e)
    return { field: d.field, message: d.message, status: (d.status === 400 ? 422 : d.status) as Status }
  }

  app.get("/", (c) => list(c))

  app.post("/", manage, async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const errors: Record<string, string> = {}
    const name = decodeForm(TemplateName, String(body.name ?? ""))
    if (!name.ok) errors.name = "请填写模板名称（1-60 个字）"
    const roles = rolesOf(body.roles)
    if (roles === null) errors.roles = "请填写 1-4 个不重复的签署角色（每个不超过 10 个字），如：甲方、乙方"
    const file = fileOf(body, "document")
    if (file === null) errors.document = "请选择模板文件（PDF）"
    else if (file.size > 50 * 1024 * 1024) errors.document = "文件不能超过 50 MB"
    if (!name.ok || roles === null || file === null || Object.keys(errors).length > 0) return list(c, { values, errors }, 422)
    const r = await attempt(deps.exit, createOrgTemplate(currentScope(c), { name: name.value, roles, pdf: await bytesOf(file) }))
    if (!r.ok) {
      const d = failed(r.error)
      return list(c, { values, errors: { [d.field]: d.message } }, d.status)
    }
    return c.redirect(`${base(c)}/templates/${r.value.id}/edit`, 303)
  })

  app.get("/:templateId/edit", manage, async (c) => {
    const t = await templateOf(c)
    if (t === null) return missing(c)
    const notice = c.req.query("done") === "saved" ? "已保存" : undefined
    return renderOrgPage(c, deps, `${TITLE} · ${t.name}`, <TemplateEditor base={base(c)} csrf={c.get("csrfToken")} template={t} values={editorValues(t)} notice={notice} />)
  })

  app.post("/:templateId/edit", manage, async (c) => {
    const t = await templateOf(c)
    if (t === null) return missing(c)
    const body = await c.req.parseBody()
    const values = formValues(body)
    const again = (errors: Record<string, string>, status: Status) =>
      renderOrgPage(c, deps, `${TITLE} · ${t.name}`, <TemplateEditor base={base(c)} csrf={c.get("csrfToken")} template={t} values={values} errors={errors} />, status)
    const name = decodeForm(TemplateName, String(body.name ?? ""))
    if (!name.ok) return again({ name: "请填写模板名称（1-60 个字）" }, 422)
    const layout = decodeLayout(body, t)
    if ("error" in layout) return again({ _form: layout.error ?? "" }, 422)
    const r = await attempt(deps.exit, layOutOrgTemplate(currentScope(c), t.id, { name: name.value, ...layout }))
    if (!r.ok) {
      const d = failed(r.error)
      return again({ [d.field]: d.message }, d.status)
    }
    return c.redirect(`${base(c)}/templates/${t.id}/edit?done=saved`, 303)
  })

  app.post("/:templateId/delete", manage, async (c) => {
    const t = await templateOf(c)
    if (t === null) return missing(c)
    await deps.run(deleteOrgTemplate(currentScope(c), t.id))
    return c.redirect(`${base(c)}/templates?done=deleted`, 303)
  })

  app.get("/:templateId/document", async (c) => {
    const t = await templateOf(c)
    if (t === null) return missing(c)
    const { pdf } = await deps.run(templateDocument(currentScope(c), t.id))
    return c.body(new Uint8Array(pdf), 200, {
      "content-type": "application/pdf", "content-disposition": `inline; filename="template-${t.id}.pdf"`, "x-content-type-options": "nosniff", "cache-control": "private, no-store",
    })
  })

  const form = (c: OrgContext, t: OrgTemplate, values: Record<string, string>, errors?: Record<string, string>, status: Status = 200) =>
    renderOrgPage(c, deps, `使用模板 · ${t.name}`, <TemplateInitiateForm base={base(c)} csrf={c.get("csrfToken")} template={t} values={values} errors={errors} />, status)

  app.get("/:templateId/new", async (c) => {
    const t = await templateOf(c)
    if (t === null) return missing(c)
    return form(c, t, { name: t.name, deadline: beijingDay(Date.now() + 7 * 24 * 3600_000) })
  })

  app.post("/:templateId/new", async (c) => {
    const t = await templateOf(c)
    if (t === null) return missing(c)
    const body = await c.req.parseBody()
    const values = formValues(body)
    const decoded = decodeForm(NewContractBody, body)
    const errors: Record<string, string> = {}
    if (!decoded.ok) {
      for (const k of Object.keys(decoded.errors)) errors[k] = k === "deadline" ? "请选择签约截止日期" : k === "name" ? "请填写合同名称（1-60 个字）" : "请选择签署方式"
    }
    const rows = decodeMixedRows(body, t.roles.length)
    Object.assign(errors, rows.errors)
    if (Object.keys(rows.errors).length === 0 && rows.parties.length !== t.roles.length) errors.parties = `请填写全部 ${t.roles.length} 个签署方（${t.roles.join("、")}）`
    const checked = checkTemplateValues(t.fields, Object.fromEntries(t.fields.map((f) => [f.key, body[`v_${f.key}`] ?? ""])))
    if (!checked.ok) for (const [k, m] of Object.entries(checked.errors)) errors[`v_${k}`] = m
    withRuleErrors(errors, Date.now(), { deadline: decoded.ok ? deadlineOf(decoded.value.deadline) : Number.NaN, parties: rows.parties })
    if (!decoded.ok || Object.keys(errors).length > 0) return form(c, t, values, errors, 422)
    const r = await attempt(deps.exit, initiateFromTemplate(c.get("user")!, currentScope(c), {
      templateId: t.id, values: Object.fromEntries(t.fields.map((f) => [f.key, body[`v_${f.key}`] ?? ""])), parties: rows.parties,
      mode: decoded.value.mode, deadline: deadlineOf(decoded.value.deadline), name: decoded.value.name, send: body.intent !== "draft",
    }))
    if (!r.ok) {
      const d = failed(r.error)
      return form(c, t, values, { [d.field]: d.message }, d.status)
    }
    return c.redirect(body.intent === "draft" ? `/contracts/${r.value.id}/edit?done=saved` : `/contracts/${r.value.id}?done=sent`, 303)
  })

  return app
}
