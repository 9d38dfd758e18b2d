import { randomUUID } from "node:crypto"
import { access, constants } from "node:fs/promises"
import type { Hono, MiddlewareHandler } from "hono"
import { Effect, Exit, Metric } from "effect"
import { PrometheusMetrics } from "effect/observability"
import { errorFields, log, requestContext } from "../../../adapters/observability/index.ts"
import { databaseGauges, pingDatabase } from "../../../adapters/sql/operations.ts"
import { isDatabaseUnavailable } from "../../../adapters/sql/unavailable.ts"
import { JobQueue } from "../../../core/ports/JobQueue.ts"
import { problemResponse, problems } from "../../api/problem.ts"
import type { ExitRunner } from "./runner.ts"
import type { AppServices } from "../layers.ts"

const requests = Metric.counter("signet_http_requests_total", { description: "HTTP requests by app, method, route and status", incremental: true })
const latency = Metric.histogram("signet_http_request_duration_seconds", {
  description: "HTTP request latency by app and route",
  boundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
})
const signingActs = Metric.counter("signet_signing_acts_total", { description: "Signing acts by outcome (signed / refused / failed)", incremental: true })
const evidenceBacklog = Metric.gauge("signet_evidence_backlog", { description: "Evidence events waiting to be sequenced into the log" })
const inFlight = Metric.gauge("signet_http_requests_in_flight", { description: "Requests being served now, by app" })
const inFlightCount = new Map<string, number>()
const pool = Metric.gauge("signet_db_pool_connections", { description: "Postgres pool connections by state (total, idle, waiting clients)" })

const record = <I, S>(metric: Metric.Metric<I, S>, attributes: Record<string, string>, value: I) =>
  Effect.runSync(Metric.update(Metric.withAttributes(metric, attributes), value))

/** Counts a signing act by its outcome (the use case's exit: signed, an expected refusal, or a failure). */
export const countSigningAct = <A, E, R>(act: Effect.Effect<A, E, R>) =>
  Effect.onExit(act, (exit) => Metric.update(Metric.withAttributes(signingActs, {
    outcome: Exit.isSuccess(exit) ? "signed" : exit.cause.reasons.some((r) => r._tag === "Fail") ? "refused" : "failed",
  }), 1))

/**
 * Every request gets an id (a sane incoming X-Request-Id is kept, else a new
 * UUID), echoed in X-Request-Id and carried by every log line it causes; one
 * access-log line when it ends, its count and latency by matched route, and an
 * error line with the cause chain when a handler threw.
 */
export const requestTracking = (app: string): MiddlewareHandler => async (c, next) => {
  const incoming = c.req.header("x-request-id")
  const requestId = incoming !== undefined && /^[A-Za-z0-9._:-]{8,128}$/.test(incoming) ? incoming : randomUUID()
  const started = performance.now()
  const busy = (delta: number) => {
    const n = (inFlightCount.get(app) ?? 0) + delta
    inFlightCount.set(app, n)
    record(inFlight, { app }, n)
  }
  busy(1)
  await requestContext.run({ requestId, databaseUnavailable: false }, async () => {
    try {
      await next()
    } finally {
      busy(-1)
    }
    try {
      c.res.headers.set("x-request-id", requestId)
    } catch {
      // A response with immutable headers (Response.redirect, a fetched one): copied, then stamped.
      const copy = new Response(c.res.body, c.res)
      copy.headers.set("x-request-id", requestId)
      c.res = undefined
      c.res = copy
    }
    const seconds = (performance.now() - started) / 1000
    // The matched route pattern (bounded), not the path (ids would make a series per contract).
    const route = c.res.status === 404 && c.req.routePath.endsWith("*") ? "(unmatched)" : c.req.routePath
    const status = String(c.res.status)
    record(requests, { app, method: c.req.method, route, status }, 1)
    record(latency, { app, route }, seconds)
    if (c.error !== undefined) log(isDatabaseUnavailable(c.error) ? "warn" : "error", `${app} ${c.req.method} ${route} failed`, errorFields(c.error))
    // The path only: a query string may carry tokens.
    log("info", "request", { app, pid: process.pid, method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(seconds * 1000) })
  })
}

const UNAVAILABLE_PAGE = "<!doctype html><html lang=\"zh-CN\"><meta charset=utf-8><title>服务暂时不可用</title>"
  + "<p>数据库暂时不可用，请稍后刷新重试。您的登录状态不受影响。</p></html>"

/**
 * Database-unavailable errors only: when anything this request ran found the
 * database unreachable (see adapters/sql/unavailable.ts), the answer becomes
 * 503 with Retry-After (problem+json under /api/, a zh-CN page elsewhere),
 * replacing whatever the route made of the failure (a log-in redirect, a
 * deleted cookie, a 500). Other errors are left to the apps' error handlers.
 */
export const databaseUnavailable: MiddlewareHandler = async (c, next) => {
  const ctx = requestContext.getStore()
  await next()
  if (!(ctx?.databaseUnavailable === true || (c.error !== undefined && isDatabaseUnavailable(c.error)))) return
  log("warn", "database unavailable: answered 503", { path: c.req.path })
  // Dropped first, so no header of the route's answer (Set-Cookie above all) is carried over.
  c.res = undefined
  c.res = c.req.path.startsWith("/api/")
    ? problemResponse(c, problems.databaseUnavailable())
    : c.html(UNAVAILABLE_PAGE, 503)
  c.header("retry-after", "5")
  c.header("cache-control", "no-store")
}

/** Runs a probe outside the request's context: its failure is the answer (a 503 readiness, a metric left out), not a reason to replace it. */
const probe = <A, E>(exit: ExitRunner<AppServices>, effect: Effect.Effect<A, E, AppServices>) => requestContext.exit(() => exit(effect))

export interface Readiness {
  readonly ready: boolean
  readonly checks: Readonly<Record<"database" | "jobs" | "keys", "ok" | "failed">>
}

/**
 * Database, job queue and key store reachable, each within 2 s. `keyDir`: where the CA's keys are on disk; null
 * when they are in the database's vault (then the database check covers them).
 */
export const readiness = (exit: ExitRunner<AppServices>, keyDir: string | null) => async (): Promise<Readiness> => {
  const check = async (effect: Effect.Effect<unknown, unknown, AppServices>) =>
    Exit.isSuccess(await probe(exit, Effect.timeout(effect, 2_000))) ? "ok" as const : "failed" as const
  const [database, jobs, keys] = await Promise.all([
    check(pingDatabase),
    check(JobQueue.use((q) => q.inspect("readiness-probe", "00000000-0000-4000-8000-000000000000"))),
    keyDir === null ? check(pingDatabase) : check(Effect.tryPromise(() => access(keyDir, constants.R_OK | constants.W_OK))),
  ])
  return { ready: database === "ok" && jobs === "ok" && keys === "ok", checks: { database, jobs, keys } }
}

/** The Prometheus text: every metric of this process, with the gauges read now. */
export const metricsText = async (exit: ExitRunner<AppServices>) => {
  const gauges = await probe(exit, databaseGauges)
  if (Exit.isSuccess(gauges)) {
    record(evidenceBacklog, {}, gauges.value.evidenceBacklog)
    const p = gauges.value.pool
    if (p !== null) for (const [state, n] of Object.entries(p)) record(pool, { state }, n)
  }
  return Effect.runSync(PrometheusMetrics.format())
}

export interface OperationsDeps {
  readonly exit: ExitRunner<AppServices>
  readonly ready: () => Promise<Readiness>
}

/**
 * What an operator needs on each app, registered first (before sessions and
 * CSRF): request ids, the access log and metrics, the 503 answer while the
 * database is away, and the public endpoints /healthz (the process answers),
 * /readyz (database, jobs, key store) and /metrics (Prometheus text format).
 */
export const mountOperations = (app: Hono<any>, name: string, deps: OperationsDeps) => {
  app.use("*", requestTracking(name))
  app.use("*", databaseUnavailable)
  app.get("/healthz", (c) => c.json({ status: "ok" }))
  app.get("/readyz", async (c) => {
    const r = await deps.ready()
    return c.json(r, r.ready ? 200 : 503)
  })
  app.get("/metrics", async (c) => c.text(await metricsText(deps.exit), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }))
}
