import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Metric } from "effect"
import { logSink } from "../../adapters/observability/index.ts"
import { JobQueue, jobRuns } from "../../core/ports/JobQueue.ts"
import { eventually } from "../api/fixtures.ts"
import { bootForTest } from "../../fixtures/boot.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => {
  app = await bootForTest()
})
afterAll(() => app?.close())

const runsOf = (job: string, outcome: string) => Effect.runSync(Metric.value(Metric.withAttributes(jobRuns, { job, outcome }))).count

/** Runs `f` while collecting the JSON log lines written. */
const logged = async <A>(f: () => Promise<A> | A) => {
  const lines: Array<Record<string, unknown>> = []
  const write = logSink.write
  logSink.write = (_level, line) => void lines.push(JSON.parse(line) as Record<string, unknown>)
  try {
    return { value: await f(), lines }
  } finally {
    logSink.write = write
  }
}

describe("operations endpoints and request logs", () => {
  it("/healthz answers for the process, /readyz checks the database, the job queue and the key store, on both apps", async () => {
    for (const a of [app.web, app.admin]) {
      const health = await a.request("/healthz")
      expect([health.status, await health.json()]).toEqual([200, { status: "ok" }])
      const ready = await a.request("/readyz")
      expect([ready.status, await ready.json()]).toEqual([200, { ready: true, checks: { database: "ok", jobs: "ok", keys: "ok" } }])
    }
  })

  it("every request has an id (a sane X-Request-Id kept, else a new one), echoed and carried by its access-log line", async () => {
    const { value: kept, lines } = await logged(() => app.web.request("/login", { headers: { "x-request-id": "lb-4711-abcdef" } }))
    expect(kept.headers.get("x-request-id")).toBe("lb-4711-abcdef")
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ level: "info", requestId: "lb-4711-abcdef", app: "web", method: "GET", path: "/login", route: "/login", status: 200 })
    const fresh = await app.web.request("/login", { headers: { "x-request-id": "bad id with spaces" } })
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
    expect((await app.admin.request("/login")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("a failing background job is logged as one JSON line with its cause (the queue's own poller included) and counted", async () => {
    const { lines } = await logged(async () => {
      await app.run(JobQueue.use((q) => q.work("ops-test-boom", () => Effect.fail("the receiver is gone"))))
      await app.run(JobQueue.use((q) => q.enqueue("ops-test-boom", {})))
      await eventually(() => runsOf("ops-test-boom", "failed") > 0 ? true : undefined, "the failed run")
    })
    expect(lines.find((l) => l.msg === "job ops-test-boom failed")).toMatchObject({ level: "error", job: "ops-test-boom", attempt: 1, cause: "Error: the receiver is gone" })
  })

  it("/metrics is Prometheus text: requests by route and status, latency histograms, job runs, evidence backlog", async () => {
    await app.web.request("/login")
    await app.web.request("/no-such-page/123456")
    const r = await app.web.request("/metrics")
    expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8")
    const text = await r.text()
    expect(text).toContain("# TYPE signet_http_requests_total counter")
    expect(text).toMatch(/signet_http_requests_total\{app="web",method="GET",route="\/login",status="200"\} \d+/)
    // Unknown paths share one series: ids in paths never make a series each.
    expect(text).toMatch(/signet_http_requests_total\{app="web",method="GET",route="\(unmatched\)",status="404"\} \d+/)
    expect(text).toMatch(/signet_http_request_duration_seconds_bucket\{app="web",route="\/login",le="0\.1"\} \d+/)
    expect(text).toMatch(/signet_evidence_backlog \d+/)
    expect(text).not.toContain("123456")
  })
})
