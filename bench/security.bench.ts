/**
 * Security (issue 16): event-loop delay while hostile uploads are processed,
 * against the same plain traffic with no uploads. Both windows run the same
 * stream of plain GETs through the portal (in-process, as a server would);
 * the hostile window also posts 20 hostile files at once (PDF bombs to the
 * archive and contract routes, image bombs to the seal route). The parsing
 * happens in the worker pool, so the request thread's delay should barely
 * move. Target: p99 at most 2x the baseline and under 50 ms.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import { bootForTest, logInAs } from "../fixtures/boot.ts"
import type { TestBrowser } from "../fixtures/browser.ts"
import { imageBombs, pdfBombs } from "../fixtures/hostile.ts"
import { demoEnterprise } from "../fixtures/organizations/webWorld.ts"
import { postMultipart } from "../fixtures/verification/multipart.ts"
import { TestBrowser as Browser } from "../fixtures/browser.ts"
import { fmt, ratio } from "./measure.ts"
import { defaultPoolOptions } from "../adapters/worker-pool/index.ts"

interface Delay {
  readonly p99: number
  readonly max: number
  readonly mean: number
  readonly plain: number
}

/** Runs plain GETs back to back while `work` runs (or for `minMs`), measuring the event loop's delay. */
const window = async (web: Parameters<typeof postMultipart>[0], work: () => Promise<unknown>, minMs: number): Promise<Delay> => {
  const h = monitorEventLoopDelay({ resolution: 5 })
  const anon = new Browser(web)
  let done = false
  let plain = 0
  const started = performance.now()
  h.enable()
  const traffic = (async () => {
    while (!done || performance.now() - started < minMs) {
      await anon.get("/login")
      plain++
      // As from a socket: the next request arrives in a later turn of the loop (in-process requests alone never yield to timers or workers).
      await new Promise((r) => setImmediate(r))
    }
  })()
  await work()
  done = true
  await traffic
  h.disable()
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, mean: h.mean / 1e6, plain }
}

export default async function run(): Promise<string> {
  const booted = await bootForTest({}, { perClientPerMinute: { login: 100_000, sms: 1000 }, expirySweep: false, untrustedWork: { timeoutMs: 5_000 } })
  try {
    const ids = await demoEnterprise(booted)
    const zhang = await logInAs(booted, "13800000001")
    const pdfs = pdfBombs()
    const images = imageBombs()
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const file = (name: string, bytes: Uint8Array, type: string) => ({ name, type, bytes })
    // CSRF tokens for the three forms (one browser per upload so the posts run at once).
    const browsers = await Promise.all(Array.from({ length: 20 }, async () => {
      const b = await logInAs(booted, "13800000001")
      await b.get("/archive")
      return b
    }))
    const upload = (b: TestBrowser, i: number) => {
      if (i % 3 === 2) {
        const [, bytes] = images[i % images.length]!
        return postMultipart(booted.web, b, `/org/${ids.enterpriseId}/seals`, { type: "finance", name: "财务专用章", branchId: ids.enterpriseId, source: "upload" }, { image: file("x.png", bytes, "image/png") })
      }
      const [, bytes] = pdfs[i % pdfs.length]!
      return i % 3 === 0
        ? postMultipart(booted.web, b, "/archive/uploads", {}, { document: file("x.pdf", bytes, "application/pdf") })
        : postMultipart(booted.web, b, "/contracts", { name: "恶意文件", mode: "sequential", deadline: tomorrow, includeMe: "on" }, { document: file("x.pdf", bytes, "application/pdf") })
    }
    // Warm up: the workers start (tsx compiles the core once per worker) and the routes are compiled.
    await Promise.all([upload(zhang, 2), window(booted.web, () => new Promise((r) => setTimeout(r, 500)), 500)])
    const baseline = await window(booted.web, () => new Promise((r) => setTimeout(r, 5_000)), 5_000)
    let statuses: Array<number> = []
    const t = performance.now()
    const hostile = await window(booted.web, async () => {
      statuses = (await Promise.all(browsers.map((b, i) => upload(b, i)))).map((p) => p.status)
    }, 5_000)
    const hostileMs = performance.now() - t
    const ok = hostile.p99 <= 2 * baseline.p99 && hostile.p99 < 50
    return `## Security: event-loop delay under hostile uploads

20 hostile uploads at once (${pdfs.map(([n]) => n).join(", ")} to the archive and contract routes; ${images.map(([n]) => n).join(", ")} to the seal route), parsed in the worker pool (${defaultPoolOptions.size} worker process${defaultPoolOptions.size === 1 ? "" : "es"} at nice 10, 5 s per task), while plain GETs of /login run back to back. Baseline: the same GETs for 5 s with no uploads. Event-loop delay from \`perf_hooks.monitorEventLoopDelay\` (5 ms resolution).

| window | p99 delay | max delay | mean delay | plain GETs answered |
|---|---|---|---|---|
| no uploads (baseline) | ${fmt(baseline.p99)} ms | ${fmt(baseline.max)} ms | ${fmt(baseline.mean)} ms | ${baseline.plain} in 5 s |
| 20 hostile uploads | ${fmt(hostile.p99)} ms | ${fmt(hostile.max)} ms | ${fmt(hostile.mean)} ms | ${hostile.plain} in ${fmt(hostileMs / 1000)} s |
| ratio | ${ratio(hostile.p99, baseline.p99)} | | | |

Target (p99 ≤ 2× baseline and < 50 ms): **${ok ? "met" : "not met"}**. Answers to the hostile uploads: ${[...new Set(statuses)].sort().map((s) => `${statuses.filter((x) => x === s).length}× ${s}`).join(", ")} (no 500).`
  } finally {
    await booted.close()
  }
}
