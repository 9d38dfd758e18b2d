import type { Child } from "hono/jsx"
import { Hono } from "hono"
import type { Staff } from "../../../core/accounts/User.ts"
import { exploreEvidence, parseExploreQuery } from "../../../core/evidence/explore.ts"
import type { AppServices } from "../../platform/layers.ts"
import { failureOf, type ExitRunner } from "../../platform/http/runner.ts"
import type { SecurityVariables } from "../../platform/http/security.ts"
import { doc } from "../../platform/views/form.tsx"
import { AdminLayout, hereOf } from "../views.tsx"
import { ExplorerForm, ExplorerResult } from "./evidenceViews.tsx"

type Env = { Variables: SecurityVariables & { staff: Staff | null } }

/** X3 证据查询 (mounted behind the staff log-in): read-only, so any staff member may use it. */
export const evidenceExplorerRoutes = (deps: { readonly exit: ExitRunner<AppServices> }) => {
  const app = new Hono<Env>()
  app.get("/", async (c) => {
    const page = (body: Child, status: 200 | 404 | 422 = 200) =>
      c.html(doc(<AdminLayout here={hereOf(c.req.url)} title="证据查询" staff={c.get("staff")!} csrf={c.get("csrfToken")}>{body}</AdminLayout>), status)
    const q = (c.req.query("q") ?? "").slice(0, 80)
    if (q.trim() === "") return page(<ExplorerForm q="" />)
    const query = parseExploreQuery(q)
    if (query === null) return page(<ExplorerForm q={q} error="请输入 19 位签约编号或订单号、日志序号（如 #12），或 类型:编号（如 user:1234…）" />, 422)
    const exit = await deps.exit(exploreEvidence(query))
    if (exit._tag === "Failure") {
      if (failureOf(exit)?._tag !== "NotFound") throw new Error("evidence explorer failed")
      return page(<ExplorerForm q={q} error="没有找到相关证据" />, 404)
    }
    return page(<div class="stack"><ExplorerForm q={q} /><ExplorerResult data={exit.value} /></div>)
  })
  return app
}
