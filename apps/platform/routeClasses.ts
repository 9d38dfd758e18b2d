/**
 * Every route of every app and who may call it: the one table the route
 * inventory test (apps/routes.test.ts) holds the routers to. A route missing
 * here, or listed here but gone, fails that test; each class gets a matrix of
 * wrong callers (anonymous, the wrong role, another tenant) that must get
 * 401/403/404 and change nothing, on SQLite and on Postgres.
 *
 * Keys are "<app> <METHOD> <path>" exactly as Hono lists them (`app.routes`).
 * The partner API (apps/api) is mounted in the portal at /api/v1, so its
 * routes appear under "web"; middleware appears as ALL.
 */
import type { Role } from "../../core/organizations/permissions.ts"

export type RouteClass =
  /** Anyone, no session: `why` says what guards it instead (a signature, a code, nothing to guard). */
  | { readonly kind: "public"; readonly why: string }
  /** A middleware (method ALL), not a handler of its own. */
  | { readonly kind: "middleware" }
  /** A logged-in portal user, on their own things only. */
  | { readonly kind: "user" }
  /** A member of the enterprise in the path holding one of `roles` ("member": any active member). */
  | { readonly kind: "enterprise"; readonly roles: "member" | ReadonlyArray<Role> }
  /** A logged-in staff member (admin app). */
  | { readonly kind: "staff" }
  /** A request signed with an enterprise's API key, on that enterprise's contracts only. */
  | { readonly kind: "apiKey" }

const pub = (why: string): RouteClass => ({ kind: "public", why })
const mw: RouteClass = { kind: "middleware" }
const user: RouteClass = { kind: "user" }
const staff: RouteClass = { kind: "staff" }
const apiKey: RouteClass = { kind: "apiKey" }
const member: RouteClass = { kind: "enterprise", roles: "member" }
const roles = (...r: ReadonlyArray<Role>): RouteClass => ({ kind: "enterprise", roles: r })

const ORG = "/org/:enterpriseId{[1-9][0-9]{18}}"
const ORDER = "/orders/:id{[1-9][0-9]{18}}"

export const routeClasses: Readonly<Record<string, RouteClass>> = {
  // Partner API (apps/api, mounted at /api/v1).
  "web ALL /api/v1/*": mw,
  "web GET /api/v1/openapi.json": pub("the API's description"),
  "web GET /api/v1/docs": pub("the API's documentation"),
  "web POST /api/v1/contracts": apiKey,
  "web GET /api/v1/contracts": apiKey,
  "web GET /api/v1/contracts/:id": apiKey,
  "web GET /api/v1/contracts/:id/document": apiKey,
  "web GET /api/v1/contracts/:id/evidence": apiKey,
  "web POST /api/v1/contracts/:id/revoke": apiKey,
  "web POST /api/v1/contracts/:id/remind": apiKey,
  // Signing as the key's enterprise (issue 20): only on contracts it is a party of.
  "web POST /api/v1/contracts/:id/signatures:prepare": apiKey,
  "web POST /api/v1/contracts/:id/signatures:complete": apiKey,
  "web POST /api/v1/contracts/:id/signatures:auto": apiKey,

  // Portal: before sessions.
  "web ALL /evidence/log/*": mw,
  "web POST /evidence/log/witness": pub("signed by a configured witness key"),
  "web GET /static/:name": pub("stylesheets and scripts"),
  "web ALL /*": mw,
  "web ALL /verification/*": mw,
  "web POST /payments/notify": pub("signed by the payment provider"),
  "web ALL /mock-pay/*": pub("dev profile only: the mock payment provider's checkout"),

  // Portal: accounts.
  "web GET /register": pub("sign-up"),
  "web POST /register/code": pub("sign-up (SMS limits per number and client)"),
  "web POST /register": pub("sign-up (needs the texted code)"),
  "web GET /welcome": pub("after sign-up"),
  "web GET /healthz": pub("operations: the process answers (no data)"),
  "web GET /readyz": pub("operations: database, jobs and key store reachable (no data)"),
  "web GET /metrics": pub("operations: Prometheus counters (no personal data; block at the proxy in production)"),
  "admin GET /healthz": pub("operations: the process answers (no data)"),
  "admin GET /readyz": pub("operations: database, jobs and key store reachable (no data)"),
  "admin GET /metrics": pub("operations: Prometheus counters (no personal data; block at the proxy in production)"),
  "web GET /login": pub("log-in"),
  "web POST /login": pub("log-in"),
  "web GET /login/unlock": pub("解锁账户: lifts a log-in lock with a code texted to the account's number"),
  "web POST /login/unlock/code": pub("解锁账户: texts an unlock code (per-number and per-address limits)"),
  "web POST /login/unlock": pub("解锁账户: the code confirms the unlock; the password is still needed to log in"),
  "web POST /logout": pub("ends the caller's own session, if any"),
  "web GET /": user,
  "web ALL /account/addresses/*": mw,
  "web GET /account/addresses": user,
  "web POST /account/addresses": user,
  "web GET /account/addresses/:id/edit": user,
  "web POST /account/addresses/:id": user,
  "web POST /account/addresses/:id/delete": user,
  "web POST /account/addresses/:id/default": user,
  "web ALL /account/signature/*": mw,
  "web GET /account/signature": user,
  "web POST /account/signature": user,
  "web POST /account/signature/stamp": user,
  "web POST /account/signature/delete": user,
  "web GET /account/signature/image.png": user,
  "web ALL /account/*": mw,
  "web GET /account": user,
  "web POST /account/profile": user,
  "web GET /account/password": user,
  "web POST /account/password": user,

  // Portal: 提醒, the notification centre (a user's own notices only).
  "web ALL /notifications/*": mw,
  "web GET /notifications": user,
  "web POST /notifications/read": user,
  "web POST /notifications/:id/open": user,

  // Portal: contracts and archive.
  "web ALL /contracts/draft/*": mw,
  "web GET /contracts/draft": user,
  "web GET /contracts/draft/:template": user,
  "web POST /contracts/draft/:template": user,
  "web ALL /contracts/*": mw,
  "web GET /contracts": user,
  "web GET /contracts/new": user,
  "web POST /contracts": user,
  "web GET /contracts/:id/edit": user,
  "web POST /contracts/:id/edit": user,
  "web POST /contracts/:id/delete": user,
  "web GET /contracts/:id": user,
  "web GET /contracts/:id/document": user,
  "web POST /contracts/:id/code": user,
  "web POST /contracts/:id/sign": user,
  // 使用 USB-Key 签署 (issue 20): the party's own signature, prepared and completed for the certificate on their token.
  "web POST /contracts/:id/ukey/prepare": user,
  "web POST /contracts/:id/ukey/complete": user,
  "web POST /contracts/:id/reject": user,
  "web POST /contracts/:id/revoke": user,
  "web POST /contracts/:id/remind/:party": user,
  "web ALL /archive/*": mw,
  "web GET /archive": user,
  "web POST /archive/folders": user,
  "web POST /archive/folders/:id/delete": user,
  "web POST /archive/move": user,
  "web POST /archive/delete": user,
  "web POST /archive/uploads": user,
  "web GET /archive/uploads/:id": user,
  "web GET /archive/uploads/:id/document": user,

  // Portal: verification.
  "web GET /verification": user,
  "web GET /verification/personal": user,
  "web POST /verification/personal/photo": user,
  "web POST /verification/personal/code": user,
  "web POST /verification/personal": user,
  "web GET /verification/personal/done": user,
  "web GET /verification/files/:id": user,
  "web ALL /verification/enterprise/*": mw,
  "web GET /verification/enterprise": user,
  "web GET /verification/enterprise/new": user,
  "web GET /verification/enterprise/info": user,
  "web GET /verification/enterprise/letter": user,
  "web POST /verification/enterprise/licence": user,
  "web POST /verification/enterprise/info": user,
  "web GET /verification/enterprise/:id/letter.pdf": user,
  "web POST /verification/enterprise/:id/letter": user,
  "web POST /verification/enterprise/:id/submit": user,

  // Portal: evidence.
  "web GET /evidence/key": pub("the log's public key"),
  "web GET /evidence/checkpoint/:size?": pub("signed checkpoints are public"),
  "web GET /evidence/proof/inclusion": pub("proofs carry hashes only"),
  "web GET /evidence/proof/consistency": pub("proofs carry hashes only"),
  "web GET /evidence/verify": pub("the public verifier"),
  "web POST /evidence/verify": pub("the public verifier (checks an uploaded file, stores nothing)"),
  "web GET /evidence/report/:code": pub("the 80-bit verification code printed on the report"),
  "web GET /evidence/contract/:id/bundle": user,
  "web GET /evidence/contract/:id/report": user,
  "web GET /evidence/mine": user,

  // Portal: enterprises (E1-E7, P1-P4); the guard answers non-members 404.
  "web ALL /org/*": mw,
  "web GET /org": user,
  "web POST /org/invitations/:id/:answer{accept|decline}": user,
  "web GET /org/handovers/:id": user,
  "web POST /org/handovers/:id/accept": user,
  [`web ALL ${ORG}/*`]: mw,
  [`web GET ${ORG}`]: member,
  [`web GET ${ORG}/members`]: member,
  [`web POST ${ORG}/members/invite`]: roles("admin", "branchAdmin"),
  [`web GET ${ORG}/members/:userId/edit`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/members/:userId/edit`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/members/:userId/deactivate`]: roles("admin", "branchAdmin"),
  [`web GET ${ORG}/signatories`]: member,
  [`web POST ${ORG}/signatories/invite`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/invitations/:id/withdraw`]: roles("admin", "branchAdmin"),
  [`web GET ${ORG}/branches`]: member,
  [`web POST ${ORG}/branches`]: roles("admin"),
  // Issue 16 finding 2: agents may appoint today (self-escalation); the rule being written makes it the admin's.
  [`web POST ${ORG}/branches/admins`]: roles("admin"),
  [`web GET ${ORG}/contracts/:contractId/handover`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/contracts/:contractId/handover`]: roles("admin", "branchAdmin"),
  [`web GET ${ORG}/handover`]: roles("admin"),
  [`web POST ${ORG}/handover/code`]: roles("admin"),
  [`web POST ${ORG}/handover`]: roles("admin"),
  [`web POST ${ORG}/handover/cancel`]: roles("admin"),
  [`web ALL ${ORG}/seals/*`]: mw,
  [`web GET ${ORG}/seals`]: member,
  [`web POST ${ORG}/seals`]: roles("admin", "branchAdmin"),
  [`web GET ${ORG}/seals/:sealId/image.png`]: member,
  [`web GET ${ORG}/seals/:sealId`]: member,
  // 自动签署授权 (issue 20): the enterprise's admin alone sets and revokes it.
  [`web GET ${ORG}/seals/auto-sign`]: member,
  [`web POST ${ORG}/seals/auto-sign/code`]: roles("admin"),
  [`web POST ${ORG}/seals/auto-sign`]: roles("admin"),
  [`web POST ${ORG}/seals/auto-sign/:authorizationId/revoke`]: roles("admin"),
  [`web POST ${ORG}/seals/:sealId/enable`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/seals/:sealId/disable`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/seals/:sealId/grants`]: roles("admin", "branchAdmin"),
  [`web POST ${ORG}/seals/:sealId/grants/:userId/revoke`]: roles("admin", "branchAdmin"),
  [`web ALL ${ORG}/api-keys/*`]: mw,
  [`web GET ${ORG}/api-keys`]: roles("admin"),
  [`web POST ${ORG}/api-keys`]: roles("admin"),
  [`web POST ${ORG}/api-keys/:keyId/revoke`]: roles("admin"),
  [`web ALL ${ORG}/webhooks/*`]: mw,
  [`web GET ${ORG}/webhooks`]: roles("admin"),
  [`web POST ${ORG}/webhooks`]: roles("admin"),
  [`web POST ${ORG}/webhooks/:endpointId/disable`]: roles("admin"),
  [`web GET ${ORG}/webhooks/:endpointId`]: roles("admin"),
  [`web POST ${ORG}/webhooks/:endpointId/deliveries/:deliveryId/replay`]: roles("admin"),
  // 合同模板 (issue 17): members who may initiate use the templates; the admin keeps them, and agents the admin gave
  // 管理模板 (an agent permission, off by default; the matrix's agent has none).
  [`web ALL ${ORG}/templates/*`]: mw,
  [`web GET ${ORG}/templates`]: roles("admin", "branchAdmin", "agent", "signatory"),
  [`web POST ${ORG}/templates`]: roles("admin"),
  [`web GET ${ORG}/templates/:templateId/edit`]: roles("admin"),
  [`web POST ${ORG}/templates/:templateId/edit`]: roles("admin"),
  [`web POST ${ORG}/templates/:templateId/delete`]: roles("admin"),
  [`web GET ${ORG}/templates/:templateId/document`]: roles("admin", "branchAdmin", "agent", "signatory"),
  [`web GET ${ORG}/templates/:templateId/new`]: roles("admin", "branchAdmin", "agent", "signatory"),
  [`web POST ${ORG}/templates/:templateId/new`]: roles("admin", "branchAdmin", "agent", "signatory"),
  [`web ALL ${ORG}/signatures/*`]: mw,
  // Everyone sees the page: a signatory their signatures, an agent the signatures delegated to them.
  [`web GET ${ORG}/signatures`]: member,
  [`web POST ${ORG}/signatures`]: roles("signatory"),
  [`web POST ${ORG}/signatures/delete`]: roles("signatory"),
  [`web GET ${ORG}/signatures/image.png`]: roles("signatory"),
  [`web POST ${ORG}/signatures/delegations`]: roles("signatory"),
  [`web POST ${ORG}/signatures/delegations/:delegationId/revoke`]: roles("signatory"),
  [`web ALL ${ORG}/contracts/*`]: mw,
  [`web GET ${ORG}/contracts`]: member,
  [`web ALL ${ORG}/platform/*`]: mw,
  // P1: any member sees the platform's contracts; whoever may initiate for a branch creates one (agents and signatories included).
  [`web GET ${ORG}/platform`]: member,
  [`web GET ${ORG}/platform/new`]: member,
  [`web POST ${ORG}/platform`]: member,

  // Portal: orders (O1-O8).
  "web ALL /orders/*": mw,
  "web GET /orders": user,
  "web GET /orders/shop": user,
  "web GET /orders/samples/:file{[A-Za-z]+\\.pdf}": user,
  "web GET /orders/pay/return": user,
  "web GET /orders/apply": user,
  "web POST /orders/apply": user,
  "web POST /orders/apply/back": user,
  "web POST /orders/confirm/address": user,
  "web POST /orders": user,
  [`web GET ${ORDER}`]: user,
  [`web GET ${ORDER}/samples/:file{[A-Za-z]+\\.pdf}`]: user,
  [`web GET ${ORDER}/pay`]: user,
  [`web POST ${ORDER}/pay`]: user,
  [`web POST ${ORDER}/payment-status`]: user,
  [`web POST ${ORDER}/cancel`]: user,
  [`web POST ${ORDER}/receipt`]: user,
  [`web GET ${ORDER}/invoice.pdf`]: user,
  [`web GET ${ORDER}/certificate.cer`]: user,
  [`web GET ${ORDER}/edit`]: user,
  [`web POST ${ORDER}/edit`]: user,

  // Portal, dev profile only.
  "web GET /dev/outbox": pub("dev profile only: the SMS outbox"),
  "web GET /dev/mail": pub("dev profile only: the mail outbox"),

  // Admin app (X1-X4).
  "admin GET /static/:name": pub("stylesheets"),
  "admin ALL /*": mw,
  "admin GET /login": pub("staff log-in"),
  "admin POST /login": pub("staff log-in (locked per account and client)"),
  "admin POST /logout": pub("ends the caller's own session, if any"),
  "admin GET /account/totp": staff,
  "admin POST /account/totp": staff,
  "admin GET /": staff,
  "admin GET /verifications": staff,
  "admin GET /verifications/:id": staff,
  "admin GET /verifications/:id/files/:uploadId": staff,
  "admin POST /verifications/:id/approve": staff,
  "admin POST /verifications/:id/reject": staff,
  "admin GET /evidence": staff,
  "admin GET /orders": staff,
  "admin GET /orders/lookup": staff,
  "admin GET /orders/search": staff,
  "admin GET /orders/invoices": staff,
  [`admin GET ${ORDER}/invoice.pdf`]: staff,
  [`admin POST ${ORDER}/invoice/issue`]: staff,
  [`admin POST ${ORDER}/invoice/resend`]: staff,
  [`admin POST ${ORDER}/invoice/mail`]: staff,
  [`admin POST ${ORDER}/invoice/void`]: staff,
  [`admin GET ${ORDER}`]: staff,
  [`admin GET ${ORDER}/files/:uploadId`]: staff,
  [`admin GET ${ORDER}/ocr/:slot`]: staff,
  [`admin POST ${ORDER}/approve`]: staff,
  [`admin POST ${ORDER}/reject`]: staff,
  [`admin POST ${ORDER}/make-key`]: staff,
  [`admin POST ${ORDER}/ship`]: staff,
  [`admin POST ${ORDER}/notify-pickup`]: staff,
  [`admin POST ${ORDER}/confirm-pickup`]: staff,
  [`admin POST ${ORDER}/complete`]: staff,
  [`admin POST ${ORDER}/refund`]: staff,
  [`admin POST ${ORDER}/retry-refund`]: staff,
  [`admin POST ${ORDER}/offline-refund`]: staff,
}
