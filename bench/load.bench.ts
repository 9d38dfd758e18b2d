/**
 * Issue 22 item 9, `npm run bench load`: a scripted mix (log in, 我的合同 list,
 * a contract page, partner API reads and creates with a small PDF, one signing
 * act per client spread over the run) from 10 and
 * 50 concurrent clients against one instance on SQLite, one on Postgres and
 * two on one Postgres, each served by @hono/node-server on 127.0.0.1 in this
 * process and driven from a child process (bench/loadDriver.ts). Baseline in
 * the same run: a bare Hono route served and driven the same way. Each run is
 * bounded in time (SIGNET_BENCH_LOAD_SECONDS, default 12) and in requests.
 * Targets (issue 22): p95 under 100 ms at 10 clients and under 300 ms at 50
 * for page views and API reads, zero errors.
 */
import { execFileSync, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { listen } from "./listen.ts"
import { Effect, Option } from "effect"
import { Hono } from "hono"
import { createApiKey } from "../core/api/apiKeys.ts"
import { EnterpriseRepository } from "../core/ports/EnterpriseRepository.ts"
import { UserRepository } from "../core/ports/UserRepository.ts"
import { signedFetch, type Credentials } from "../examples/api-client.ts"
import { bootForTest, createUser } from "../fixtures/boot.ts"
import { postgresUrl } from "../fixtures/postgres.ts"
import { fmt, makePdf, ratio } from "./measure.ts"
import type { DriverPlan, DriverResult, Kind, KindResult } from "./loadDriver.ts"

const root = fileURLToPath(new URL("../", import.meta.url))
const driver = fileURLToPath(new URL("loadDriver.ts", import.meta.url))
const seconds = Number(process.env.SIGNET_BENCH_LOAD_SECONDS ?? 12)
const maxRequests = 50_000
const clientCounts = [10, 50] as const
const demoAdmin = "13800000001"

/** Runs the driver in a child process (asynchronously: the servers live on this event loop) and parses its last line. */
const drive = (plan: DriverPlan) =>
  new Promise<DriverResult>((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}node_modules/tsx/dist/cli.mjs`, driver, JSON.stringify(plan)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (d: Buffer) => void (out += d.toString()))
    child.stderr.on("data", (d: Buffer) => void (err += d.toString()))
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? ""
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`load driver failed (${code}): ${err.slice(-2000)}`))
      else resolve(JSON.parse(line) as DriverResult)
    })
  })

type App = Awaited<ReturnType<typeof bootForTest>>

/**
 * What the driver needs from a booted instance: an API key of 张三's
 * enterprise, and one account per client, each sent a contract through that
 * API (its contract page; its list grows with the creates of the run).
 */
export const prepare = async (app: App, clients: number) => {
  const key = await app.run(Effect.gen(function*() {
    const zhang = Option.getOrThrow(yield* UserRepository.use((r) => r.findByMobile(demoAdmin)))
    const [enterprise] = yield* EnterpriseRepository.use((r) => r.listAdministeredBy(zhang.id))
    if (enterprise === undefined) return yield* Effect.die("the dev seed made no enterprise for 张三")
    return yield* createApiKey(zhang, enterprise.id, "load bench")
  }))
  const creds: Credentials = { baseUrl: "http://127.0.0.1", keyId: key.key.id, secret: key.secret }
  const inApp = (url: string, init: RequestInit) => Promise.resolve(app.web.request(url, init))
  const pdf = await makePdf(20_000)
  const users: Array<{ mobile: string; name: string; password: string; contractId: string }> = []
  for (let i = 0; i < clients; i++) {
    const mobile = `1390000${String(i).padStart(4, "0")}`
    const name = `负载用户${i}`
    await createUser(app, mobile, name, "Demo1234")
    const form = new FormData()
    form.set("contract", JSON.stringify({ name: `负载测试合同 ${i}`, deadline: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(), parties: [{ name, mobile }] }))
    form.set("document", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "contract.pdf")
    const created = await signedFetch(creds, "POST", "/api/v1/contracts", { form, fetch: inApp })
    if (created.status !== 201) throw new Error(`load bench: creating a contract failed: ${created.status} ${await created.text()}`)
    users.push({ mobile, name, password: "Demo1234", contractId: (await created.json() as { id: string }).id })
  }
  return { users, api: { keyId: key.key.id as string, secret: key.secret } }
}

export const loadOptions = { perClientPerMinute: { login: 1_000_000, sms: 1000 }, expirySweep: false, apiPerKeyPerMinute: 1_000_000 }

interface Scenario { readonly name: string; readonly byClients: Map<number, DriverResult> }

/** Boots `instances` instances with `env`, serves them, drives the mix at each client count, closes everything. */
const measure = async (name: string, instances: number, env: Record<string, string>): Promise<Scenario> => {
  const apps: Array<App> = []
  const servers: Array<{ url: string; close: () => Promise<void> }> = []
  try {
    // One after the other: the dev seed that runs at boot is not made for two at once.
    for (let i = 0; i < instances; i++) apps.push(await bootForTest(env, loadOptions))
    for (const app of apps) servers.push(await listen(app.web.fetch))
    // Accounts of their own for each client count: a number gets one signing code a minute.
    const prepared = await prepare(apps[0]!, clientCounts.reduce((a, b) => a + b, 0))
    let first = 0
    const byClients = new Map<number, DriverResult>()
    for (const clients of clientCounts) {
      console.log(`  ${name}, ${clients} clients`)
      byClients.set(clients, await drive({ urls: servers.map((s) => s.url), clients, seconds, maxRequests, mode: "mix", api: prepared.api, users: prepared.users.slice(first, first + clients) }))
      first += clients
    }
    return { name, byClients }
  } finally {
    await Promise.all(servers.map((s) => s.close()))
    for (const app of apps) await app.close()
  }
}

const baseline = async (): Promise<Scenario> => {
  const server = await listen(new Hono().get("/", (c) => c.html("<p>ok</p>")).fetch)
  try {
    const byClients = new Map<number, DriverResult>()
    for (const clients of clientCounts) {
      console.log(`  bare Hono route, ${clients} clients`)
      byClients.set(clients, await drive({ urls: [server.url], clients, seconds, maxRequests, mode: "bare" }))
    }
    return { name: "bare Hono route", byClients }
  } finally {
    await server.close()
  }
}

/** A fresh database on the local Postgres for one scenario, dropped after. */
const withDatabase = async <A>(url: string, f: (env: Record<string, string>) => Promise<A>): Promise<A> => {
  const database = `signet_load_${randomBytes(5).toString("hex")}`
  const psql = (sql: string) => execFileSync("psql", [url, "-tAc", sql], { stdio: "pipe" })
  psql(`create database ${database}`)
  try {
    return await f({
      DATABASE_URL: url.replace(/\/[^/?]+(\?|$)/, `/${database}$1`),
      SIGNET_MASTER_KEY: randomBytes(32).toString("base64"),
      SIGNET_SESSION_SECRET: randomBytes(32).toString("base64url"),
    })
  } finally {
    psql(`drop database if exists ${database} with (force)`)
  }
}

const viewKinds: ReadonlyArray<Kind> = ["contract list", "contract page", "API read"]
const allKinds: ReadonlyArray<Kind> = ["log in", "signing act", "contract list", "contract page", "API read", "API create"]

export default async function run(): Promise<string> {
  const loadBefore = loadavg()
  const started = new Date()
  const scenarios: Array<Scenario> = [await baseline()]
  scenarios.push(await measure("1 instance, SQLite", 1, {}))
  const pg = postgresUrl("load benchmark")
  const missing: Array<string> = []
  if (pg === null) missing.push("Postgres (not reachable: its rows are missing)")
  else {
    scenarios.push(await withDatabase(pg, (env) => measure("1 instance, Postgres", 1, env)))
    scenarios.push(await withDatabase(pg, (env) => measure("2 instances, one Postgres", 2, env)))
  }
  const loadAfter = loadavg()
  const bare = scenarios[0]!
  const rows: Array<string> = []
  const verdicts: Array<string> = []
  for (const clients of clientCounts) {
    const floor = bare.byClients.get(clients)!.kinds.bare!
    rows.push(`| bare Hono route | ${clients} | GET / | ${floor.count.toLocaleString("en")} | ${floor.perSecond.toFixed(0)}/s | ${fmt(floor.p50)} | ${fmt(floor.p95)} | ${fmt(floor.p99)} | 1.00× | ${floor.errors} |`)
    const target = clients === 10 ? 100 : 300
    for (const s of scenarios.slice(1)) {
      const result = s.byClients.get(clients)!
      let total = 0
      let errors = 0
      for (const kind of allKinds) {
        const k: KindResult | undefined = result.kinds[kind]
        if (k === undefined) continue
        total += k.perSecond
        errors += k.errors
        const error = k.firstError === undefined ? "" : ` (first: ${k.firstError.replace(/\|/g, "/").slice(0, 80)})`
        rows.push(`| ${s.name} | ${clients} | ${kind} | ${k.count.toLocaleString("en")} | ${k.perSecond.toFixed(1)}/s | ${fmt(k.p50)} | ${fmt(k.p95)} | ${fmt(k.p99)} | ${ratio(k.p95, floor.p95)} | ${k.errors}${error} |`)
      }
      const worst = Math.max(...viewKinds.map((k) => result.kinds[k]?.p95 ?? Infinity))
      const met = worst < target && errors === 0
      verdicts.push(`- ${s.name}, ${clients} clients: ${total.toFixed(0)} requests/s in all; worst p95 of page views and API reads ${worst === Infinity ? "— (one kind never answered)" : `${fmt(worst)} ms`} against ${target} ms, ${errors} errors: **${met ? "meets" : "misses"}** the target.`)
    }
  }
  const avg = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(2)).join(", ")
  return `## Load (issue 22 item 9): mixed pages and API calls, 10 and 50 clients

Run ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; load average (1, 5, 15 min) ${avg(loadBefore)} before, ${avg(loadAfter)} after, on a machine shared with other work: absolute figures are pessimistic, the ratios to the bare route carry over better.
Each instance is booted in the dev profile and served by @hono/node-server on 127.0.0.1 in the benchmark's process; the clients run in a child process (bench/loadDriver.ts, fetch with keep-alive), each row for ${seconds} s or ${maxRequests.toLocaleString("en")} requests.
Each client has its own account (ten log-ins in flight on one number lock it, by design), sent one contract through the API before the run; it logs in and then loops over a fixed cycle of 20 requests: 5 我的合同 lists (GET /contracts), 5 pages of its contract (GET /contracts/:id), 6 partner API reads (GET /api/v1/contracts of 张三's enterprise, signed), 3 partner API creates (POST /api/v1/contracts, a 20 kB PDF, the client's account as the one party) and 1 log-in again (GET /login + POST /login, argon2id).
Each client also signs its contract once, the clients' signing acts spread evenly over the first 80% of the run (a number gets one willingness code a minute): its page, POST /contracts/:id/code, the code read from the dev SMS outbox, POST /contracts/:id/sign; the account's first signature, so its signing key and certificate are made too.
With two instances, client i talks to instance i mod 2; both run in this one process (one event loop, and 2 cores shared with the clients' process), so that row shows two instances on one database working together under load, not that they scale. Postgres: a fresh database per scenario, dropped after; pool size the default (SIGNET_DB_POOL_MAX 10 per instance).
Latencies in ms, of successful requests; errors are answers other than the expected status (200, 201, 303) or no answer in 30 s. Baseline: the p95 of a bare Hono route served and driven the same way, at the same number of clients.

| server | clients | request | done | throughput | p50 | p95 | p99 | p95 / bare p95 | errors |
|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

Targets (issue 22): p95 under 100 ms at 10 clients and under 300 ms at 50 for page views and API reads (list, page, API read), zero errors.
${verdicts.join("\n")}
${missing.length === 0 ? "" : `\nNot measured: ${missing.join("; ")}.\n`}`
}
