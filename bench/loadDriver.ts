/**
 * The load generator of bench/load.bench.ts, run as its own process so the
 * servers' event loop is not shared with the clients. Argument: one JSON
 * object (`DriverPlan`). `clients` virtual clients loop over a fixed mix until
 * the time or request budget is spent; the last output line is the JSON
 * result: per request kind the latencies' percentiles, throughput and errors.
 */
import { signedFetch, type Credentials } from "../examples/api-client.ts"
import { makePdf } from "./measure.ts"

export interface DriverPlan {
  /** One base URL per instance; client i talks to instance i mod n. */
  readonly urls: ReadonlyArray<string>
  readonly clients: number
  readonly seconds: number
  readonly maxRequests: number
  /** "bare": every request is GET / (the baseline); "mix": the Signet mix. */
  readonly mode: "bare" | "mix"
  /** One account per client (ten log-ins in flight on one number lock it: core/accounts/logIn.ts), each a party to `contractId`. */
  readonly users?: ReadonlyArray<{ readonly mobile: string; readonly name: string; readonly password: string; readonly contractId: string }>
  readonly api?: { readonly keyId: string; readonly secret: string }
}

export type Kind = "bare" | "log in" | "signing act" | "contract list" | "contract page" | "API read" | "API create"
export interface KindResult { readonly count: number; readonly errors: number; readonly perSecond: number; readonly p50: number; readonly p95: number; readonly p99: number; readonly firstError?: string }
export interface DriverResult { readonly seconds: number; readonly kinds: Partial<Record<Kind, KindResult>> }

/** One slot per request of a client's cycle (20 slots): 5% log-in, 25% list, 25% page, 30% API reads, 15% API creates. */
const cycle: ReadonlyArray<Kind> = [
  "contract list", "contract page", "API read", "contract list", "API create", "contract page", "API read", "contract list", "contract page", "API read",
  "API create", "contract list", "contract page", "API read", "contract list", "API read", "API create", "contract page", "API read", "log in",
]

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!

const run = async (plan: DriverPlan): Promise<DriverResult> => {
  const times = new Map<Kind, Array<number>>()
  const errors = new Map<Kind, { n: number; first?: string }>()
  const pdf = plan.mode === "mix" ? await makePdf(20_000) : new Uint8Array()
  const deadlineAt = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString()
  let issued = 0
  const started = performance.now()
  const endAt = started + plan.seconds * 1000
  const more = () => performance.now() < endAt && issued < plan.maxRequests

  /** Times one request kind; `f` resolves to an error text, or undefined when the answer was the expected one. */
  const timed = async (kind: Kind, f: () => Promise<string | undefined>) => {
    issued += 1
    const t = performance.now()
    let error: string | undefined
    try {
      error = await f()
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ""}` : String(e)
    }
    const ms = performance.now() - t
    if (error === undefined) {
      const list = times.get(kind) ?? []
      list.push(ms)
      times.set(kind, list)
    } else {
      const e = errors.get(kind) ?? { n: 0 }
      e.n += 1
      e.first ??= error
      errors.set(kind, e)
    }
  }
  const expect = async (r: Response, status: number) => {
    await r.arrayBuffer()
    return r.status === status ? undefined : `status ${r.status}`
  }
  const timeout = () => AbortSignal.timeout(30_000)

  const client = async (index: number) => {
    const base = plan.urls[index % plan.urls.length]!
    if (plan.mode === "bare") {
      while (more()) await timed("bare", async () => expect(await fetch(`${base}/`, { signal: timeout() }), 200))
      return
    }
    let cookie = ""
    const user = plan.users![index % plan.users!.length]!
    const logIn = async () => {
      const form = await fetch(`${base}/login`, { signal: timeout() })
      const jar = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ")
      const csrf = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1]
      if (csrf === undefined) return `log-in form without a CSRF token (status ${form.status})`
      const r = await fetch(`${base}/login`, {
        method: "POST", redirect: "manual", signal: timeout(),
        headers: { cookie: jar, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf, mobile: user.mobile, password: user.password }).toString(),
      })
      await r.arrayBuffer()
      if (r.status !== 303) return `status ${r.status}`
      cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ")
      return undefined
    }
    const creds: Credentials = { baseUrl: base, keyId: plan.api!.keyId, secret: plan.api!.secret }
    // One signing act per client (a number gets one code a minute), the clients' acts spread evenly over the first 80% of
    // the run: its contract page (the CSRF token), the willingness code requested, read back from the dev SMS outbox, and
    // the signature.
    const signAt = started + (index / plan.clients) * plan.seconds * 800
    let signed = false
    const sign = async () => {
      const page = await fetch(`${base}/contracts/${user.contractId}`, { headers: { cookie }, redirect: "manual", signal: timeout() })
      const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1]
      if (csrf === undefined) return `contract page without a CSRF token (status ${page.status})`
      const form = (fields: Record<string, string>) => ({
        method: "POST", redirect: "manual" as const, signal: timeout(),
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
        body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      })
      const asked = await fetch(`${base}/contracts/${user.contractId}/code`, form({}))
      await asked.arrayBuffer()
      if (asked.status !== 200) return `code request: status ${asked.status}`
      const outbox = await (await fetch(`${base}/dev/outbox?mobile=${user.mobile}`, { signal: timeout() })).text()
      const code = outbox.match(/验证码为 (\d{6})/)?.[1]
      if (code === undefined) return "no code in the SMS outbox"
      const answer = await fetch(`${base}/contracts/${user.contractId}/sign`, form({ code }))
      await answer.arrayBuffer()
      return answer.status === 303 ? undefined : `sign: status ${answer.status}`
    }
    await timed("log in", logIn)
    for (let step = index; more(); step++) {
      if (!signed && performance.now() >= signAt) {
        signed = true
        await timed("signing act", sign)
        continue
      }
      const kind = cycle[step % cycle.length]!
      await timed(kind, async () => {
        switch (kind) {
          case "log in": return logIn()
          case "contract list": return expect(await fetch(`${base}/contracts`, { headers: { cookie }, redirect: "manual", signal: timeout() }), 200)
          case "contract page": return expect(await fetch(`${base}/contracts/${user.contractId}`, { headers: { cookie }, redirect: "manual", signal: timeout() }), 200)
          case "API read": return expect(await signedFetch(creds, "GET", "/api/v1/contracts", { fetch: (u, i) => fetch(u, { ...i, signal: timeout() }) }), 200)
          case "API create": {
            const form = new FormData()
            form.set("contract", JSON.stringify({ name: `负载测试合同 ${index}-${step}`, deadline: deadlineAt(), parties: [{ name: user.name, mobile: user.mobile }] }))
            form.set("document", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "contract.pdf")
            return expect(await signedFetch(creds, "POST", "/api/v1/contracts", { form, fetch: (u, i) => fetch(u, { ...i, signal: timeout() }) }), 201)
          }
          default: return `unknown kind ${kind}`
        }
      })
    }
  }

  await Promise.all(Array.from({ length: plan.clients }, (_, i) => client(i)))
  const seconds = (performance.now() - started) / 1000
  const kinds: Partial<Record<Kind, KindResult>> = {}
  for (const kind of new Set<Kind>([...times.keys(), ...errors.keys()])) {
    const sorted = (times.get(kind) ?? []).sort((a, b) => a - b)
    const e = errors.get(kind)
    kinds[kind] = {
      count: sorted.length, errors: e?.n ?? 0, perSecond: sorted.length / seconds,
      p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99),
      ...(e?.first === undefined ? {} : { firstError: e.first }),
    }
  }
  return { seconds, kinds }
}

if (process.argv[2] !== undefined) console.log(JSON.stringify(await run(JSON.parse(process.argv[2]) as DriverPlan)))
