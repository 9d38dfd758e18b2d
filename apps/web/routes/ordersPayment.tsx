import { Hono } from "hono"
import { Effect } from "effect"
import { MockCheckout, mockCheckoutApp } from "../../../adapters/payment-mock/index.ts"
import { handlePaymentNotification } from "../../../core/orders/payOrder.ts"
import type { WebDeps } from "../context.tsx"
import { attempt } from "./verificationFiles.ts"
import { log } from "../../../adapters/observability/index.ts"

interface Requestable {
  request: (input: string, init?: RequestInit) => Response | Promise<Response>
}

/**
 * O6: the payment provider's asynchronous notification. Mounted before the
 * CSRF middleware (the provider has no session and no token): what makes it
 * trustworthy is the provider's signature, checked with the order number and
 * the exact amount by the use case; a repeated notification changes nothing.
 * The answer is the plain "success" / "fail" providers expect (a "fail" makes
 * them retry later).
 */
export const paymentNotifyRoutes = (deps: WebDeps) => {
  const app = new Hono()
  app.post("/notify", async (c) => {
    const body = await c.req.parseBody()
    const params = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"))
    const r = await attempt(deps.exit, handlePaymentNotification(params))
    if (r.ok) return c.text("success")
    // Logged without the parameters (they carry the provider's signature and the buyer's trade).
    log("warn", "payment notification refused", { reason: r.error._tag })
    return c.text("fail", r.error._tag === "PaymentNotificationRejected" ? 400 : 409)
  })
  return app
}

/**
 * DEVELOPMENT ONLY: the mock provider's checkout pages (they imitate an
 * outside site, so they too sit before the CSRF middleware). Its signed
 * notifications are posted to the portal's notify route in-process, by path,
 * so they arrive whatever address the portal is served on.
 */
export const mockCheckoutRoutes = (deps: WebDeps, portal: Requestable) => {
  let inner: Promise<Hono | null> | undefined
  const checkout = () =>
    (inner ??= deps.run(MockCheckout.use((m) => Effect.succeed(m.provider))).then((provider) =>
      provider === null ? null : new Hono().route("/mock-pay", mockCheckoutApp(provider, {
        deliver: async (url, params) => {
          const res = await portal.request(new URL(url).pathname, { method: "POST", body: new URLSearchParams(params) })
          await res.text()
        },
      }))))
  const app = new Hono()
  app.all("/*", async (c) => {
    const handler = await checkout()
    return handler === null ? c.notFound() : handler.fetch(c.req.raw)
  })
  return app
}
