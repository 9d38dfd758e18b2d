/**
 * 合作伙伴开放平台 under /org/:enterpriseId/platform (P1-P3). The owner's
 * members see its contract management page (search by provider / contract
 * name / number, status, creator, dates; 创建合同); any other enterprise sees
 * its side as a service provider: its contracts with the owner's head office
 * and branches, with the signing branch, downloadable once signed.
 */
import { Schema } from "effect"
import { initiatorChoices } from "../../../core/contracts/parties.ts"
import { createPlatformContract, ownerContracts, ownerCreators, platformSide, providerContracts, type PlatformDocument } from "../../../core/contracts/partnerPlatform.ts"
import { templates } from "../../../core/contracts/templates.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { failureOf } from "../../platform/http/runner.ts"
import { formValues, type WebDeps } from "../context.tsx"
import { fieldMessage, translate } from "../messages.ts"
import { currentScope, ORG_PATH, orgHref, orgRoutes, renderOrgPage, requireCan, type OrgContext } from "../orgContext.ts"
import { OrgContractList } from "../views/contractsOrg.tsx"
import { PlatformContractForm, ProviderNotice, SIDE_FIELDS } from "../views/platform.tsx"
import { deadlineOf, decodeOrgListQuery, messageOf, NewContractBody, withRuleErrors } from "./contractForms.ts"
import { wantsListFragment } from "./orgContracts.tsx"

export const PLATFORM_PATH = `${ORG_PATH}/platform`
const TITLE = "合作伙伴开放平台 · 合同管理"
const PAGE_SIZE = 10

const Id = Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" })))
const CreateForm = Schema.Struct({
  providerName: Schema.String.pipe(Schema.check(Schema.isTrimmed({ message: "enterpriseName.trim" }), Schema.isBetweenLength(2, 60, { message: "enterpriseName.length" }))),
  branchId: Id,
  source: Schema.Literals(["upload", "template"]),
  template: Schema.optionalKey(Schema.String),
})

/** The guard let only a logged-in member through. */
const memberUser = (c: OrgContext) => {
  const user = c.get("user")
  if (user === null) throw new Error("orgGuard must guard this route")
  return user
}


export const platformRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  app.use("*", requireCan(deps, "contract.view"))

  const unavailable = (c: OrgContext, message: string, status: 403 | 404) =>
    renderOrgPage(c, deps, TITLE, <p class="alert alert-error" role="alert">{message}</p>, status)

  app.get("/", async (c) => {
    const scope = currentScope(c)
    const side = await deps.exit(platformSide(scope))
    if (side._tag === "Failure") return failureOf(side) !== undefined ? unavailable(c, messageOf(failureOf(side)!), 404) : Promise.reject(side.cause)
    const { filter, page, errors, query } = decodeOrgListQuery(c.req.query())
    const base = orgHref(c, "/platform")
    const status = Object.keys(errors).length === 0 ? 200 : 422
    c.header("vary", "HX-Request")
    if (side.value.side === "owner") {
      const found = await deps.run(ownerContracts(scope, query(PAGE_SIZE)))
      const creators = await deps.run(ownerCreators(scope))
      const list = (
        <OrgContractList kind="owner" base={base} rows={found.rows} total={found.total} filter={filter} page={page} pageSize={PAGE_SIZE} errors={errors}
          ownerId={found.owner.id} creators={creators} createHref={`${base}/new`} notice={c.req.query("done") === "created" ? "合同已创建并发起签约，已短信通知双方" : undefined} />
      )
      return wantsListFragment(c) ? c.html(list, status) : renderOrgPage(c, deps, TITLE, list, status)
    }
    const found = await deps.run(providerContracts(scope, { ...query(PAGE_SIZE), initiatorUserId: undefined }))
    const list = <OrgContractList kind="provider" base={base} rows={found.rows} total={found.total} filter={filter} page={page} pageSize={PAGE_SIZE} errors={errors} />
    return wantsListFragment(c) ? c.html(list, status) : renderOrgPage(c, deps, TITLE, <><ProviderNotice ownerName={found.owner.name} eligible={found.eligible} />{list}</>, status)
  })

  /** The owner's create form, or the refusal for anyone else. */
  const createPage = async (c: OrgContext, values: Record<string, string> = {}, errors: Record<string, string> = {}, status: 200 | 400 | 403 | 422 = 200) => {
    const scope = currentScope(c)
    const side = await deps.exit(platformSide(scope))
    if (side._tag === "Failure" || side.value.side !== "owner") return unavailable(c, "只有合作伙伴开放平台所属企业可以创建合同", 403)
    const branches = (await deps.run(initiatorChoices(memberUser(c)))).filter((b) => b.enterpriseId === scope.enterprise.id)
    if (branches.length === 0) return unavailable(c, "您没有以本企业身份发起签约的权限", 403)
    return renderOrgPage(c, deps, "创建合同", (
      <PlatformContractForm csrf={c.get("csrfToken")} action={orgHref(c, "/platform")} ownerName={scope.enterprise.name} branches={branches} templates={templates} values={values} errors={errors} />
    ), status)
  }

  app.get("/new", (c) => createPage(c))

  app.post("/", async (c) => {
    const body = await c.req.parseBody()
    const values = formValues(body)
    const form = decodeForm(CreateForm, body)
    const common = decodeForm(NewContractBody, body)
    const errors: Record<string, string> = { ...(form.ok ? {} : translate(form.errors)), ...(common.ok ? {} : translate(common.errors)) }
    if (!form.ok && form.errors.providerName !== undefined) errors.providerName = "请填写服务商的企业全称（2-60 个字）"
    let document: PlatformDocument | undefined
    let pdf: Uint8Array | undefined
    if (form.ok && form.value.source === "upload") {
      const file = body.document
      if (!(file instanceof File) || file.size === 0) errors.document = "请选择合同文件（PDF）"
      else pdf = new Uint8Array(await file.arrayBuffer())
    } else if (form.ok) {
      const template = templates.find((t) => t.id === form.value.template)
      if (template === undefined) errors.template = "请选择合同模板"
      else {
        const filled: Record<string, string> = { partyA: currentScope(c).enterprise.name, partyB: form.value.providerName }
        for (const f of template.fields.filter((x) => !SIDE_FIELDS.has(x.name))) {
          const value = String(body[`t_${template.id}_${f.name}`] ?? "").trim()
          if (value === "" || value.length > 60) errors[`t_${template.id}_${f.name}`] = `请填写${f.label}（不超过 60 个字）`
          filled[f.name] = value
        }
        document = { _tag: "Template", template, values: filled }
      }
    }
    const before = errors.deadline
    withRuleErrors(errors, Date.now(), { deadline: common.ok ? deadlineOf(common.value.deadline) : Number.NaN, parties: [], document: pdf })
    // This page calls the deadline 合同过期时间.
    if (before === undefined && errors.deadline !== undefined) errors.deadline = fieldMessage("expiry.past")
    if (pdf !== undefined && errors.document === undefined) document = { _tag: "Upload", pdf }
    if (!form.ok || !common.ok || document === undefined || Object.keys(errors).length > 0) return createPage(c, values, errors, 422)
    const exit = await deps.exit(createPlatformContract(memberUser(c), currentScope(c), {
      providerName: form.value.providerName, branchId: form.value.branchId, name: common.value.name, document, mode: common.value.mode, deadline: deadlineOf(common.value.deadline),
    }))
    const error = failureOf(exit)
    if (error !== undefined) {
      const field = error._tag === "ProviderNotEligible" ? "providerName" : error._tag === "InitiatorNotAllowed" ? "branchId" : "_form"
      const message = error._tag === "TemplateCharactersUnsupported" ? `内容中有无法显示的字符：${(error as { characters: string }).characters}` : messageOf(error)
      return createPage(c, values, { [field]: message }, error._tag === "Forbidden" ? 403 : 400)
    }
    if (exit._tag === "Failure") throw exit.cause
    return c.redirect(`${orgHref(c, "/platform")}?done=created`, 303)
  })

  return app
}
