/**
 * The clients of bench/signing-http.bench.ts, in their own process so the
 * server's event loop is not shared with them. Argument: one JSON object
 * (`SigningPlan`). Each client logs in as its signer, reads the CSRF token of
 * its first contract's page, then signs its contracts one after the other
 * (POST /contracts/:id/sign with the code prepared for each). Argument: the
 * plan's JSON file. It prints READY once logged in and waits for a line on
 * stdin before the acts ("go", or "go <url>" to send them to another server
 * on the same database); the last output line is the JSON result.
 */
export interface SigningPlan {
  readonly url: string
  /** Each act's code, or "" to ask for it as the portal does (POST /contracts/:id/code, read back from the dev SMS outbox), before the timed acts. */
  readonly clients: ReadonlyArray<{ readonly mobile: string; readonly password: string; readonly acts: ReadonlyArray<{ readonly contractId: string; readonly code: string }> }>
  /**
   * Acts per client made first, untimed, once told to go (a new server's caches warmed: each signer's key and
   * written name); then the driver prints WARM and waits for another line before the timed acts.
   */
  readonly warmup?: number
}

export interface SigningResult {
  readonly acts: number
  readonly errors: number
  readonly firstError?: string
  readonly seconds: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!

const timeout = () => AbortSignal.timeout(30_000)

const post = (cookie: string, csrf: string, url: string, fields: Record<string, string>) => fetch(url, {
  method: "POST", redirect: "manual", signal: timeout(),
  headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
})

/**
 * A GET of the untimed preparation, tried again once on a network error: a kept-alive connection the server closed
 * as it was reused (under load, between the slow code requests) resets it.
 */
const get = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: timeout() }).catch(() => fetch(url, { ...init, signal: timeout() }))

const run = async (plan: SigningPlan): Promise<SigningResult> => {
  // Log-ins first (argon2id is not what is measured), then the acts, timed.
  const sessions = await Promise.all(plan.clients.map(async (client) => {
    const form = await get(`${plan.url}/login`)
    const jar = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ")
    const csrf = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? ""
    const r = await fetch(`${plan.url}/login`, {
      method: "POST", redirect: "manual", signal: timeout(),
      headers: { cookie: jar, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, mobile: client.mobile, password: client.password }).toString(),
    })
    await r.arrayBuffer()
    if (r.status !== 303) throw new Error(`log-in of ${client.mobile}: status ${r.status}`)
    const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ")
    const page = await get(`${plan.url}/contracts/${client.acts[0]!.contractId}`, { headers: { cookie } })
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1]
    if (token === undefined) throw new Error(`contract page without a CSRF token (status ${page.status})`)
    return { cookie, csrf: token }
  }))
  // Codes to ask for are asked for now, as the portal does (untimed): the acts alone are measured.
  const codes = await Promise.all(plan.clients.map(async (client, i) => {
    const { cookie, csrf } = sessions[i]!
    const acts: Array<{ contractId: string; code: string }> = []
    for (const act of client.acts) {
      if (act.code !== "") {
        acts.push(act)
        continue
      }
      const asked = await post(cookie, csrf, `${plan.url}/contracts/${act.contractId}/code`, {})
      await asked.arrayBuffer()
      const outbox = await (await get(`${plan.url}/dev/outbox?mobile=${client.mobile}`)).text()
      acts.push({ contractId: act.contractId, code: outbox.match(/验证码为 (\d{6})/)?.[1] ?? `no code (code request: status ${asked.status})` })
    }
    return acts
  }))
  // The server's CPU is measured over the acts only: say so, and wait for the go.
  console.log("READY")
  // "go", or "go <url>": the acts go to another server on the same database (the benchmark's cluster phase).
  const line = () => new Promise<string>((go) => process.stdin.once("data", (d) => go(d.toString())))
  const signUrl = (await line()).trim().split(/\s+/)[1] ?? plan.url
  const warmup = plan.warmup ?? 0
  if (warmup > 0) {
    await Promise.all(plan.clients.map(async (_, i) => {
      const { cookie, csrf } = sessions[i]!
      for (const act of codes[i]!.slice(0, warmup)) await (await post(cookie, csrf, `${signUrl}/contracts/${act.contractId}/sign`, { code: act.code })).arrayBuffer()
    }))
    console.log("WARM")
    await line()
  }
  const times: Array<number> = []
  let errors = 0
  let firstError: string | undefined
  const started = performance.now()
  await Promise.all(plan.clients.map(async (client, i) => {
    const { cookie, csrf } = sessions[i]!
    for (const act of codes[i]!.slice(warmup)) {
      const code = act.code
      const t = performance.now()
      try {
        const r = await post(cookie, csrf, `${signUrl}/contracts/${act.contractId}/sign`, { code })
        const body = await r.text()
        if (r.status === 303) times.push(performance.now() - t)
        else {
          errors += 1
          firstError ??= `status ${r.status}: ${body.replace(/\s+/g, " ").match(/class="error[^>]*>([^<]*)/)?.[1] ?? body.slice(0, 120)}`
        }
      } catch (e) {
        errors += 1
        firstError ??= e instanceof Error ? e.message : String(e)
      }
    }
  }))
  const seconds = (performance.now() - started) / 1000
  times.sort((a, b) => a - b)
  return {
    acts: times.length, errors, seconds, p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99),
    ...(firstError === undefined ? {} : { firstError }),
  }
}

if (process.argv[2] !== undefined) {
  const { readFileSync } = await import("node:fs")
  console.log(JSON.stringify(await run(JSON.parse(readFileSync(process.argv[2], "utf8")) as SigningPlan)))
  process.exit(0)
}
