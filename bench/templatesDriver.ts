/**
 * The clients of bench/templates.bench.ts: `clients` loops, each creating contracts from the 保密协议 template through
 * the partner API (signed JSON requests) straight to the app's fetch handler, for `seconds`. The benchmark runs them
 * in its own process against its booted app, and, for the two-process figure, this file runs as a server process of
 * its own (argument: one JSON `TemplatesPlan`): it boots on the benchmark's data directory as a cluster's non-lead
 * server does (no seeding, no job workers; SQLite in WAL shared by both), says READY, starts on a line on stdin, and
 * prints its `DriveResult` as its last line.
 */
import { readdirSync, readFileSync } from "node:fs"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { signedFetch, type Credentials } from "../examples/api-client.ts"
import { boot } from "../apps/platform/boot.ts"
import { loadConfig } from "../apps/platform/config.ts"
import { TEST_QUOTAS } from "../fixtures/boot.ts"

const given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
const cities = ["北京", "上海", "深圳", "杭州", "成都", "武汉", "西安", "南京"]
/** A different person each time (a name is Chinese characters only), from common surnames and given-name characters. */
const personName = (i: number) => `${surnames[i % 20]}${given[Math.floor(i / 20) % 29]}${given[(i * 7) % 29]}`
/** The template's values of document `i`: a different company and person each time. */
export const values = (i: number) => ({ partyA: `${cities[i % 8]}${given[i % 29]}${given[(i * 3) % 29]}科技有限公司`, partyB: personName(i), years: String(1 + (i % 5)), place: `${cities[(i + 3) % 8]}市` })

/** What the clients need of a booted app. */
export interface Served {
  readonly web: { readonly request: (url: string, init: RequestInit) => Response | Promise<Response> }
}

export interface DriveResult {
  readonly seconds: number
  readonly latencies: ReadonlyArray<number>
  readonly errors: number
  readonly firstError: string
  /** This process's CPU time (user + system) over the run, in milliseconds. */
  readonly cpuMs: number
  /** That of this process and its children (the untrusted-work pool's processes), where /proc tells. */
  readonly treeCpuMs: number
}

/**
 * CPU time (user + system, ms) of a process and its live descendants, from /proc (Linux; elsewhere this process's
 * own): the machine is shared, so its overall CPU says nothing of ours.
 */
export const treeCpuMs = (root = process.pid): number => {
  try {
    const stats = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
      try {
        // Fields after the command's closing parenthesis: state, ppid, ... utime (14th field), stime (15th).
        const rest = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")
        return [{ pid: Number(pid), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) }]
      } catch {
        return []
      }
    })
    const children = new Map<number, Array<number>>()
    for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid])
    const ticks = new Map(stats.map((s) => [s.pid, s.ticks]))
    let total = 0
    const visit = (pid: number) => {
      total += ticks.get(pid) ?? 0
      for (const c of children.get(pid) ?? []) visit(c)
    }
    visit(root)
    // USER_HZ is 100 on Linux.
    return total * 10
  } catch {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
}

/** One create, document `i` (mobiles from `i`: each request's parties are new numbers). */
export const create = (app: Served, creds: Credentials, i: number) => {
  const json = {
    name: `保密协议 ${i}`, deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    // The template is signed by two: the enterprise's signer and the person.
    parties: [{ name: "王经理", mobile: `136${String(i).padStart(8, "0")}` }, { name: values(i).partyB, mobile: `137${String(i).padStart(8, "0")}` }],
    template: { id: "nda", values: values(i) },
  }
  return signedFetch(creds, "POST", "/api/v1/contracts", { json, fetch: (url, init) => Promise.resolve(app.web.request(url, init)) })
}

/** Warm-up (the untrusted-work pool's processes start on first use; caches fill): not measured. */
export const warmUp = async (app: Served, creds: Credentials, clients: number, from: number) => {
  for (let w = 0; w < 3; w++) await Promise.all(Array.from({ length: clients }, (_, k) => create(app, creds, from + w * clients + k).then((r) => r.arrayBuffer())))
}

/** `clients` loops creating for `seconds`; documents numbered from `from`. */
export const drive = async (app: Served, creds: Credentials, clients: number, seconds: number, from: number): Promise<DriveResult> => {
  let n = from
  let errors = 0
  let firstError = ""
  const latencies: Array<number> = []
  const until = performance.now() + seconds * 1000
  const cpu0 = process.cpuUsage()
  const tree0 = treeCpuMs()
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      const i = n++
      const t = performance.now()
      const r = await create(app, creds, i)
      if (r.status !== 201) {
        errors++
        if (firstError === "") firstError = `${r.status} ${await r.text()}`
      } else await r.arrayBuffer()
      latencies.push(performance.now() - t)
    }
  }))
  const cpu = process.cpuUsage(cpu0)
  return { seconds: (performance.now() - started) / 1000, latencies, errors, firstError, cpuMs: (cpu.user + cpu.system) / 1000, treeCpuMs: treeCpuMs() - tree0 }
}

export interface TemplatesPlan {
  readonly dataDir: string
  readonly keyId: string
  readonly secret: string
  readonly clients: number
  readonly seconds: number
  /** First document number of this process (the processes' numbers, hence mobiles, do not overlap). */
  readonly from: number
}

/** The benchmark's boot options (generous limits: the clients share one address and one key). */
export const benchOptions = { perClientPerMinute: { login: 1_000_000, sms: 1000 }, expirySweep: false, apiPerKeyPerMinute: 1_000_000 }

// Run as a process of its own (not imported by the benchmark).
if (fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] !== undefined) {
  const plan = JSON.parse(process.argv[2]) as TemplatesPlan
  const app = await boot(loadConfig({ SIGNET_DATA_DIR: plan.dataDir, ...TEST_QUOTAS }), { ...benchOptions, lead: false })
  const creds: Credentials = { baseUrl: "http://127.0.0.1", keyId: plan.keyId, secret: plan.secret }
  await warmUp(app, creds, plan.clients, plan.from + 9_000_000)
  console.log("READY")
  const lines = createInterface({ input: process.stdin })
  await new Promise<void>((resolve) => lines.once("line", () => resolve()))
  lines.close()
  const result = await drive(app, creds, plan.clients, plan.seconds, plan.from)
  await app.dispose()
  console.log(JSON.stringify(result))
  process.exit(0)
}
