import { Hono } from "hono"
import { Effect } from "effect"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { renderTemplate, templates } from "../../../core/contracts/templates.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { translate } from "../messages.ts"
import { formValues, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { TemplateChooser, TemplateForm } from "../views/templates.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { isEnterpriseInput } from "../../../core/contracts/parties.ts"
import { deadlineOf, decodeMixedRows, messageOf, NewContractBody, withRuleErrors } from "./contractForms.ts"

/** 拟定合同: pick a zh-CN template, fill it in, name the two signers; the PDF is generated and sent (or kept as a draft). */
export const draftRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)
  const notFound = (c: WebContext) =>
    renderPage(c, deps, "拟定合同", <p class="alert alert-error">模板不存在</p>, 404)

  app.get("/", (c) => renderPage(c, deps, "拟定合同", <TemplateChooser templates={templates} />))

  app.get("/:template", (c) => {
    const template = templates.find((t) => t.id === c.req.param("template"))
    if (template === undefined) return notFound(c)
    const u = currentUser(c)
    return renderPage(c, deps, `拟定合同 · ${template.title}`, (
      <TemplateForm template={template} csrf={c.get("csrfToken")} values={{ partyName0: u.name ?? "", partyMobile0: u.mobile }} />
    ))
  })

  app.post("/:template", async (c) => {
    const template = templates.find((t) => t.id === c.req.param("template"))
    if (template === undefined) return notFound(c)
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const values = formValues(body)
    const again = (errors: Record<string, string>, status: 400 | 422 = 422) =>
      renderPage(c, deps, `拟定合同 · ${template.title}`, <TemplateForm template={template} csrf={c.get("csrfToken")} values={values} errors={errors} />, status)
    const form = decodeForm(NewContractBody, { ...body, name: template.title })
    const errors: Record<string, string> = form.ok ? {} : translate(form.errors)
    const filled: Record<string, string> = {}
    for (const f of template.fields) {
      const value = String(body[`t_${f.name}`] ?? "").trim()
      if (value === "" || value.length > 60) errors[`t_${f.name}`] = `请填写${f.label}（不超过 60 个字）`
      filled[f.name] = value
    }
    // Each side a person or an enterprise (by its registered name), as in 发起签约.
    const { parties, errors: partyErrors } = decodeMixedRows(body, template.sides.length)
    Object.assign(errors, partyErrors)
    if (Object.keys(partyErrors).length === 0 && parties.length !== template.sides.length) errors.parties = `请填写${template.sides.join("和")}`
    withRuleErrors(errors, Date.now(), { deadline: form.ok ? deadlineOf(form.value.deadline) : Number.NaN, parties })
    if (!form.ok || Object.keys(errors).length > 0) return again(errors)
    const exit = await deps.exit(
      renderTemplate(template, filled, parties.map((p) => (isEnterpriseInput(p) ? "enterprise" : "person"))).pipe(
        Effect.flatMap(({ pdf, fields, pages }) => createContract(user, { name: template.title, pdf, mode: form.value.mode, deadline: deadlineOf(form.value.deadline), parties, fields, pages })),
        Effect.flatMap((draft) => (body.intent === "draft" ? Effect.succeed(draft) : sendContract(user, draft.id))),
      ),
    )
    const error = failureOf(exit)
    if (error !== undefined) {
      return again({ _form: error._tag === "TemplateCharactersUnsupported" ? `内容中有无法显示的字符：${(error as { characters: string }).characters}` : messageOf(error) }, 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(body.intent === "draft" ? `/contracts/${exit.value.id}/edit?done=saved` : `/contracts/${exit.value.id}?done=sent`, 303)
  })

  return app
}
