/**
 * C10 合同管理 under /org/:enterpriseId/contracts: the enterprise's
 * contracts (initiated by it or addressed to it) that the member sees — a
 * branch admin only their subtree's — with the signing branch (签署分公司).
 * Tabs of search, status and dates swap the list in place under htmx.
 */
import { describe } from "../catalogue.ts"
import { Option, Schema } from "effect"
import type { StatusCode } from "hono/utils/http-status"
import { enterpriseContracts } from "../../../core/contracts/enterpriseList.ts"
import { handContractOver, handoverChoices } from "../../../core/contracts/handOver.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import { decodeForm } from "../../platform/http/forms.ts"
import { attempt } from "./verificationFiles.ts"
import type { WebDeps } from "../context.tsx"
import { currentScope, ORG_PATH, orgHref, orgRoutes, renderOrgPage, requireCan, type OrgContext } from "../orgContext.ts"
import { ContractHandoverPage, OrgContractList } from "../views/contractsOrg.tsx"

type Status = Extract<StatusCode, 200 | 403 | 404 | 409 | 422>
const HandoverForm = Schema.Struct({ userId: Schema.String.pipe(Schema.check(Schema.isPattern(/^[1-9]\d{18}$/, { message: "id.invalid" }))) })
import { decodeOrgListQuery } from "./contractForms.ts"

export const ORG_CONTRACTS_PATH = `${ORG_PATH}/contracts`
const PAGE_SIZE = 10

/** An htmx request for the list fragment (not a history restore, which wants the whole page). */
export const wantsListFragment = (c: OrgContext) =>
  c.req.header("hx-request") === "true" && c.req.header("hx-history-restore-request") !== "true" && c.req.header("hx-request-type") !== "full"

export const orgContractRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  app.use("*", requireCan(deps, "contract.view"))
  app.get("/", async (c) => {
    const { filter, page, errors, query } = decodeOrgListQuery(c.req.query())
    const found = await deps.run(enterpriseContracts(currentScope(c), { ...query(PAGE_SIZE), initiatorUserId: undefined }))
    const notice = c.req.query("done") === "handed_over" ? "合同已移交，新的经办人现在可以查看、催签和撤销它" : undefined
    const list = <OrgContractList kind="enterprise" notice={notice} base={orgHref(c, "/contracts")} rows={found.rows} total={found.total} filter={filter} page={page} pageSize={PAGE_SIZE} errors={errors} />
    const status = Object.keys(errors).length === 0 ? 200 : 422
    c.header("vary", "HX-Request")
    return wantsListFragment(c) ? c.html(list, status) : renderOrgPage(c, deps, "合同管理", list, status)
  })
  const handoverPage = async (c: OrgContext, error?: string, status: Status = 200) => {
    const id = Schema.decodeUnknownOption(NumericId)(c.req.param("contractId"))
    const r = Option.isNone(id) ? undefined : await attempt(deps.exit, handoverChoices(currentScope(c), id.value))
    if (r === undefined || !r.ok) {
      const forbidden = r !== undefined && !r.ok && (r.error as { _tag?: string })._tag === "Forbidden"
      return renderOrgPage(c, deps, "移交合同", <p class="alert alert-error" role="alert">{forbidden ? "您无权移交该合同" : "合同不存在或无权查看"}</p>, forbidden ? 403 : 404)
    }
    return renderOrgPage(c, deps, "移交合同", (
      <ContractHandoverPage csrf={c.get("csrfToken")} base={orgHref(c, "/contracts")} contract={r.value.contract} holderName={r.value.holderName}
        holderActive={r.value.holderActive} candidates={r.value.candidates} error={error} />
    ), status)
  }
  app.get("/:contractId/handover", (c) => handoverPage(c))
  app.post("/:contractId/handover", async (c) => {
    const id = Schema.decodeUnknownOption(NumericId)(c.req.param("contractId"))
    const form = decodeForm(HandoverForm, await c.req.parseBody())
    if (Option.isNone(id)) return handoverPage(c)
    if (!form.ok) return handoverPage(c, "请选择接收合同的经办人", 422)
    const r = await attempt(deps.exit, handContractOver(currentScope(c), id.value, form.value.userId))
    if (!r.ok) {
      const tag = r.error._tag
      if (tag === "ContractHandoverTargetInvalid") return handoverPage(c, describe(r.error).message, 422)
      if (tag === "ContractBusy") return handoverPage(c, "合同刚被他人修改，请刷新后重试", 409)
      return handoverPage(c)
    }
    return c.redirect(orgHref(c, "/contracts?done=handed_over"), 303)
  })
  return app
}
