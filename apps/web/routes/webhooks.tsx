import { Schema } from "effect"
import { WebhookEventType } from "../../../core/api/Api.ts"
import { disableEndpoint, endpointDeliveries, listEndpoints, registerEndpoint, replayDelivery, WebhookUrl } from "../../../core/api/webhooks.ts"
import { NumericId } from "../../../core/kernel/Ids.ts"
import type { OutboundTargetRefused } from "../../../core/net/outbound.ts"
import type { EnterpriseId } from "../../../core/organizations/Enterprise.ts"
import { failureOf } from "../../platform/http/runner.ts"
import type { WebDeps } from "../context.tsx"
import { currentScope, ORG_PATH, orgHref, orgRoutes, renderOrgPage, type OrgContext } from "../orgContext.ts"
import { DeliveriesPage, WebhooksPage } from "../views/apiPages.tsx"
import { apiManageGuard, refusedPage } from "./apiKeys.tsx"

export const WEBHOOKS_PATH = `${ORG_PATH}/webhooks`
const TITLE = "回调通知"

const Events = Schema.Array(WebhookEventType)

/** Why a webhook URL's host was refused, next to the URL field (SSRF guard, core/net). */
export const targetRefusedMessage = (e: OutboundTargetRefused): string =>
  e.reason === "unresolvable"
    ? "无法解析该地址的域名，请确认域名已生效后重试"
    : e.reason === "invalid"
    ? "请填写以 http:// 或 https:// 开头的地址（不超过 500 个字符）"
    : `不能推送到本机、内网或保留地址（${e.address ?? e.host}），请使用可从公网访问的地址`

/** 企业工作台 → Webhooks (P4): endpoints and the events they get, deliveries with every attempt, replay. */
export const webhookRoutes = (deps: WebDeps) => {
  const app = orgRoutes(deps)
  app.use("*", apiManageGuard(deps, TITLE))
  const enterpriseOf = (c: OrgContext) => currentScope(c).enterprise.id as EnterpriseId
  const idParam = (c: OrgContext, name: string) => Schema.decodeUnknownOption(NumericId)(c.req.param(name))

  const page = async (c: OrgContext, extra: Partial<Parameters<typeof WebhooksPage>[0]> = {}, status: 200 | 422 = 200) => {
    const exit = await deps.exit(listEndpoints(c.get("user")!, enterpriseOf(c)))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    const notice = c.req.query("done") === "disabled" ? "已停用，不再向该地址推送" : undefined
    return renderOrgPage(c, deps, TITLE, <WebhooksPage base={orgHref(c)} csrf={c.get("csrfToken")} endpoints={exit.value.endpoints} notice={notice} {...extra} />, status)
  }

  app.get("/", (c) => page(c))

  app.post("/", async (c) => {
    const body = await c.req.parseBody({ all: true })
    const url = typeof body.url === "string" ? body.url.trim() : ""
    const picked = ([] as Array<unknown>).concat(body.events ?? []).filter((e): e is string => typeof e === "string")
    const errors: Record<string, string> = {}
    const okUrl = Schema.decodeUnknownOption(WebhookUrl)(url)
    if (okUrl._tag === "None") errors.url = "请填写以 http:// 或 https:// 开头的地址（不超过 500 个字符）"
    // Outside development, events leave the platform only over TLS.
    else if (!deps.devProfile && !url.startsWith("https://")) errors.url = "请使用 https:// 地址"
    const events = Schema.decodeUnknownOption(Events)(picked)
    if (events._tag === "None" || events.value.length === 0) errors.events = "请至少选择一个事件"
    if (Object.keys(errors).length > 0 || okUrl._tag === "None" || events._tag === "None") {
      return page(c, { values: { url }, checked: picked, errors }, 422)
    }
    const exit = await deps.exit(registerEndpoint(c.get("user")!, enterpriseOf(c), okUrl.value, events.value))
    if (exit._tag === "Failure") {
      const error = failureOf(exit)
      if (error?._tag === "OutboundTargetRefused") return page(c, { values: { url }, checked: picked, errors: { url: targetRefusedMessage(error) } }, 422)
      return refusedPage(c, deps, TITLE, error)
    }
    return page(c, { created: { id: exit.value.endpoint.id, secret: exit.value.secret } })
  })

  app.post("/:endpointId/disable", async (c) => {
    const id = idParam(c, "endpointId")
    if (id._tag === "None") return refusedPage(c, deps, TITLE, { _tag: "NotFound" })
    const exit = await deps.exit(disableEndpoint(c.get("user")!, enterpriseOf(c), id.value))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    return c.redirect(orgHref(c, "/webhooks?done=disabled"), 303)
  })

  app.get("/:endpointId", async (c) => {
    const id = idParam(c, "endpointId")
    if (id._tag === "None") return refusedPage(c, deps, TITLE, { _tag: "NotFound" })
    const exit = await deps.exit(endpointDeliveries(c.get("user")!, enterpriseOf(c), id.value))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    const notice = c.req.query("done") === "replayed" ? "已重新加入推送队列" : undefined
    return renderOrgPage(c, deps, `${TITLE} · 推送记录`, (
      <DeliveriesPage base={orgHref(c)} csrf={c.get("csrfToken")} endpoint={exit.value.endpoint} deliveries={exit.value.deliveries} notice={notice} />
    ))
  })

  app.post("/:endpointId/deliveries/:deliveryId/replay", async (c) => {
    const endpoint = idParam(c, "endpointId")
    const delivery = idParam(c, "deliveryId")
    if (endpoint._tag === "None" || delivery._tag === "None") return refusedPage(c, deps, TITLE, { _tag: "NotFound" })
    const exit = await deps.exit(replayDelivery(c.get("user")!, enterpriseOf(c), delivery.value))
    if (exit._tag === "Failure") return refusedPage(c, deps, TITLE, failureOf(exit))
    return c.redirect(orgHref(c, `/webhooks/${exit.value.endpointId}?done=replayed`), 303)
  })

  return app
}
