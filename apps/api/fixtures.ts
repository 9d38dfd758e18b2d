/**
 * Test helpers for the partner API: a booted app with a key for the demo
 * enterprise (张三's) and one for another enterprise, a local webhook
 * receiver, and polling for outcomes (never timing them).
 */
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { Clock, Effect, Option, Schema } from "effect"
import { createApiKey } from "../../core/api/apiKeys.ts"
import { registerEndpoint } from "../../core/api/webhooks.ts"
import type { WebhookEventType } from "../../core/api/Api.ts"
import { Enterprise, type EnterpriseId } from "../../core/organizations/Enterprise.ts"
import type { User } from "../../core/accounts/User.ts"
import { CreditCode } from "../../core/kernel/CreditCode.ts"
import { foundOrganization } from "../../core/organizations/foundOrganization.ts"
import { EnterpriseRepository } from "../../core/ports/EnterpriseRepository.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { UserRepository } from "../../core/ports/UserRepository.ts"
import { bootForTest, createUser, TEST_BOOT_OPTIONS } from "../../fixtures/boot.ts"
import { creditCode } from "../../fixtures/contracts/OrderRepository.contract.ts"
import type { Booted } from "../platform/boot.ts"
import { signedFetch, type Credentials } from "../../examples/api-client.ts"

export type TestApp = Awaited<ReturnType<typeof bootForTest>>

/** Boots the dev profile with short webhook backoff (20 ms doubling, 5 retries) so retries happen within a test. */
export const bootApi = (env: Record<string, string> = {}) =>
  bootForTest(env, { ...TEST_BOOT_OPTIONS, webhookRetry: { limit: 5, baseDelayMs: 20, maxDelayMs: 200 } })

export const userByMobile = (app: Booted, mobile: string) =>
  app.run(Effect.flatMap(UserRepository.use((r) => r.findByMobile(mobile)), (u) => Option.isSome(u) ? Effect.succeed(u.value) : Effect.die(`no user ${mobile}`)))

/** The demo enterprise 张三 administers. */
export const demoEnterprise = async (app: Booted) => {
  const zhang = await userByMobile(app, "13800000001")
  const [enterprise] = await app.run(EnterpriseRepository.use((r) => r.listAdministeredBy(zhang.id)))
  if (enterprise === undefined) throw new Error("the dev seed made no enterprise for 张三")
  return { admin: zhang, enterprise }
}

let serial = 0
/** Another approved enterprise with its own admin. */
export const otherEnterprise = async (app: Booted) => {
  serial += 1
  const admin = await createUser(app, `1370000${String(9000 + serial).padStart(4, "0")}`, "赵敏")
  const enterprise = await app.run(Effect.gen(function*() {
    const e = new Enterprise({
      id: (yield* (yield* IdGenerator).next) as string as EnterpriseId, name: `杭州其他科技有限公司${serial}`,
      creditCode: Schema.decodeSync(CreditCode)(creditCode(`9133010012345${String(6700 + serial)}`)),
      legalRepresentative: "赵敏", address: "杭州市西湖区", contactPhone: "0571-88888888", email: "ops@example.cn",
      adminUserId: admin.id, createdAt: yield* Clock.currentTimeMillis,
    })
    yield* EnterpriseRepository.use((r) => r.insert(e))
    yield* foundOrganization(e)
    return e
  }))
  return { admin, enterprise }
}

/** A key of the enterprise as API credentials, and a fetch that goes straight to the booted app. */
export const apiClient = async (app: Booted, admin: User, enterpriseId: EnterpriseId) => {
  const { key, secret } = await app.run(createApiKey(admin, enterpriseId, "ERP"))
  const creds: Credentials = { baseUrl: "http://127.0.0.1:3000", keyId: key.id, secret }
  const fetch = (url: string, init: RequestInit) => Promise.resolve(app.web.request(url, init))
  return {
    key, creds, fetch,
    get: (target: string) => signedFetch(creds, "GET", target, { fetch }),
    post: (target: string, options: { json?: unknown; form?: FormData; idempotencyKey?: string } = {}) => signedFetch(creds, "POST", target, { ...options, fetch }),
  }
}

export interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly answered: number
}

/** A local HTTP server standing in for an enterprise's webhook receiver; `answers` are the statuses it gives, in order (then 200). */
export const webhookReceiver = async (answers: ReadonlyArray<number> = []) => {
  const received: Array<Received> = []
  const queue = [...answers]
  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const answered = queue.shift() ?? 200
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answered })
      res.writeHead(answered).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/hooks`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

export const registerWebhook = (app: Booted, admin: User, enterpriseId: EnterpriseId, url: string, events: ReadonlyArray<WebhookEventType>) =>
  app.run(registerEndpoint(admin, enterpriseId, url, events))

/** Polls `check` until it returns a value (not undefined), up to `maxMs`; then throws (the outcome never came). */
export const eventually = async <A>(check: () => Promise<A | undefined> | A | undefined, what: string, maxMs = 20_000): Promise<A> => {
  const until = Date.now() + maxMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
