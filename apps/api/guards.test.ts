/**
 * The partner API's management pages: who may use them (api.manage), which
 * webhook URLs they accept (SSRF guard), and the evidence every change leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Clock, Effect, Layer, Option } from "effect"
import { ApiRepository } from "../../core/ports/ApiRepository.ts"
import { WebhookDelivery } from "../../core/api/Api.ts"
import { createApiKey, revokeApiKey } from "../../core/api/apiKeys.ts"
import { deliverWebhook, registerEndpoint } from "../../core/api/webhooks.ts"
import { WebhookRepository } from "../../core/ports/WebhookRepository.ts"
import type { EventType } from "../../core/evidence/Event.ts"
import { RepositoryError } from "../../core/kernel/errors.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import { OutboundPolicy } from "../../core/net/outbound.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { logInAs } from "../../fixtures/boot.ts"
import { layerWebhookHttp } from "./webhookHttp.ts"
import { bootApi, demoEnterprise, eventually, otherEnterprise, userByMobile, webhookReceiver, type TestApp } from "./fixtures.ts"

let app: TestApp
beforeAll(async () => {
  app = await bootApi()
})
afterAll(() => app.close())

/** The enterprise's evidence events with their data and the committed actor's opening. */
const evidenceOf = async (enterpriseId: string) => {
  const events = await app.run(EvidenceStore.use((s) => s.eventsOf(`enterprise:${enterpriseId}`)).pipe(Effect.orDie))
  const openings = await app.run(EvidenceStore.use((s) => s.openingsOf(events.map((e) => e.id))).pipe(Effect.orDie))
  return events.map((e) => ({
    type: e.type as EventType,
    data: (JSON.parse(e.body) as { data: Record<string, unknown> }).data,
    actor: openings.find((o) => o.eventId === e.id && o.field === "actor")?.value,
  }))
}
const countOf = async (enterpriseId: string, type: EventType) => (await evidenceOf(enterpriseId)).filter((e) => e.type === type).length

describe("webhook URLs must be public (SSRF guard)", () => {
  it("each non-public class is refused with the reason next to the URL field, and nothing is stored", async () => {
    const other = await otherEnterprise(app)
    const base = `/org/${other.enterprise.id}`
    const admin = await logInAs(app, other.admin.mobile, "Demo1234", `${base}/webhooks`)
    for (const url of [
      "http://10.1.2.3/hook", "http://172.16.5.4/hook", "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data",
      "http://100.64.0.1/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://[::]/hook", "http://0.0.0.0/hook",
      "http://[::ffff:10.0.0.1]/hook", "http://[::ffff:127.0.0.1]:8080/hook",
    ]) {
      // (The dev profile allows loopback; ::ffff:127.0.0.1 is loopback too, so it is the one allowed in this list.)
      const r = await admin.post(`${base}/webhooks`, { url, events: "contract.sent" })
      if (url.includes("::ffff:127.0.0.1")) {
        expect([url, r.status]).toEqual([url, 200])
        continue
      }
      expect([url, r.status, r.html.includes("不能推送到本机、内网或保留地址")]).toEqual([url, 422, true])
      expect(r.html).toContain(`value="${url}"`) // the typed value is kept
    }
    const stored = await app.run(WebhookRepository.use((r) => r.listEndpoints(other.enterprise.id)).pipe(Effect.orDie))
    expect(stored.map((e) => e.url)).toEqual(["http://[::ffff:127.0.0.1]:8080/hook"])
    expect(await countOf(other.enterprise.id, "webhook.registered")).toBe(1)
  })

  it("a public address is allowed", async () => {
    const other = await otherEnterprise(app)
    const { endpoint } = await app.run(registerEndpoint(other.admin, other.enterprise.id, "https://93.184.216.34/hooks", ["contract.completed"]))
    expect(endpoint.url).toBe("https://93.184.216.34/hooks")
  })

  it("production rules: a name resolving to 127.0.0.1 (localhost) is refused at registration and nothing is stored", async () => {
    const other = await otherEnterprise(app)
    const production = (url: string) =>
      app.run(registerEndpoint(other.admin, other.enterprise.id, url, ["contract.sent"]).pipe(
        Effect.provideService(OutboundPolicy, { allowLoopback: false }),
        Effect.match({ onFailure: (e) => e._tag === "OutboundTargetRefused" ? `${e.reason} ${e.address}` : e._tag, onSuccess: () => "registered" }),
      ))
    expect(await production("https://localhost:8443/hooks")).toMatch(/^loopback (127\.0\.0\.1|::1)$/)
    expect(await production("https://127.0.0.1/hooks")).toBe("loopback 127.0.0.1")
    expect(await production("https://93.184.216.34/hooks")).toBe("registered")
    const stored = await app.run(WebhookRepository.use((r) => r.listEndpoints(other.enterprise.id)).pipe(Effect.orDie))
    expect(stored.map((e) => e.url)).toEqual(["https://93.184.216.34/hooks"])
  })
})

describe("delivery time: the receiver's address is checked again", () => {
  it("under production rules a host that now resolves to 127.0.0.1 is refused: one attempt recorded, the delivery given up, nothing sent", async () => {
    const other = await otherEnterprise(app)
    const receiver = await webhookReceiver()
    try {
      // Registered while it was allowed (the dev profile's rules), delivered under production's.
      const { endpoint } = await app.run(registerEndpoint(other.admin, other.enterprise.id, receiver.url.replace("127.0.0.1", "localhost"), ["contract.sent"]))
      const delivery = await app.run(Effect.gen(function*() {
        const ids = yield* IdGenerator
        const d = new WebhookDelivery({
          id: yield* ids.next, endpointId: endpoint.id, enterpriseId: other.enterprise.id, eventId: yield* ids.next, eventType: "contract.sent",
          contractId: yield* ids.next, payload: "{}", status: "pending", attempts: 0, createdAt: yield* Clock.currentTimeMillis, deliveredAt: null,
        })
        yield* (yield* WebhookRepository).insertDelivery(d)
        return d
      }).pipe(Effect.orDie))
      const production = layerWebhookHttp().pipe(Layer.provide(Layer.succeed(OutboundPolicy, { allowLoopback: false })))
      const outcome = await app.run(deliverWebhook(delivery.id, { lastAttempt: false }).pipe(
        Effect.provide(production),
        Effect.match({ onFailure: (e) => e._tag, onSuccess: () => "done" }),
      ))
      // Not a retryable failure: the job ends, the delivery is failed with the reason on its attempt.
      expect(outcome).toBe("done")
      const after = await app.run(WebhookRepository.use((r) => Effect.all([r.findDelivery(delivery.id), r.attemptsOf(delivery.id)])).pipe(Effect.orDie))
      expect(after[0].pipe(Option.map((d) => d.status))).toEqual(Option.some("failed"))
      expect(after[1].map((a) => [a.statusCode, /localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/.test(a.error ?? "")])).toEqual([[null, true]])
      expect(receiver.received.length).toBe(0)
    } finally {
      await receiver.close()
    }
  })
})

describe("api.manage: only the admin manages API keys and webhooks", () => {
  it("a member who is not the admin gets 403 on every page and action, and nothing changes", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const base = `/org/${enterprise.id}`
    const { key } = await app.run(createApiKey(admin, enterprise.id, "守卫测试"))
    const { endpoint } = await app.run(registerEndpoint(admin, enterprise.id, "https://93.184.216.34/guard", ["contract.sent"]))
    const keysBefore = await app.run(ApiRepository.use((r) => r.listKeys(enterprise.id)).pipe(Effect.orDie))
    const endpointsBefore = await app.run(WebhookRepository.use((r) => r.listEndpoints(enterprise.id)).pipe(Effect.orDie))
    const eventsBefore = (await evidenceOf(enterprise.id)).length

    // 李四 is an agent of the demo enterprise (dev seed).
    const li = await logInAs(app, "13800000002", "Demo1234", "/account")
    const home = await li.get(base)
    expect(home.html.includes(`${base}/api-keys`)).toBe(false) // no menu entry
    const answers = [
      await li.get(`${base}/api-keys`),
      await li.get(`${base}/webhooks`),
      await li.get(`${base}/webhooks/${endpoint.id}`),
      await li.post(`${base}/api-keys`, { name: "经办人的密钥" }),
      await li.post(`${base}/api-keys/${key.id}/revoke`, {}),
      await li.post(`${base}/webhooks`, { url: "https://93.184.216.34/agent", events: "contract.sent" }),
      await li.post(`${base}/webhooks/${endpoint.id}/disable`, {}),
      await li.post(`${base}/webhooks/${endpoint.id}/deliveries/1800000000000000001/replay`, {}),
    ]
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403])
    expect(await app.run(ApiRepository.use((r) => r.listKeys(enterprise.id)).pipe(Effect.orDie))).toEqual(keysBefore)
    expect(await app.run(WebhookRepository.use((r) => r.listEndpoints(enterprise.id)).pipe(Effect.orDie))).toEqual(endpointsBefore)
    expect((await evidenceOf(enterprise.id)).length).toBe(eventsBefore)
    // The use cases refuse too, whatever route calls them.
    const liUser = await userByMobile(app, "13800000002")
    expect(await app.run(Effect.match(revokeApiKey(liUser, enterprise.id, key.id), { onFailure: (e) => e._tag, onSuccess: () => "revoked" }))).toBe("NotEnterpriseAdmin")
    // The admin sees the menu entry and the page.
    const zhang = await logInAs(app, "13800000001", "Demo1234", `${base}/api-keys`)
    const page = await zhang.get(`${base}/api-keys`)
    expect([page.status, page.html.includes(`${base}/webhooks`)]).toEqual([200, true])
  })
})

describe("evidence: key and webhook changes are recorded with the acting member", () => {
  it("create and revoke a key, register and disable an endpoint, replay a delivery", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const base = `/org/${enterprise.id}`
    const zhang = await logInAs(app, "13800000001", "Demo1234", `${base}/api-keys`)
    const receiver = await webhookReceiver()
    try {
      const created = await zhang.post(`${base}/api-keys`, { name: "证据测试" })
      const keyId = created.html.match(/ak_[0-9a-f]{24}/)![0]
      expect((await zhang.post(`${base}/api-keys/${keyId}/revoke`, {})).status).toBe(303)
      const registered = await zhang.post(`${base}/webhooks`, { url: receiver.url, events: "contract.sent" })
      const endpointId = registered.html.match(new RegExp(`${base}/webhooks/(\\d{19})`))![1]!
      // A delivery as the contract event sink would store it, to replay from the page.
      const delivery = await app.run(Effect.gen(function*() {
        const ids = yield* IdGenerator
        const d = new WebhookDelivery({
          id: yield* ids.next, endpointId: endpointId as NumericId, enterpriseId: enterprise.id, eventId: yield* ids.next, eventType: "contract.sent",
          contractId: yield* ids.next, payload: "{}", status: "failed", attempts: 3, createdAt: 1_700_000_000_000, deliveredAt: null,
        })
        yield* (yield* WebhookRepository).insertDelivery(d)
        return d
      }).pipe(Effect.orDie))
      expect((await zhang.post(`${base}/webhooks/${endpointId}/deliveries/${delivery.id}/replay`, {})).status).toBe(303)
      await eventually(() => receiver.received.find((r) => r.headers["signet-delivery"] === delivery.id), "the replayed delivery")
      expect((await zhang.post(`${base}/webhooks/${endpointId}/disable`, {})).status).toBe(303)

      const events = await evidenceOf(enterprise.id)
      const mine = (type: EventType, key: string, value: string) => events.filter((e) => e.type === type && e.data[key] === value)
      for (const [type, key, value] of [
        ["apiKey.created", "key", keyId], ["apiKey.revoked", "key", keyId],
        ["webhook.registered", "endpoint", endpointId], ["webhook.replayed", "delivery", delivery.id], ["webhook.disabled", "endpoint", endpointId],
      ] as const) {
        const found = mine(type, key, value)
        expect([type, found.length, found[0]?.actor]).toEqual([type, 1, admin.id])
      }
      expect(mine("webhook.registered", "endpoint", endpointId)[0]!.data.url).toBe(receiver.url)
      // Disabling or revoking again changes nothing and records nothing.
      expect((await zhang.post(`${base}/webhooks/${endpointId}/disable`, {})).status).toBe(404)
      expect((await zhang.post(`${base}/api-keys/${keyId}/revoke`, {})).status).toBe(404)
      expect(mine("webhook.disabled", "endpoint", endpointId).length).toBe(1)
      expect((await evidenceOf(enterprise.id)).length).toBe(events.length)
    } finally {
      await receiver.close()
    }
  })

  it("a failed write leaves no event (and no key)", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const before = await evidenceOf(enterprise.id)
    const keysBefore = await app.run(ApiRepository.use((r) => r.listKeys(enterprise.id)).pipe(Effect.orDie))
    const failing = Effect.gen(function*() {
      const real = yield* ApiRepository
      return yield* createApiKey(admin, enterprise.id, "写入失败").pipe(
        Effect.provideService(ApiRepository, { ...real, insertKey: () => Effect.fail(new RepositoryError({ operation: "api.insertKey", cause: "disk full" })) }),
      )
    })
    expect(await app.run(Effect.match(failing, { onFailure: (e) => e._tag, onSuccess: () => "created" }))).toBe("RepositoryError")
    const failingEndpoint = Effect.gen(function*() {
      const real = yield* WebhookRepository
      return yield* registerEndpoint(admin, enterprise.id, "https://93.184.216.34/fail", ["contract.sent"]).pipe(
        Effect.provideService(WebhookRepository, { ...real, insertEndpoint: () => Effect.fail(new RepositoryError({ operation: "webhooks.insertEndpoint", cause: "disk full" })) }),
      )
    })
    expect(await app.run(Effect.match(failingEndpoint, { onFailure: (e) => e._tag, onSuccess: () => "registered" }))).toBe("RepositoryError")
    expect(await evidenceOf(enterprise.id)).toEqual(before)
    expect(await app.run(ApiRepository.use((r) => r.listKeys(enterprise.id)).pipe(Effect.orDie))).toEqual(keysBefore)
  })
})
