/**
 * Issue 23 item 6: where each operation of the load mix spends its CPU (`npm run bench profile`). One dev instance on
 * SQLite in this process, prepared as bench/load.bench.ts prepares it; each operation repeated sequentially (no
 * concurrency: its own cost, not queueing) under the V8 sampling profiler (node:inspector), then the functions with
 * the most self time, and the share of the whole profile that is garbage collection. The load benchmark drives the
 * same requests over HTTP; here they go straight to the app's fetch handler, so HTTP parsing is not in the figures.
 */
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { join } from "node:path"
import { loadavg } from "node:os"
import { signedFetch, type Credentials } from "../examples/api-client.ts"
import { bootForTest, logInAs } from "../fixtures/boot.ts"
import { makePdf } from "./measure.ts"
import { loadOptions, prepare } from "./load.bench.ts"
import { topSelf, type Profile } from "./cpuProfile.ts"

const RUNS = Number(process.env.SIGNET_BENCH_PROFILE_RUNS ?? 150)

export default async function run(): Promise<string> {
  const app = await bootForTest({}, loadOptions)
  const session = new Session()
  session.connect()
  try {
    const prepared = await prepare(app, 1)
    const user = prepared.users[0]!
    const browser = await logInAs(app, user.mobile, user.password, "/contracts")
    const creds: Credentials = { baseUrl: "http://127.0.0.1", keyId: prepared.api.keyId, secret: prepared.api.secret }
    const inApp = (url: string, init: RequestInit) => Promise.resolve(app.web.request(url, init))
    const pdf = await makePdf(20_000)
    const expect = async (r: Response | Promise<Response>, status: number) => {
      const res = await r
      await res.arrayBuffer()
      if (res.status !== status) throw new Error(`profile bench: ${res.url} answered ${res.status}`)
    }
    const page = async (path: string) => {
      const r = await browser.get(path)
      if (r.status !== 200) throw new Error(`profile bench: ${path} answered ${r.status}`)
    }
    const operations: ReadonlyArray<readonly [string, (i: number) => Promise<void>]> = [
      ["contract list (GET /contracts)", () => page("/contracts")],
      ["contract page (GET /contracts/:id)", () => page(`/contracts/${user.contractId}`)],
      ["API read (GET /api/v1/contracts)", () => expect(signedFetch(creds, "GET", "/api/v1/contracts", { fetch: inApp }), 200)],
      ["API create (POST /api/v1/contracts, 20 kB PDF)", (i) => {
        const form = new FormData()
        form.set("contract", JSON.stringify({ name: `剖析合同 ${i}`, deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(), parties: [{ name: user.name, mobile: user.mobile }] }))
        form.set("document", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "contract.pdf")
        return expect(signedFetch(creds, "POST", "/api/v1/contracts", { form, fetch: inApp }), 201)
      }],
      ["API create from a template (POST /api/v1/contracts, 保密协议)", (i) => {
        const json = {
          name: `保密协议 ${i}`, deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          parties: [{ name: "王经理", mobile: "13600000001" }, { name: user.name, mobile: user.mobile }],
          template: { id: "nda", values: { partyA: `北京第${i}号科技有限公司`, partyB: "李四", years: "3", place: "北京市海淀区" } },
        }
        return expect(signedFetch(creds, "POST", "/api/v1/contracts", { json, fetch: inApp }), 201)
      }],
    ]
    const rows: Array<string> = []
    const load0 = loadavg()[0]!
    for (const [name, op] of operations) {
      for (let i = 0; i < 10; i++) await op(-1 - i)
      await session.post("Profiler.enable")
      await session.post("Profiler.setSamplingInterval", { interval: 200 })
      await session.post("Profiler.start")
      const started = performance.now()
      for (let i = 0; i < RUNS; i++) await op(i)
      const wall = (performance.now() - started) / RUNS
      const { profile } = await session.post("Profiler.stop") as unknown as { profile: Profile }
      await session.post("Profiler.disable")
      const p = topSelf(profile)
      // SIGNET_BENCH_PROFILE_DIR: each operation's profile kept as a .cpuprofile (Chrome DevTools, speedscope).
      const keep = process.env.SIGNET_BENCH_PROFILE_DIR
      if (keep !== undefined) writeFileSync(join(keep, `${name.replace(/[^A-Za-z]+/g, "-").replace(/^-|-$/g, "")}.cpuprofile`), JSON.stringify(profile))
      rows.push(`| ${name} | ${wall.toFixed(2)} ms | ${(p.busyMs / RUNS).toFixed(2)} ms | ${(100 * p.gc).toFixed(1)}% | ${p.top.join("<br>")} |`)
    }
    return `## CPU profile of each operation of the load mix (issue 23 item 6)

One dev instance on SQLite in this process, each operation repeated ${RUNS} times in sequence under the V8 sampling
profiler (200 µs), straight to the app's fetch handler (no HTTP parsing). Load average (1 min) at the start: ${load0.toFixed(1)}
on 2 cores shared with other work: wall times are pessimistic; the shares are what to read. Shares are of the samples
where this process was busy (idle and the profiler's own calls left out).

| operation | wall per request | CPU per request (profiled) | GC | top self time (share of the CPU profiled, function and file:line) |
|---|---|---|---|---|
${rows.join("\n")}`
  } finally {
    session.disconnect()
    await app.close()
  }
}
