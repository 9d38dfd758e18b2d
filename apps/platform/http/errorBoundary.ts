import { randomBytes } from "node:crypto"
import { Cause } from "effect"
import type { Context, Hono } from "hono"
import { errorFields, log } from "../../../adapters/observability/index.ts"

/** A short id the user can quote and the log can be searched for. */
const newIncidentId = () => randomBytes(6).toString("hex").toUpperCase()

const causeText = (err: unknown): string =>
  Cause.isCause(err) ? Cause.pretty(err) : err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err)

/**
 * Logs an unexpected failure under a new incident id, with its cause (stack or
 * Effect cause; never the request body, so no password or code is logged), and
 * returns the id for the answer. The user sees the id, never the cause.
 */
export const logIncident = (app: string, c: Context, err: unknown): string => {
  const id = newIncidentId()
  // One JSON line (the request id added by the logger) with the incident id, the cause chain and the full trace.
  log("error", `incident ${id}: ${app} ${c.req.method} ${c.req.path}`, { incident: id, ...errorFields(Cause.isCause(err) ? Cause.squash(err) : err), trace: causeText(err) })
  return id
}

/**
 * A styled stand-alone error page (404, 500) of the portal or the admin app:
 * both serve the portal's /static/app.css. `body` is trusted markup (no user input).
 */
const errorPage = (code: string, title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${title} · Signet</title><link rel="stylesheet" href="/static/app.css"></head>` +
  `<body class="auth error-page"><main class="auth-card"><p class="error-code" aria-hidden="true">${code}</p><h1>${title}</h1>${body}` +
  `<p class="actions"><a class="btn btn-primary" href="/">返回首页</a></p></main></body></html>`

/** The zh-CN page for an address that leads nowhere. */
export const notFoundPage = (c: Context) =>
  c.html(errorPage("404", "页面不存在", `<p class="muted">您访问的页面不存在或已被移除，请检查地址是否正确。</p>`), 404)

/** The zh-CN page for an unexpected failure of the portal or the admin app. */
export const incidentPage = (c: Context, id: string) =>
  c.html(
    errorPage("500", "系统出错",
      `<p>抱歉，系统出现意外错误，请稍后重试。</p><p class="muted">事件编号：<code>${id}</code>（如需帮助，请向客服提供此编号）。</p>`),
    500,
  )

/** `app.onError` of an HTML app: logged with an incident id, answered with the zh-CN page. */
export const htmlErrorBoundary = (app: string) => (err: unknown, c: Context) => incidentPage(c, logIncident(app, c, err))

/**
 * Installs `answer` as the app's one error boundary: as `onError` (Hono hands
 * it thrown Errors) and as the first middleware, which also catches what is
 * not an Error (a rejected Effect cause, a disposed runtime), so nothing
 * reaches the server's English "Internal Server Error". Call it first.
 */
export const installErrorBoundary = (app: Hono<any>, answer: (err: unknown, c: Context) => Response | Promise<Response>) => {
  app.use("*", async (c, next) => {
    try {
      await next()
    } catch (err) {
      c.res = await answer(err, c)
    }
  })
  app.onError(answer)
}
