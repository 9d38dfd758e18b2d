import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { WebhookRepository } from "../../core/ports/WebhookRepository.ts"
import { signedFetch, verifyWebhook } from "../../examples/api-client.ts"
import { createUser, logInAs } from "../../fixtures/boot.ts"
import { bootApi, demoEnterprise, eventually, otherEnterprise, webhookReceiver, type TestApp } from "./fixtures.ts"

let app: TestApp
beforeAll(async () => {
  app = await bootApi()
})
afterAll(() => app.close())

const fetchApp = (url: string, init: RequestInit) => Promise.resolve(app.web.request(url, init))

describe("企业工作台: API 密钥 and Webhooks pages (P4)", () => {
  it("the admin creates a key whose secret is shown once and signs API calls; revoking it refuses them", async () => {
    const { enterprise } = await demoEnterprise(app)
    const base = `/org/${enterprise.id}`
    const zhang = await logInAs(app, "13800000001", "Demo1234", `${base}/api-keys`)
    const created = await zhang.post(`${base}/api-keys`, { name: "ERP 系统" })
    const keyId = created.html.match(/ak_[0-9a-f]{24}/)?.[0]
    const secret = created.html.match(/sk_[0-9a-f]{64}/)?.[0]
    expect([created.status, keyId !== undefined, secret !== undefined]).toEqual([200, true, true])
    const creds = { baseUrl: "http://127.0.0.1:3000", keyId: keyId!, secret: secret! }
    expect((await signedFetch(creds, "GET", "/api/v1/contracts", { fetch: fetchApp })).status).toBe(200)
    // Shown once: the list names the key but never its secret again.
    const list = await zhang.get(`${base}/api-keys`)
    expect([list.html.includes(keyId!), list.html.includes(secret!)]).toEqual([true, false])
    expect((await zhang.post(`${base}/api-keys`, { name: " " })).status).toBe(422)

    const revoked = await zhang.post(`${base}/api-keys/${keyId}/revoke`, {})
    expect(revoked.location).toBe(`${base}/api-keys?done=revoked`)
    const refused = await signedFetch(creds, "GET", "/api/v1/contracts", { fetch: fetchApp })
    expect([refused.status, (await refused.json() as { code: string }).code]).toEqual([401, "invalid_key"])
  })

  it("someone else's enterprise, a non-member, and a missing CSRF token get nothing", async () => {
    const { enterprise } = await demoEnterprise(app)
    const other = await otherEnterprise(app)
    const stranger = await logInAs(app, other.admin.mobile, "Demo1234", `/org/${other.enterprise.id}/api-keys`)
    expect((await stranger.get(`/org/${enterprise.id}/api-keys`)).status).toBe(404)
    expect((await stranger.post(`/org/${enterprise.id}/api-keys`, { name: "偷偷" })).status).toBe(404)
    expect((await stranger.post(`/org/${enterprise.id}/webhooks`, { url: "https://evil.example/", events: "contract.signed" })).status).toBe(404)
    const nobody = await createUser(app, "13700008801", "路人甲")
    const outsider = await logInAs(app, nobody.mobile, "Demo1234", "/account")
    expect((await outsider.get(`/org/${enterprise.id}/webhooks`)).status).toBe(404)
    // A member who is not the admin (the dev seed makes 李四 an agent of the demo enterprise) sees the refusal and changes nothing.
    const li = await logInAs(app, "13800000002", "Demo1234", "/account")
    const member = await li.get(`/org/${enterprise.id}/api-keys`)
    expect([member.status, member.html.includes("只有企业管理员可以管理")]).toEqual([403, true])
    expect((await li.post(`/org/${enterprise.id}/api-keys`, { name: "经办人的密钥" })).status).toBe(403)
    const zhang = await logInAs(app, "13800000001", "Demo1234", `/org/${enterprise.id}/api-keys`)
    expect((await zhang.post(`/org/${enterprise.id}/api-keys`, { name: "无令牌", _csrf: "forged" })).status).toBe(403)
    const list = (await zhang.get(`/org/${enterprise.id}/api-keys`)).html
    expect([list.includes("无令牌"), list.includes("经办人的密钥"), list.includes("偷偷")]).toEqual([false, false, false])
  })

  it("registers a webhook (secret shown once), shows each delivery's attempts, and replays one", async () => {
    const { enterprise } = await demoEnterprise(app)
    const base = `/org/${enterprise.id}`
    const receiver = await webhookReceiver()
    try {
      const zhang = await logInAs(app, "13800000001", "Demo1234", `${base}/webhooks`)
      const bad = await zhang.post(`${base}/webhooks`, { url: "ftp://x", events: "contract.sent" })
      expect([bad.status, bad.html.includes("请填写以 http:// 或 https:// 开头的地址")]).toEqual([422, true])
      const created = await zhang.post(`${base}/webhooks`, { url: receiver.url, events: "contract.sent" })
      const secret = created.html.match(/whsec_[0-9a-f]{64}/)?.[0]
      const endpointId = created.html.match(new RegExp(`${base}/webhooks/(\\d{19})`))?.[1]
      expect([created.status, secret !== undefined, endpointId !== undefined]).toEqual([200, true, true])

      // An API key and a contract: its contract.sent event reaches the receiver, signed with that secret.
      const keyPage = await zhang.post(`${base}/api-keys`, { name: "webhook test" })
      const creds = { baseUrl: "http://127.0.0.1:3000", keyId: keyPage.html.match(/ak_[0-9a-f]{24}/)![0], secret: keyPage.html.match(/sk_[0-9a-f]{64}/)![0] }
      const sent = await signedFetch(creds, "POST", "/api/v1/contracts", {
        fetch: fetchApp,
        json: { name: "保密协议", deadline: new Date(Date.now() + 86400_000).toISOString(), parties: [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }], template: { id: "nda", values: { partyA: "甲公司", partyB: "李四", years: "2", place: "北京" } } },
      })
      expect(sent.status).toBe(201)
      const first = await eventually(() => receiver.received[0], "the contract.sent delivery")
      expect(verifyWebhook(secret!, first.headers["signet-signature"] as string, first.body)).toBe(true)
      const deliveryId = first.headers["signet-delivery"] as string
      await eventually(async () => (await zhang.get(`${base}/webhooks/${endpointId}`)).html.includes("已接收（1 次）") ? true : undefined, "the delivery page")

      const replayed = await zhang.post(`${base}/webhooks/${endpointId}/deliveries/${deliveryId}/replay`, {})
      expect(replayed.location).toBe(`${base}/webhooks/${endpointId}?done=replayed`)
      await eventually(() => receiver.received.length === 2 ? true : undefined, "the replayed delivery")
      expect(receiver.received[1]!.headers["signet-delivery"]).toBe(deliveryId)
      const attempts = await eventually(async () => {
        const a = await app.run(WebhookRepository.use((r) => r.attemptsOf(deliveryId)).pipe(Effect.orDie))
        return a.length === 2 && a.every((x) => x.statusCode !== null) ? a : undefined
      }, "the second attempt")
      expect(attempts.map((a) => a.statusCode)).toEqual([200, 200])

      const disabled = await zhang.post(`${base}/webhooks/${endpointId}/disable`, {})
      expect(disabled.location).toBe(`${base}/webhooks?done=disabled`)
      expect((await zhang.get(`${base}/webhooks`)).html).toContain("已停用")
    } finally {
      await receiver.close()
    }
  })
})
