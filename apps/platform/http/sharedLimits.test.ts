/**
 * Issue 22 finding 7: per-address limits lived in each process's memory, so
 * three instances allowed three times the limit and a restart reset it; they
 * keyed on the socket address, so behind a proxy everyone shared one bucket.
 * Now they are database counters keyed on the client address read through
 * SIGNET_TRUSTED_PROXIES only.
 */
import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { EvidenceStore } from "../../../core/ports/EvidenceStore.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { boot, type Booted } from "../boot.ts"
import { loadConfig } from "../config.ts"
import { formError, TestBrowser } from "../../../fixtures/browser.ts"
import { postgresUrl } from "../../../fixtures/postgres.ts"

const LOGIN_PER_MINUTE = 3

/** One app instance on the shared database (the data dir holds SQLite, or only dev secrets when DATABASE_URL is set). */
// Instances share the secrets as well as the database (README "Running several instances": the keys in it are sealed under the master key).
const shared = { SIGNET_MASTER_KEY: randomBytes(32).toString("base64"), SIGNET_SESSION_SECRET: randomBytes(32).toString("base64url") }
const instance = (dataDir: string, env: Record<string, string>) =>
  boot(loadConfig({ SIGNET_DATA_DIR: dataDir, SIGNET_TRUSTED_PROXIES: "10.0.0.0/8", ...shared, ...env }), {
    perClientPerMinute: { login: LOGIN_PER_MINUTE, sms: 100 }, expirySweep: false,
  })

/** A wrong log-in from `peer` (optionally through a proxy's X-Forwarded-For): the status and the form's message. */
const tryLogIn = async (app: Booted, peer: string, forwardedFor?: string) => {
  const b = new TestBrowser(app.web, peer)
  await b.get("/login")
  const page = await b.post("/login", { mobile: "13700008801", password: "Wrong123" }, forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor })
  return [page.status, formError(page.html)] as const
}

const check = async (env: Record<string, string>) => {
  const dirs = [mkdtempSync(join(tmpdir(), "signet-limits-")), mkdtempSync(join(tmpdir(), "signet-limits-"))]
  // On SQLite both instances open the same file; on Postgres each has its own data dir.
  const dirOf = (i: number) => (env.DATABASE_URL === undefined ? dirs[0]! : dirs[i]!)
  let running: Array<Booted> = []
  try {
    const a = await instance(dirOf(0), env)
    running.push(a)
    const b = await instance(dirOf(1), env)
    running.push(b)
    const client = "203.0.113.5"
    // Two instances, one budget: three tries in all, then both refuse.
    const answers = [await tryLogIn(a, client), await tryLogIn(b, client), await tryLogIn(a, client), await tryLogIn(b, client), await tryLogIn(a, client)]
    expect(answers.map(([s]) => s)).toEqual([401, 401, 401, 429, 429])
    expect(answers[3]![1]).toMatch(/^登录尝试过于频繁，请 \d+ 秒后再试$/)
    // A spoofed X-Forwarded-For from a peer that is no trusted proxy changes nothing.
    expect((await tryLogIn(a, client, "198.51.100.77"))[0]).toBe(429)
    // Through a trusted proxy each client has its own budget, and the limited one stays limited.
    expect((await tryLogIn(b, "10.0.0.2", "198.51.100.77"))[0]).toBe(401)
    expect((await tryLogIn(b, "10.0.0.2", `1.1.1.1, ${client}`))[0]).toBe(429)
    // The account lock too: ten failures spread over both instances (each from its own address) lock the account on both.
    const logInAs = async (app: Booted, peer: string, password: string) => {
      const br = new TestBrowser(app.web, peer)
      await br.get("/login")
      const page = await br.post("/login", { mobile: "13800000001", password })
      return [page.status, formError(page.html)] as const
    }
    for (let i = 0; i < 10; i++) await logInAs(i % 2 === 0 ? a : b, `198.51.100.${10 + i}`, "Wrong123")
    const locked = await logInAs(b, "198.51.100.30", "Demo1234")
    expect(locked[0]).toBe(429)
    expect(locked[1]).toMatch(/已锁定至/)
    // A restart keeps the counts.
    await Promise.all(running.map((r) => r.dispose()))
    running = []
    const c = await instance(dirOf(0), env)
    running.push(c)
    expect((await tryLogIn(c, client))[0]).toBe(429)
    expect((await logInAs(c, "198.51.100.31", "Demo1234"))[0]).toBe(429)
  } finally {
    await Promise.all(running.map((r) => r.dispose()))
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}

describe("the evidence of an act names the client behind a trusted proxy, never a spoofed one", () => {
  it("a log-in through the proxy records the forwarded address; a direct one with a forged header records the socket's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "signet-limits-"))
    const app = await instance(dir, {})
    try {
      const ipOf = async (peer: string, forwardedFor: string) => {
        const b = new TestBrowser(app.web, peer)
        await b.get("/login")
        expect((await b.post("/login", { mobile: "13800000001", password: "Demo1234" }, { "x-forwarded-for": forwardedFor })).status).toBe(303)
        return app.run(Effect.gen(function*() {
          const user = Option.getOrThrow(yield* UserRepository.use((r) => r.findByMobile("13800000001")))
          const store = yield* EvidenceStore
          const last = (yield* store.eventsOf(`user:${user.id}`)).at(-1)!
          return (yield* store.openingsOf([last.id])).find((o) => o.field === "ip")?.value
        }))
      }
      expect(await ipOf("10.0.0.2", "198.51.100.7")).toBe("198.51.100.7")
      expect(await ipOf("203.0.113.5", "198.51.100.8")).toBe("203.0.113.5")
    } finally {
      await app.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe("per-address limits and the account lock are shared by instances and survive a restart (issue 22 finding 7, issue 16 finding 7)", () => {
  it("on SQLite (two instances on one file)", () => check({}), 60_000)

  const url = postgresUrl("shared limits on Postgres")
  it.skipIf(url === null)("on Postgres (two instances on one database)", async () => {
    const database = `signet_limits_${randomBytes(5).toString("hex")}`
    const psql = (sql: string) => execFileSync("psql", [url!, "-tAc", sql], { stdio: "pipe" })
    psql(`create database ${database}`)
    try {
      await check({ DATABASE_URL: url!.replace(/\/[^/?]+(\?|$)/, `/${database}$1`) })
    } finally {
      psql(`drop database if exists ${database} with (force)`)
    }
  }, 120_000)
})
