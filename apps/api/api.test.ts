import { createHash } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Schema } from "effect"
import { PDFDocument } from "pdf-lib"
import { ApiRepository } from "../../core/ports/ApiRepository.ts"
import { TemplateRepository } from "../../core/ports/TemplateRepository.ts"
import { fingerprintText, IDEMPOTENCY_LEASE_MS } from "../../core/api/idempotency.ts"
import { ContractResource } from "../../core/api/resources.ts"
import { WebhookRepository } from "../../core/ports/WebhookRepository.ts"
import { SENDING } from "../../core/api/webhooks.ts"
import { Bundle } from "../../core/evidence/Bundle.ts"
import { authorization, verifyWebhook } from "../../examples/api-client.ts"
import { logInAs, lastCode } from "../../fixtures/boot.ts"
import { demoContractPdf } from "../platform/demoPdf.ts"
import { apiClient, bootApi, demoEnterprise, eventually, otherEnterprise, registerWebhook, webhookReceiver, type TestApp } from "./fixtures.ts"

let app: TestApp
let receiver: Awaited<ReturnType<typeof webhookReceiver>>
beforeAll(async () => {
  app = await bootApi()
  receiver = await webhookReceiver()
})
afterAll(async () => {
  await receiver.close()
  await app.close()
})

const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString()
const decodeContract = Schema.decodeUnknownSync(ContractResource)

const uploadForm = async (parties: ReadonlyArray<{ name: string; mobile: string }>, name = "Service agreement") => {
  const form = new FormData()
  form.set("contract", JSON.stringify({ name, deadline: inAWeek(), parties }))
  form.set("document", new Blob([new Uint8Array(await demoContractPdf("Service agreement", 1))], { type: "application/pdf" }), "contract.pdf")
  return form
}

const problemOf = async (r: Response) => ({ status: r.status, type: r.headers.get("content-type"), code: (await r.json() as { code: string }).code })

const signInPortal = async (id: string, mobile: string) => {
  const b = await logInAs(app, mobile, "Demo1234", `/contracts/${id}`)
  await b.post(`/contracts/${id}/code`, {}, { "hx-request": "true" })
  return b.post(`/contracts/${id}/sign`, { code: await lastCode(app, mobile) })
}

describe("partner API /api/v1 (P4)", () => {
  it("create by upload → 李四 signs in the portal → completed, seen through the API and through signed webhooks", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const hook = await registerWebhook(app, admin, enterprise.id, receiver.url, ["contract.sent", "contract.signed", "contract.completed"])

    const created = await api.post("/api/v1/contracts", { form: await uploadForm([{ name: "李四", mobile: "13800000002" }]) })
    expect(created.status).toBe(201)
    const contract = decodeContract(await created.json())
    expect([contract.status, contract.parties.map((p) => p.status)]).toEqual(["inProgress", ["waiting"]])

    expect((await signInPortal(contract.id, "13800000002")).status).toBe(303)

    const status = decodeContract(await (await api.get(`/api/v1/contracts/${contract.id}`)).json())
    expect([status.status, status.parties.map((p) => p.status), status.documentVersion]).toEqual(["completed", ["signed"], 1])
    const pdf = await api.get(`/api/v1/contracts/${contract.id}/document`)
    expect([pdf.status, pdf.headers.get("content-type"), new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))]).toEqual([200, "application/pdf", "%PDF-"])
    const bundle = Schema.decodeUnknownSync(Bundle)(await (await api.get(`/api/v1/contracts/${contract.id}/evidence`)).json())
    expect(bundle.subject).toBe(`contract:${contract.id}`)

    const mine = () => receiver.received.filter((r) => JSON.parse(r.body).data.contract.id === contract.id)
    await eventually(() => mine().some((r) => r.headers["signet-event"] === "contract.completed") ? true : undefined, "the contract.completed webhook")
    const events = mine().map((r) => ({ type: JSON.parse(r.body).type, verified: verifyWebhook(hook.secret, r.headers["signet-signature"] as string, r.body) }))
    expect(events).toEqual([
      { type: "contract.sent", verified: true },
      { type: "contract.signed", verified: true },
      { type: "contract.completed", verified: true },
    ])
    // The same bodies do not verify under another secret.
    expect(verifyWebhook(`${hook.secret}x`, mine()[0]!.headers["signet-signature"] as string, mine()[0]!.body)).toBe(false)
    expect(JSON.parse(mine()[2]!.body).data.contract.status).toBe("completed")
  })

  it("a bad signature, an old timestamp, a replayed nonce, another enterprise's contract and a malformed body get their problem and change nothing", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const other = await otherEnterprise(app)
    const theirs = await apiClient(app, other.admin, other.enterprise.id)
    const mine = decodeContract(await (await api.post("/api/v1/contracts", { form: await uploadForm([{ name: "李四", mobile: "13800000002" }]) })).json())
    const total = async () => ((await (await api.get("/api/v1/contracts?pageSize=1")).json()) as { total: number }).total
    const before = await total()

    const json = { name: "x", deadline: inAWeek(), parties: [{ name: "李四", mobile: "13800000002" }], template: { id: "nda", values: {} } }
    const body = new TextEncoder().encode(JSON.stringify(json))
    const send = (auth: string, b: Uint8Array<ArrayBuffer> = body) =>
      app.web.request("/api/v1/contracts", { method: "POST", headers: { "content-type": "application/json", authorization: auth }, body: b })

    const badSecret = await send(authorization({ ...api.creds, secret: `${api.creds.secret}0` }, "POST", "/api/v1/contracts", body))
    expect(await problemOf(badSecret)).toEqual({ status: 401, type: "application/problem+json; charset=utf-8", code: "invalid_signature" })
    const tampered = await send(authorization(api.creds, "POST", "/api/v1/contracts", body), new TextEncoder().encode(JSON.stringify({ ...json, name: "y" })))
    expect((await problemOf(tampered)).code).toBe("invalid_signature")
    const old = await send(authorization(api.creds, "POST", "/api/v1/contracts", body, Math.floor(Date.now() / 1000) - 301))
    expect(await problemOf(old)).toEqual({ status: 401, type: "application/problem+json; charset=utf-8", code: "timestamp_out_of_window" })
    expect((await problemOf(await app.web.request("/api/v1/contracts", { method: "POST", body }))).code).toBe("unauthenticated")

    // The same signed request twice: the second is a replay.
    const remind = new TextEncoder().encode("{}")
    const signed = authorization(api.creds, "POST", `/api/v1/contracts/${mine.id}/remind`, remind)
    const first = await app.web.request(`/api/v1/contracts/${mine.id}/remind`, { method: "POST", headers: { "content-type": "application/json", authorization: signed }, body: remind })
    expect(first.status).toBe(200)
    const replay = await app.web.request(`/api/v1/contracts/${mine.id}/remind`, { method: "POST", headers: { "content-type": "application/json", authorization: signed }, body: remind })
    expect(await problemOf(replay)).toEqual({ status: 401, type: "application/problem+json; charset=utf-8", code: "nonce_replayed" })

    // Another enterprise's key: the contract does not exist for it, and it cannot revoke it.
    for (const r of [await theirs.get(`/api/v1/contracts/${mine.id}`), await theirs.get(`/api/v1/contracts/${mine.id}/document`), await theirs.post(`/api/v1/contracts/${mine.id}/revoke`)]) {
      expect(await problemOf(r)).toEqual({ status: 404, type: "application/problem+json; charset=utf-8", code: "not_found" })
    }
    expect(((await (await theirs.get("/api/v1/contracts")).json()) as { total: number }).total).toBe(0)

    const malformed = await api.post("/api/v1/contracts", { json: { ...json, parties: [{ name: "李四", mobile: "12345" }], deadline: "tomorrow" } })
    const problem = await malformed.json() as { code: string; errors: ReadonlyArray<{ pointer: string }> }
    expect([malformed.status, problem.code, problem.errors.map((e) => e.pointer).sort()]).toEqual([422, "validation_failed", ["/deadline", "/parties/0/mobile"]])
    const notJson = await signedBody(api.creds, "POST", "/api/v1/contracts", "{not json", "application/json")
    expect(await problemOf(notJson)).toEqual({ status: 400, type: "application/problem+json; charset=utf-8", code: "malformed_body" })

    expect(await total()).toBe(before)
    expect(decodeContract(await (await api.get(`/api/v1/contracts/${mine.id}`)).json()).status).toBe("inProgress")
  })

  it("an Idempotency-Key makes a POST happen once: same body → the same response, another body → 422", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const json = {
      name: "保密协议", deadline: inAWeek(), parties: [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }],
      template: { id: "nda", values: { partyA: "北京星河科技有限公司", partyB: "李四", years: "3", place: "北京市海淀区" } },
    }
    const total = async () => ((await (await api.get("/api/v1/contracts?pageSize=1")).json()) as { total: number }).total
    const before = await total()
    const first = await api.post("/api/v1/contracts", { json, idempotencyKey: "order-4711" })
    const again = await api.post("/api/v1/contracts", { json, idempotencyKey: "order-4711" })
    expect([first.status, again.status, again.headers.get("idempotent-replayed")]).toEqual([201, 201, "true"])
    expect((await again.json() as { id: string }).id).toBe((await first.json() as { id: string }).id)
    const changed = await api.post("/api/v1/contracts", { json: { ...json, name: "另一份" }, idempotencyKey: "order-4711" })
    expect((await problemOf(changed))).toEqual({ status: 422, type: "application/problem+json; charset=utf-8", code: "idempotency_key_reused" })
    expect(await total()).toBe(before + 1)
  })

  it("an Idempotency-Key compares what was sent, not its encoding: the same upload with a new multipart boundary is replayed, JSON with its keys reordered too", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const form = await uploadForm([{ name: "李四", mobile: "13800000002" }], "幂等上传")
    // Each send encodes the form afresh (a new random boundary), as examples/api-client.ts does on a retry.
    const first = await api.post("/api/v1/contracts", { form, idempotencyKey: "upload-1" })
    const again = await api.post("/api/v1/contracts", { form, idempotencyKey: "upload-1" })
    expect([first.status, again.status, again.headers.get("idempotent-replayed")]).toEqual([201, 201, "true"])
    expect((await again.json() as { id: string }).id).toBe((await first.json() as { id: string }).id)
    // Another file under the same key is another request.
    const other = await uploadForm([{ name: "李四", mobile: "13800000002" }], "幂等上传")
    other.set("document", new Blob([new Uint8Array(await demoContractPdf("Another", 2))], { type: "application/pdf" }), "contract.pdf")
    expect((await problemOf(await api.post("/api/v1/contracts", { form: other, idempotencyKey: "upload-1" }))).code).toBe("idempotency_key_reused")

    const json = { name: "保密协议", deadline: inAWeek(), parties: [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }], template: { id: "nda", values: { partyA: "甲", partyB: "李四", years: "1", place: "北京" } } }
    const { name, ...rest } = json
    const j1 = await api.post("/api/v1/contracts", { json, idempotencyKey: "json-1" })
    const j2 = await api.post("/api/v1/contracts", { json: { ...rest, name }, idempotencyKey: "json-1" })
    expect([j1.status, j2.status, j2.headers.get("idempotent-replayed")]).toEqual([201, 201, "true"])
  })

  it("an Idempotency-Key left in progress by a process that died is taken over after the lease: the retry runs", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const json = { name: "保密协议", deadline: inAWeek(), parties: [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }], template: { id: "nda", values: { partyA: "甲", partyB: "李四", years: "1", place: "北京" } } }
    const fingerprint = createHash("sha256").update(fingerprintText("POST", "/api/v1/contracts", { _tag: "Json", value: json })).digest("hex")
    // What a kill during the first request leaves: a claim with no response, begun longer ago than the lease.
    await app.run(ApiRepository.use((r) => r.beginIdempotent(api.key.id, "crashed-1", fingerprint, Date.now() - IDEMPOTENCY_LEASE_MS - 1000, 0)))
    const retry = await api.post("/api/v1/contracts", { json, idempotencyKey: "crashed-1" })
    expect(retry.status).toBe(201)
    const again = await api.post("/api/v1/contracts", { json, idempotencyKey: "crashed-1" })
    expect([again.status, again.headers.get("idempotent-replayed")]).toEqual([201, "true"])
    // A claim within the lease is still a request in progress.
    await app.run(ApiRepository.use((r) => r.beginIdempotent(api.key.id, "running-1", fingerprint, Date.now(), 0)))
    expect((await problemOf(await api.post("/api/v1/contracts", { json, idempotencyKey: "running-1" }))).code).toBe("idempotency_in_progress")
  })

  it("an enterprise's own template (模板) by its id with variables: the values are written into the document; bad values, a wrong party count and another enterprise's template are invalid_template", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const [template] = await app.run(TemplateRepository.use((r) => r.ofEnterprise(enterprise.id)))
    if (template === undefined) throw new Error("the dev seed made no template for the demo enterprise")
    const parties = [{ name: "张三", mobile: "13800000001" }, { name: "李四", mobile: "13800000002" }]
    const body = (values: Record<string, string>, p: ReadonlyArray<{ name: string; mobile: string }> = parties) =>
      ({ json: { name: "技术服务合同", deadline: inAWeek(), parties: p, template: { id: template.id, values } } })
    const values = { client: "北京星河科技有限公司", start: "2026-12-31", agree: "true" }
    const created = await api.post("/api/v1/contracts", body(values))
    expect(created.status).toBe(201)
    const contract = decodeContract(await created.json())
    const pdf = new Uint8Array(await (await api.get(`/api/v1/contracts/${contract.id}/document`)).arrayBuffer())
    // Filled before sending: no form field is left (the text itself is checked with pdftotext in core/contracts/fillTemplate.test.ts).
    const doc = await PDFDocument.load(pdf)
    expect(doc.getForm().getFields()).toHaveLength(0)
    expect(contract.parties.map((p) => p.name)).toEqual(["张三", "李四"])
    expect((await problemOf(await api.post("/api/v1/contracts", body({ ...values, start: "2026-13-01" })))).code).toBe("invalid_template")
    expect((await problemOf(await api.post("/api/v1/contracts", body(values, parties.slice(0, 1))))).code).toBe("invalid_template")
    const other = await otherEnterprise(app)
    const theirs = await apiClient(app, other.admin, other.enterprise.id)
    expect((await problemOf(await theirs.post("/api/v1/contracts", body(values)))).code).toBe("invalid_template")
  })

  it("lists with filters and pages; unknown template and party count are problems with stable codes", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const since = new Date(Date.now() - 1000).toISOString()
    for (const name of ["列表测试 甲", "列表测试 乙"]) expect((await api.post("/api/v1/contracts", { form: await uploadForm([{ name: "李四", mobile: "13800000002" }], name) })).status).toBe(201)
    const page = await (await api.get(`/api/v1/contracts?name=${encodeURIComponent("列表测试")}&status=inProgress&createdFrom=${encodeURIComponent(since)}&pageSize=1&page=2`)).json() as { items: ReadonlyArray<{ name: string }>; total: number; page: number }
    expect([page.total, page.page, page.items.map((i) => i.name)]).toEqual([2, 2, ["列表测试 甲"]])
    // Keyset pages (issue 23): the first page's `next` leads to the second, whose `next` is null (the last one).
    type Page = { items: ReadonlyArray<{ name: string }>; next: string | null }
    const filter = `name=${encodeURIComponent("列表测试")}&pageSize=1`
    const first = await (await api.get(`/api/v1/contracts?${filter}`)).json() as Page
    expect(first.items.map((i) => i.name)).toEqual(["列表测试 乙"])
    const second = await (await api.get(`/api/v1/contracts?${filter}&after=${first.next}`)).json() as Page
    expect([second.items.map((i) => i.name), second.next]).toEqual([["列表测试 甲"], null])
    expect((await problemOf(await api.get("/api/v1/contracts?after=12-34"))).code).toBe("validation_failed")
    expect((await problemOf(await api.get("/api/v1/contracts?page=101"))).code).toBe("validation_failed")
    expect((await problemOf(await api.get("/api/v1/contracts?pageSize=500"))).code).toBe("validation_failed")
    const unknown = await api.post("/api/v1/contracts", { json: { name: "x", deadline: inAWeek(), parties: [{ name: "李四", mobile: "13800000002" }], template: { id: "lease", values: {} } } })
    expect(await problemOf(unknown)).toEqual({ status: 422, type: "application/problem+json; charset=utf-8", code: "invalid_template" })
    expect((await problemOf(await api.get("/api/v1/nothing-here"))).code).toBe("not_found")
  })

  it("a webhook endpoint that fails 3 times then succeeds gets the event acknowledged exactly once, with 4 attempts recorded", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const flaky = await webhookReceiver([500, 500, 503])
    try {
      await registerWebhook(app, admin, enterprise.id, flaky.url, ["contract.revoked"])
      const created = decodeContract(await (await api.post("/api/v1/contracts", { form: await uploadForm([{ name: "李四", mobile: "13800000002" }]) })).json())
      expect(decodeContract(await (await api.post(`/api/v1/contracts/${created.id}/revoke`)).json()).status).toBe("revoked")
      await eventually(() => flaky.received.some((r) => r.answered === 200) ? true : undefined, "the acknowledged delivery")
      const deliveryId = flaky.received[0]!.headers["signet-delivery"] as string
      // The sender records an attempt after the receiver has answered: wait for the record, not only for the answer.
      const [delivery, attempts] = await eventually(async () => {
        const read = await app.run(WebhookRepository.use((r) => Effect.all([r.findDelivery(deliveryId), r.attemptsOf(deliveryId)])))
        return read[0]._tag === "Some" && read[0].value.status !== "pending" ? read : undefined
      }, "the delivery's record after the acknowledged attempt")
      expect(delivery._tag === "Some" ? [delivery.value.status, delivery.value.attempts] : null).toEqual(["delivered", 4])
      expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([[1, 500], [2, 500], [3, 503], [4, 200]])
      expect(flaky.received.map((r) => [r.headers["signet-delivery"], r.answered])).toEqual([[deliveryId, 500], [deliveryId, 500], [deliveryId, 503], [deliveryId, 200]])
      // Every retry carried the same event, signed afresh, its id in the body and in Signet-Event-Id.
      expect(new Set(flaky.received.map((r) => JSON.parse(r.body).id)).size).toBe(1)
      expect(flaky.received.map((r) => r.headers["signet-event-id"])).toEqual(flaky.received.map((r) => JSON.parse(r.body).id))
    } finally {
      await flaky.close()
    }
  })
  it("a webhook attempt is on record before the request goes out (a kill mid-send leaves it), its answer then lands on it", async () => {
    const { admin, enterprise } = await demoEnterprise(app)
    const api = await apiClient(app, admin, enterprise.id)
    const seen: Array<ReadonlyArray<readonly [number, number | null, string | null]>> = []
    // A receiver that looks at the sender's records while the request is in flight.
    const server = createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        const id = req.headers["signet-delivery"] as string
        void app.run(WebhookRepository.use((r) => r.attemptsOf(id))).then((a) => {
          seen.push(a.map((x) => [x.attempt, x.statusCode, x.error] as const))
          res.writeHead(200).end()
        })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      await registerWebhook(app, admin, enterprise.id, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, ["contract.sent"])
      expect((await api.post("/api/v1/contracts", { form: await uploadForm([{ name: "李四", mobile: "13800000002" }]) })).status).toBe(201)
      await eventually(() => seen[0], "the delivery")
      expect(seen[0]).toEqual([[1, null, SENDING]])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

/** A signed request with a raw body (for bodies the example client would never send). */
const signedBody = (creds: { baseUrl: string; keyId: string; secret: string }, method: "POST", target: string, text: string, type: string) => {
  const body = new TextEncoder().encode(text)
  return app.web.request(target, { method, headers: { "content-type": type, authorization: authorization(creds, method, target, body) }, body })
}
