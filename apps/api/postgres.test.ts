import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { replayDelivery } from "../../core/api/webhooks.ts"
import { WebhookRepository } from "../../core/ports/WebhookRepository.ts"
import type { NumericId } from "../../core/kernel/Ids.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { bootForTest } from "../../fixtures/boot.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { apiClient, demoEnterprise, eventually, registerWebhook, webhookReceiver, type TestApp } from "./fixtures.ts"

/**
 * The app on Postgres: jobs go through pg-boss (enqueued in the contract
 * write's transaction), and a webhook that failed once is retried by pg-boss
 * (whole-second backoff) and acknowledged. A throwaway database, since
 * pg-boss keeps its own schema.
 */
const url = postgresUrl("partner API on Postgres")
describe.skipIf(url === null)("partner API on Postgres (pg-boss)", () => {
  const database = `signet_api_${randomBytes(5).toString("hex")}`
  const psql = (sql: string) => execFileSync("psql", [url!, "-tAc", sql], { stdio: "pipe" })
  let app: TestApp
  beforeAll(async () => {
    psql(`create database ${database}`)
    app = await bootForTest({ DATABASE_URL: url!.replace(/\/[^/?]+(\?|$)/, `/${database}$1`) }, {
      perClientPerMinute: { login: 1000, sms: 1000 }, expirySweep: true, webhookRetry: { limit: 3, baseDelayMs: 1000, maxDelayMs: 2000 },
    })
  })
  afterAll(async () => {
    await app?.close()
    psql(`drop database if exists ${database} with (force)`)
  })

  it("a contract created through the API sends its webhook through pg-boss; one failure, then acknowledged; a replay sends it again", async () => {
    const receiver = await webhookReceiver([500])
    try {
      const { admin, enterprise } = await demoEnterprise(app)
      const api = await apiClient(app, admin, enterprise.id)
      await registerWebhook(app, admin, enterprise.id, receiver.url, ["contract.sent"])
      const created = await api.post("/api/v1/contracts", { json: {
        name: "保密协议", deadline: new Date(Date.now() + 86400_000).toISOString(), parties: [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }],
        template: { id: "nda", values: { partyA: "甲公司", partyB: "李四", years: "1", place: "北京" } },
      } })
      expect(created.status).toBe(201)
      await eventually(() => receiver.received.some((r) => r.answered === 200) ? true : undefined, "the acknowledged delivery", 45_000)
      const id = receiver.received[0]!.headers["signet-delivery"] as string
      // The sender records an attempt's answer after the receiver has answered: wait for the second's.
      const attempts = await eventually(async () => {
        const a = await app.run(WebhookRepository.use((r) => r.attemptsOf(id)).pipe(Effect.orDie))
        return a.length >= 2 && a.every((x) => x.statusCode !== null) ? a : undefined
      }, "the acknowledged attempt's record", 45_000)
      expect(attempts.map((a) => a.statusCode)).toEqual([500, 200])

      // A replay: queued through pg-boss in the transaction that records its evidence event.
      await app.run(replayDelivery(admin, enterprise.id, id as NumericId))
      await eventually(() => receiver.received.filter((r) => r.headers["signet-delivery"] === id).length === 3 ? true : undefined, "the replayed delivery", 45_000)
      const events = await app.run(EvidenceStore.use((s) => s.eventsOf(`enterprise:${enterprise.id}`)).pipe(Effect.orDie))
      expect(events.filter((e) => e.type === "webhook.replayed" && e.body.includes(id)).length).toBe(1)
    } finally {
      await receiver.close()
    }
  }, 60_000)
})
