import { Hono } from "hono"
import { Effect, Schema } from "effect"
import type { Contract } from "../../../core/contracts/Contract.ts"
import { sendContract } from "../../../core/contracts/createContract.ts"
import { deleteDraft, openDraft, updateDraft } from "../../../core/contracts/editDraft.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { initiatorChoices } from "../../../core/contracts/parties.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { Notice } from "../../platform/views/form.tsx"
import { describeContractError } from "../contractErrors.ts"
import { formValues, renderPage, type WebContext, type WebDeps, type WebEnv } from "../context.tsx"
import { ContractForm } from "../views/contractForm.tsx"
import { currentUser, requireUser } from "./account.tsx"
import { decodeContractForm, draftValues, messageOf } from "./contractForms.ts"

/**
 * C1 drafts: resume editing (parties, boxes, mode, deadline), save again,
 * send, or delete. A draft is its initiator's alone: anyone else, and any
 * number that is not a draft of theirs, gets 404.
 */
export const draftEditRoutes = (deps: WebDeps) => {
  const app = new Hono<WebEnv>()
  app.use("*", requireUser)
  const notFound = (c: WebContext) => renderPage(c, deps, "草稿", <p class="alert alert-error">草稿不存在或无权查看</p>, 404)

  /** The user's own draft, or the response to send instead (404, or the contract's page once it is sent). */
  const draftOf = async (c: WebContext): Promise<Contract | Response> => {
    const id = Schema.decodeUnknownOption(NumericId)(c.req.param("id"))
    if (id._tag === "None") return notFound(c)
    const exit = await deps.exit(openDraft(currentUser(c), id.value))
    const error = failureOf(exit)
    if (error?._tag === "ContractNotDraft") return c.redirect(`/contracts/${id.value}`, 303)
    if (error !== undefined) return notFound(c)
    if (exit._tag === "Failure") throw exit.cause
    return exit.value
  }

  const form = async (c: WebContext, draft: Contract, values: Record<string, string>, errors: Record<string, string> = {}, status: 200 | 400 | 409 | 422 = 200) => {
    const u = currentUser(c)
    const orgs = await deps.run(initiatorChoices(u))
    const saved = c.req.query("done") === "saved" && status === 200
    return renderPage(c, deps, "编辑草稿", (
      <>
        {saved ? <Notice>草稿已保存，可稍后在“我的签约 · 草稿”中继续编辑</Notice> : null}
        <ContractForm csrf={c.get("csrfToken")} values={values} errors={errors} me={{ name: u.name ?? "我", mobile: u.mobile }} draft={{ id: draft.id, name: draft.name }} orgs={orgs} />
      </>
    ), status)
  }

  app.get("/:id/edit", async (c) => {
    const draft = await draftOf(c)
    return draft instanceof Response ? draft : form(c, draft, draftValues(draft, currentUser(c)))
  })

  app.post("/:id/edit", async (c) => {
    const draft = await draftOf(c)
    if (draft instanceof Response) return draft
    const user = currentUser(c)
    const body = await c.req.parseBody()
    const values = { ...formValues(body), includeMe: body.includeMe === "on" ? "on" : "off" }
    const intent = body.intent === "draft" ? "draft" : "send"
    const decoded = decodeContractForm(body, { name: user.name ?? user.mobile, mobile: user.mobile }, Date.now())
    if (!decoded.ok) return form(c, draft, values, decoded.errors, 422)
    if (intent === "send" && decoded.value.parties.length === 0) return form(c, draft, values, { parties: "请至少添加一个签署方" }, 422)
    const updated = updateDraft(user, draft.id, decoded.value)
    const exit = await deps.exit(intent === "draft" ? updated : updated.pipe(Effect.flatMap(() => sendContract(user, draft.id))))
    const error = failureOf(exit)
    if (error?._tag === "NotFound") return notFound(c)
    if (error !== undefined) {
      const d = describeContractError(error)
      return form(c, draft, values, { [d?.field ?? "_form"]: messageOf(error) }, d?.field === "fields" ? 422 : d?.status === 409 ? 409 : 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(intent === "draft" ? `/contracts/${draft.id}/edit?done=saved` : `/contracts/${draft.id}?done=sent`, 303)
  })

  app.post("/:id/delete", async (c) => {
    const draft = await draftOf(c)
    if (draft instanceof Response) return draft
    const exit = await deps.exit(deleteDraft(currentUser(c), draft.id))
    const error = failureOf(exit)
    if (error !== undefined) return error._tag === "NotFound" ? notFound(c) : c.redirect(`/contracts/${draft.id}`, 303)
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect("/contracts?tab=drafts&done=deleted", 303)
  })

  return app
}
