import { fileURLToPath } from "node:url"
import { Hono } from "hono"
import { Effect, Option } from "effect"
import { getProfile } from "../../core/accounts/profile.ts"
import type { UserId } from "../../core/kernel/Ids.ts"
import { security } from "../platform/http/security.ts"
import { htmlErrorBoundary, installErrorBoundary, notFoundPage } from "../platform/http/errorBoundary.ts"
import { BODY_KINDS, limitBodies, refuseHtml, type BodyRule } from "../platform/http/bodyLimits.ts"
import { evidenceClientVia } from "../platform/http/evidenceClient.ts"
import type { WebDeps, WebEnv } from "./context.tsx"
import { accountRoutes } from "./routes/account.tsx"
import { personalSignatureRoutes } from "./routes/personalSignature.tsx"
import { addressRoutes } from "./routes/addresses.tsx"
import { authRoutes } from "./routes/auth.tsx"
import { devRoutes } from "./routes/dev.tsx"
import { homeRoutes } from "./routes/home.tsx"
import { notificationRoutes } from "./routes/notifications.tsx"
import { unreadCount } from "../../core/notifications/notificationCentre.ts"
import { contractRoutes } from "./routes/contracts.tsx"
import { draftRoutes } from "./routes/contractDrafts.tsx"
import { archiveRoutes } from "./routes/archive.tsx"
import { verificationRoutes } from "./routes/verification.tsx"
import { staticRoutes } from "../platform/http/static.ts"
import { evidenceRoutes } from "./routes/evidence.tsx"
import { organizationRoutes } from "./routes/organization.tsx"
import { organizationWorkspaceRoutes } from "./routes/organizationWorkspace.tsx"
import { ORG_PATH } from "./orgContext.ts"
import { SEALS_PATH, sealRoutes } from "./routes/seals.tsx"
import { API_KEYS_PATH, apiKeyRoutes } from "./routes/apiKeys.tsx"
import { WEBHOOKS_PATH, webhookRoutes } from "./routes/webhooks.tsx"
import { SIGNATURES_PATH, signatureRoutes } from "./routes/signatures.tsx"
import { TEMPLATES_PATH, orgTemplateRoutes } from "./routes/orgTemplates.tsx"
import { ORG_CONTRACTS_PATH, orgContractRoutes } from "./routes/orgContracts.tsx"
import { PLATFORM_PATH, platformRoutes } from "./routes/platform.tsx"
import { orderRoutes } from "./routes/orders.tsx"
import { mockCheckoutRoutes, paymentNotifyRoutes } from "./routes/ordersPayment.tsx"
import { evidenceWitnessRoutes } from "./routes/evidenceWitness.ts"
import { mountOperations } from "../platform/http/operations.ts"

const ORG = "^/org/[1-9][0-9]{18}"
/** Every portal route that takes a file, by kind (the hostile-input suite posts to each). Any other route takes a small form. */
export const WEB_UPLOAD_ROUTES: ReadonlyArray<BodyRule> = [
  { path: /^\/contracts\/?$/, kind: BODY_KINDS.contract },
  { path: /^\/archive\/uploads\/?$/, kind: BODY_KINDS.contract },
  { path: new RegExp(`${ORG}/platform/?$`), kind: BODY_KINDS.contract },
  { path: new RegExp(`${ORG}/templates/?$`), kind: BODY_KINDS.contract },
  { path: /^\/evidence\/verify\/?$/, kind: BODY_KINDS.evidence },
  { path: /^\/verification\/personal(\/photo)?\/?$/, kind: BODY_KINDS.idPhotos },
  { path: /^\/verification\/enterprise\/(licence|info|[1-9][0-9]{18}\/letter)\/?$/, kind: BODY_KINDS.photo },
  { path: /^\/orders(\/apply|\/[1-9][0-9]{18}\/edit)?\/?$/, kind: BODY_KINDS.materials },
  { path: new RegExp(`${ORG}/(seals|signatures)/?$`), kind: BODY_KINDS.image },
  { path: /^\/account\/signature\/?$/, kind: BODY_KINDS.image },
]

/** The user portal: Hono + hono/jsx, server-rendered, htmx for the small live parts. */
export const createWebApp = (deps: WebDeps, api?: Hono<any>) => {
  const app = new Hono<WebEnv>()
  mountOperations(app, "web", deps.operations)
  // One boundary: an unexpected failure is logged with an incident id and answered with the zh-CN 500 page.
  installErrorBoundary(app, htmlErrorBoundary("web"))
  // The partner API (HMAC-signed requests, no cookies) answers before the portal's body limit, CSRF and sessions.
  if (api !== undefined) app.route("/api/v1", api)
  // Witnesses post JSON signed by their keys: answered before the portal's CSRF check and sessions.
  app.route("/evidence/log", evidenceWitnessRoutes(deps))
  app.route("/static", staticRoutes({
    "app.css": fileURLToPath(new URL("./static/app.css", import.meta.url)),
    "app.js": fileURLToPath(new URL("./static/app.js", import.meta.url)),
    "verification.css": fileURLToPath(new URL("./static/verification.css", import.meta.url)),
    "verification.js": fileURLToPath(new URL("./static/verification.js", import.meta.url)),
    "fields.js": fileURLToPath(new URL("./static/fields.js", import.meta.url)),
    "placement.js": fileURLToPath(new URL("./static/placement.js", import.meta.url)),
    "pdf-pages.js": fileURLToPath(new URL("./static/pdf-pages.js", import.meta.url)),
    "template-fields.js": fileURLToPath(new URL("./static/template-fields.js", import.meta.url)),
    "contracts.css": fileURLToPath(new URL("./static/contracts.css", import.meta.url)),
    "organization.css": fileURLToPath(new URL("./static/organization.css", import.meta.url)),
    "signature-pad.js": fileURLToPath(new URL("./static/signature-pad.js", import.meta.url)),
    "viewer.js": fileURLToPath(new URL("./static/viewer.js", import.meta.url)),
    "ukey.js": fileURLToPath(new URL("./static/ukey.js", import.meta.url)),
  }))
  // Before CSRF (which reads the body): each route's body is limited by its kind; a plain form is small.
  app.use("*", limitBodies(WEB_UPLOAD_ROUTES, BODY_KINDS.form, refuseHtml))
  // Payment providers post without session or CSRF token (signed notifications); the mock checkout imitates an outside site.
  app.route("/payments", paymentNotifyRoutes(deps))
  if (deps.devProfile) app.route("/mock-pay", mockCheckoutRoutes(deps, app))
  app.use("*", security(deps.security))
  app.use("*", evidenceClientVia(deps.clientAddress))
  app.use("*", async (c, next) => {
    const session = c.get("session")
    const user = session === null
      ? null
      // Only a user that no longer exists reads as logged out; a failed look-up (the database away) fails the request (503).
      : await deps.run(getProfile(session.subjectId as UserId).pipe(Effect.catchTag("NotFound", () => Effect.succeed(null))))
    c.set("user", user)
    // The header's 提醒 bell shows the unread count on every page (issue 17): counted once, when a page is drawn, not
    // for an answer without one (a signing act's redirect: issue 23).
    let unread: Promise<number> | undefined
    if (user !== null) c.set("unread", () => (unread ??= deps.run(unreadCount(user))))
    await next()
  })
  app.route("/", authRoutes(deps))
  app.route("/", homeRoutes(deps))
  app.route("/notifications", notificationRoutes(deps))
  app.route("/account/addresses", addressRoutes(deps))
  app.route("/account/signature", personalSignatureRoutes(deps))
  app.route("/account", accountRoutes(deps))
  app.route("/contracts/draft", draftRoutes(deps))
  app.route("/contracts", contractRoutes(deps))
  app.route("/archive", archiveRoutes(deps))
  app.route("/verification", verificationRoutes(deps))
  app.route("/evidence", evidenceRoutes(deps))
  app.route("/org", organizationRoutes(deps))
  app.route(ORG_PATH, organizationWorkspaceRoutes(deps))
  app.route(SEALS_PATH, sealRoutes(deps))
  app.route(API_KEYS_PATH, apiKeyRoutes(deps))
  app.route(WEBHOOKS_PATH, webhookRoutes(deps))
  app.route(SIGNATURES_PATH, signatureRoutes(deps))
  app.route(TEMPLATES_PATH, orgTemplateRoutes(deps))
  app.route(ORG_CONTRACTS_PATH, orgContractRoutes(deps))
  app.route(PLATFORM_PATH, platformRoutes(deps))
  app.route("/orders", orderRoutes(deps))
  if (deps.devProfile) app.route("/dev", devRoutes(deps))
  app.notFound(notFoundPage)
  return app
}
