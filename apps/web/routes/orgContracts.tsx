/**
 * C10 合同管理 under /org/:enterpriseId/contracts: the enterprise's
 * contracts (initiated by it or addressed to it) that the member sees — a
 * branch admin only their subtree's — with the signing branch (签署分公司).
 * Tabs of search, status and dates swap the list in place under htmx.
 */
import { enterpriseContracts } from "../../../core/contracts/enterpriseList.ts"
import type { WebDeps } from "../context.tsx"
import { currentScope, ORG_PATH, orgHref, orgRoutes, renderOrgPage, requireCan, type OrgContext } from "../orgContext.ts"
import { OrgContractList } from "../views/contractsOrg.tsx"
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
    const list = <OrgContractList kind="enterprise" base={orgHref(c, "/contracts")} rows={found.rows} total={found.total} filter={filter} page={page} pageSize={PAGE_SIZE} errors={errors} />
    const status = Object.keys(errors).length === 0 ? 200 : 422
    c.header("vary", "HX-Request")
    return wantsListFragment(c) ? c.html(list, status) : renderOrgPage(c, deps, "合同管理", list, status)
  })
  return app
}
