import type { Context } from "hono"
import type { Child } from "hono/jsx"
import type { User } from "../../core/accounts/User.ts"
import type { AppServices } from "../platform/layers.ts"
import type { ExitRunner, Runner } from "../platform/http/runner.ts"
import type { Limiter } from "../platform/http/rateLimit.ts"
import type { ClientAddress } from "../platform/http/clientAddress.ts"
import type { SecurityOptions, SecurityVariables } from "../platform/http/security.ts"
import { AuthLayout, Layout, type PageContext } from "./views/Layout.tsx"
import { doc } from "../platform/views/form.tsx"
import type { OperationsDeps } from "../platform/http/operations.ts"

export type WebEnv = { Variables: SecurityVariables & { user: User | null; unread?: () => Promise<number> } }
export type WebContext = Context<WebEnv>

/** What every route module of the web app is built from. */
export interface WebDeps {
  readonly run: Runner<AppServices>
  readonly exit: ExitRunner<AppServices>
  readonly security: SecurityOptions
  readonly devProfile: boolean
  /** Request ids, access log, metrics, the 503 while the database is away, /healthz /readyz /metrics. */
  readonly operations: OperationsDeps
  /** Shared by every instance on the database (apps/platform/http/rateLimit.ts). */
  readonly limits: {
    /** Log-in attempts per client address. */
    readonly login: Limiter
    /** SMS code requests per client address. */
    readonly sms: Limiter
    /** OCR reads per user: about 2 s of CPU per photo, 10 a minute (the forms work without it). */
    readonly ocr: Limiter
  }
  /** The client's address: the socket's, or X-Forwarded-For read through trusted proxies only. */
  readonly clientAddress: ClientAddress
  /** Where the sign page's script finds the local signing agent (SIGNET_AGENT_URL). */
  readonly agentUrl: string
}

/** What a page needs of a request: readable on the portal's context and on every env that extends it (the workspace's). */
export interface PageRequest {
  readonly var: Readonly<WebEnv["Variables"]>
  readonly req: { readonly path: string; header(name: string): string | undefined }
}

export const pageContext = (c: PageRequest, devProfile: boolean): PageContext => ({
  user: c.var.user,
  csrfToken: c.var.csrfToken,
  path: c.req.path,
  devProfile,
  unread: c.var.unread,
})

/** Renders a workspace page; `status` 422/4xx when re-rendering a form with errors. */
export const renderPage = (c: WebContext, deps: WebDeps, title: string, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 = 200) =>
  c.html(doc(<Layout ctx={pageContext(c, deps.devProfile)} title={title}>{body}</Layout>), status)

export const renderAuthPage = (c: WebContext, deps: WebDeps, title: string, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 = 200) =>
  c.html(doc(<AuthLayout title={title} devProfile={deps.devProfile}>{body}</AuthLayout>), status)

/** The client's address for rate limiting (the socket's, not a spoofable header). */
export const clientKey = (c: { readonly env: unknown }): string => {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? "local"
}

/** Only same-site paths may be redirected to after log-in. */
export const safeNext = (next: string | undefined): string =>
  next !== undefined && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : "/"

export const isHtmx = (c: Pick<PageRequest, "req">): boolean => c.req.header("hx-request") === "true"

/** Form values as strings, for re-rendering a form with what the user typed. */
export const formValues = (body: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(body).filter(([k, v]) => typeof v === "string" && k !== "_csrf" && !/password/i.test(k)) as Array<[string, string]>)
