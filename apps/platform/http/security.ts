import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { Context, MiddlewareHandler } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { Effect, Option } from "effect"
import { resolveSession } from "../../../core/accounts/sessions.ts"
import type { Session, SessionKind } from "../../../core/accounts/User.ts"
import type { Runner } from "./runner.ts"
import type { Crypto } from "../../../core/ports/Crypto.ts"
import type { SessionRepository } from "../../../core/ports/SessionRepository.ts"

export interface SecurityVariables {
  /** The live session of this app's kind, if the cookie holds one. */
  session: Session | null
  /** The raw session token (needed to end or keep the session). */
  sessionToken: string | null
  /** The token every form and htmx request of this page must send back. */
  csrfToken: string
}

export interface SecurityOptions {
  readonly kind: SessionKind
  /** Cookie names differ per app, so a user cookie is never sent as a staff one. */
  readonly cookieName: string
  readonly secret: string
  readonly secure: boolean
  readonly run: Runner<SessionRepository | Crypto>
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"])

const hmac = (secret: string, value: string) => createHmac("sha256", secret).update(value).digest("base64url")

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export const cookieOptions = (o: SecurityOptions, maxAgeSeconds?: number) => ({
  httpOnly: true,
  sameSite: "Lax" as const,
  secure: o.secure,
  path: "/",
  ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
})

/**
 * Sessions and CSRF for one app. The session cookie is HttpOnly + SameSite=Lax.
 * CSRF: a synchronizer token, HMAC(secret, per-session secret) when logged
 * in, HMAC(secret, anonymous cookie) before; every unsafe request must carry
 * it as `_csrf` (form) or `x-csrf-token` (header), and a cross-site Origin is refused.
 */
export const security = (o: SecurityOptions): MiddlewareHandler<{ Variables: SecurityVariables }> => async (c, next) => {
  const token = getCookie(c, o.cookieName) ?? null
  // A failed look-up (the database away) rejects: the cookie is kept and the request fails (503), nobody is logged out.
  const session = token === null ? null : Option.getOrNull(await o.run(resolveSession(o.kind, token)))
  if (token !== null && session === null) deleteCookie(c, o.cookieName, { path: "/" })
  let base = session?.csrfSecret
  if (base === undefined) {
    const anonName = `${o.cookieName}_anon`
    base = getCookie(c, anonName)
    if (base === undefined || !/^[A-Za-z0-9_-]{22,64}$/.test(base)) {
      base = randomBytes(18).toString("base64url")
      setCookie(c, anonName, base, cookieOptions(o))
    }
  }
  const csrfToken = hmac(o.secret, base)
  c.set("session", session)
  c.set("sessionToken", session === null ? null : token)
  c.set("csrfToken", csrfToken)

  if (UNSAFE.has(c.req.method)) {
    const origin = c.req.header("origin")
    // A malformed Origin is as foreign as another site's (it was a 500).
    if (origin !== undefined && origin !== "null" && hostOf(origin) !== new URL(c.req.url).host) {
      return c.text("跨站请求被拒绝", 403)
    }
    let sent = c.req.header("x-csrf-token")
    if (sent === undefined && (c.req.header("content-type") ?? "").match(/form/)) {
      const body = await c.req.parseBody().catch(() => null)
      if (body === null) return c.text("请求格式错误", 400)
      sent = typeof body._csrf === "string" ? body._csrf : undefined
    }
    if (sent === undefined || !same(sent, csrfToken)) return c.text("页面已过期，请刷新后重试（CSRF 校验失败）", 403)
  }
  await next()
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}

/** After log-in: the new session's cookie replaces the old one and the anonymous one. */
export const setSessionCookie = (c: Context, o: SecurityOptions, token: string, maxAgeSeconds: number) => {
  deleteCookie(c, `${o.cookieName}_anon`, { path: "/" })
  setCookie(c, o.cookieName, token, cookieOptions(o, maxAgeSeconds))
}

export const clearSessionCookie = (c: Context, o: SecurityOptions) => deleteCookie(c, o.cookieName, { path: "/" })
