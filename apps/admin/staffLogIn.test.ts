import { rmSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { boot } from "../platform/boot.ts"
import { loadConfig } from "../platform/config.ts"
import { EvidenceStore } from "../../core/ports/EvidenceStore.ts"
import { Effect, Option, Schema } from "effect"
import { createStaff } from "../../core/accounts/staff.ts"
import { NewPassword } from "../../core/kernel/Password.ts"
import { StaffSecurity } from "../../core/ports/StaffSecurity.ts"
import { staffLoginTries } from "../../core/accounts/staffLockout.ts"
import { Database } from "../../adapters/sql/Database.ts"
import { bootForTest, seededDataDir } from "../../fixtures/boot.ts"
import { fieldError, formError, TestBrowser } from "../../fixtures/browser.ts"
import { codeAtStep, codeFor, secretOf, stepNow } from "../../fixtures/totp.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

const newStaff = (username: string) =>
  app.run(createStaff({ username, name: `审核员 ${username}`, password: Schema.decodeSync(NewPassword)("Review1234") }))

/** The lockout's counter row for `username` from `client` (limit_counters), if any. */
const counter = (username: string, client: string) =>
  app.run(Effect.gen(function*() {
    const { db } = yield* Database
    const row = yield* Effect.promise(() => db.selectFrom("limit_counters").selectAll().where("key", "=", staffLoginTries.key(username, client)).executeTakeFirst())
    return row === undefined ? undefined : { count: Number(row.count), windowEndsAt: Number(row.window_ends_at) }
  }))

/** A browser at the log-in page, seen by the app as coming from `client`. */
const browserFrom = async (client: string) => {
  const b = new TestBrowser(app.admin, client)
  await b.get("/login")
  return b
}

describe("staff lockout per account and client (X1, issue 16 finding 7)", () => {
  it("ten failures from one address lock that address out of the account, even with the right password; the reviewer elsewhere still logs in", async () => {
    await newStaff("locked")
    const attacker = await browserFrom("203.0.113.9")
    for (let i = 0; i < 10; i++) {
      const r = await attacker.post("/login", { username: "locked", password: "Wrong1234" })
      expect([r.status, formError(r.html)]).toEqual([401, "用户名、密码或动态验证码错误"])
    }
    const refused = await attacker.post("/login", { username: "locked", password: "Review1234" })
    expect(refused.status).toBe(429)
    expect(formError(refused.html)).toMatch(/^尝试过于频繁，请 \d+ 秒后再试$/)
    expect(attacker.cookies.has("signet_admin")).toBe(false)

    // The lock is kept in the database (it holds across processes), keyed by username and address.
    const kept = await counter("locked", "203.0.113.9")
    expect(kept?.count).toBe(11)
    expect(kept?.windowEndsAt).toBeGreaterThan(Date.now())

    const reviewer = await browserFrom("198.51.100.7")
    const ok = await reviewer.post("/login", { username: "locked", password: "Review1234" })
    expect([ok.status, ok.location]).toEqual([303, "/"])
  })

  it("an unknown username counts like a known one (the lock tells no account apart), and a success clears the count", async () => {
    const b = await browserFrom("203.0.113.10")
    for (let i = 0; i < 10; i++) expect((await b.post("/login", { username: "nobody", password: "Wrong1234" })).status).toBe(401)
    expect((await b.post("/login", { username: "nobody", password: "Wrong1234" })).status).toBe(429)
    const c = await browserFrom("203.0.113.11")
    for (let i = 0; i < 9; i++) await c.post("/login", { username: "reviewer", password: "Wrong1234" })
    expect((await c.post("/login", { username: "reviewer", password: "Review1234" })).status).toBe(303)
    expect(await counter("reviewer", "203.0.113.11")).toBeUndefined()
  })
})

describe("the staff lock is kept in the database", () => {
  it("holds across a restart of the process (a second boot on the same data)", async () => {
    const dataDir = seededDataDir("signet-staff-lock-")
    const start = () => boot(loadConfig({ SIGNET_DATA_DIR: dataDir }))
    try {
      const first = await start()
      try {
        const b = new TestBrowser(first.admin, "203.0.113.50")
        await b.get("/login")
        for (let i = 0; i < 10; i++) await b.post("/login", { username: "reviewer", password: "Wrong1234" })
      } finally {
        await first.dispose()
      }
      const second = await start()
      try {
        const b = new TestBrowser(second.admin, "203.0.113.50")
        await b.get("/login")
        expect((await b.post("/login", { username: "reviewer", password: "Review1234" })).status).toBe(429)
      } finally {
        await second.dispose()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe("staff TOTP two-factor (X1)", () => {
  it("enrols from the QR/URI with a first code; then log-in needs the current code, refuses a wrong or replayed one", async () => {
    const staff = await newStaff("twofactor")
    const b = await browserFrom("192.0.2.20")
    expect((await b.post("/login", { username: "twofactor", password: "Review1234" })).status).toBe(303)
    const home = await b.get("/")
    expect(home.html).toContain("尚未绑定身份验证器")

    const page = await b.get("/account/totp")
    expect(page.status).toBe(200)
    const direct = await app.admin.request("http://localhost/account/totp", { headers: { cookie: `signet_admin=${b.cookies.get("signet_admin")}` } })
    expect(direct.headers.get("cache-control")).toBe("no-store")
    expect(page.html).toContain("<svg")
    const uri = page.html.match(/class="totp-uri">([^<]+)</)?.[1]?.replaceAll("&amp;", "&")
    expect(uri).toMatch(/^otpauth:\/\/totp\/.+:twofactor\?secret=[A-Z2-7]{32}&issuer=.+&algorithm=SHA1&digits=6&period=30$/)
    const secret = secretOf(uri!)
    // A reload shows the same secret (what was scanned stays valid until confirmed).
    expect((await b.get("/account/totp")).html).toContain(uri!.replaceAll("&", "&amp;"))
    // The secret is stored sealed (AES-GCM JSON under the master key), never in clear.
    const stored = await app.run(StaffSecurity.use((s) => s.totpOf(staff.id)).pipe(Effect.orDie))
    expect(JSON.parse(stored.pending!)).toMatchObject({ type: "secret", iv: expect.any(String), tag: expect.any(String) })
    expect(stored.pending).not.toContain(Buffer.from(secret).toString("base64"))
    expect(stored.pending).not.toContain(uri!.match(/secret=([A-Z2-7]+)/)![1])

    // Codes of steps counted from the step now (30 s each; one step either side is accepted).
    const now = stepNow()
    const wrong = await b.post("/account/totp", { code: codeAtStep(secret, now + 5) })
    expect(wrong.status).toBe(422)
    expect(fieldError(wrong.html, "code")).toBe("验证码不正确，请输入验证器上当前显示的 6 位数字")
    // Typed as the app shows it, "123 456".
    const confirmed = await b.post("/account/totp", { code: codeAtStep(secret, now).replace(/^(\d{3})/, "$1 ") })
    expect([confirmed.status, confirmed.location]).toEqual([303, "/account/totp"])
    expect((await b.get("/account/totp")).html).toContain("身份验证器已绑定")
    expect((await b.get("/")).html).not.toContain("尚未绑定身份验证器")
    const events = await app.run(EvidenceStore.use((e) => e.eventsOf(`staff:${staff.id}`)).pipe(Effect.orDie))
    expect(events.map((e) => e.type)).toContain("staff.totp_enrolled")
    expect(events.map((e) => e.body).join("\n")).not.toContain(uri!.match(/secret=([A-Z2-7]+)/)![1])
    await b.post("/logout", {})

    const c = await browserFrom("192.0.2.21")
    expect((await c.post("/login", { username: "twofactor", password: "Review1234" })).status).toBe(401)
    expect((await c.post("/login", { username: "twofactor", password: "Review1234", code: codeAtStep(secret, now + 4) })).status).toBe(401)
    // The enrolment's own code was used up: it opens no session.
    expect((await c.post("/login", { username: "twofactor", password: "Review1234", code: codeAtStep(secret, now) })).status).toBe(401)
    // A wrong password with the right code does not consume the code.
    const next = codeAtStep(secret, now + 1)
    expect((await c.post("/login", { username: "twofactor", password: "Wrong1234", code: next })).status).toBe(401)
    const ok = await c.post("/login", { username: "twofactor", password: "Review1234", code: next })
    expect([ok.status, ok.location]).toEqual([303, "/"])
    // Replayed from elsewhere within its window: refused.
    const d = await browserFrom("192.0.2.22")
    const replay = await d.post("/login", { username: "twofactor", password: "Review1234", code: next })
    expect([replay.status, formError(replay.html)]).toEqual([401, "用户名、密码或动态验证码错误"])
    // Never shown again once enrolled.
    expect((await c.get("/account/totp")).html).not.toContain("otpauth://")
  })
})

describe("staff TOTP required (the production default)", () => {
  it("a staff member without an authenticator is sent to enrolment and can do nothing else until enrolled", async () => {
    const strict = await bootForTest({ SIGNET_STAFF_TOTP: "required" })
    try {
      const b = new TestBrowser(strict.admin)
      await b.get("/login")
      expect((await b.post("/login", { username: "reviewer", password: "Review1234" })).status).toBe(303)
      expect((await b.get("/")).location).toBe("/account/totp")
      expect((await b.get("/verifications")).location).toBe("/account/totp")
      const page = await b.get("/account/totp")
      expect(page.html).toContain("员工账户必须绑定身份验证器后才能使用运营后台")
      expect((await b.post("/orders/1000000000000000001/approve", {})).status).toBe(403)
      const uri = page.html.match(/class="totp-uri">([^<]+)</)![1]!.replaceAll("&amp;", "&")
      expect((await b.post("/account/totp", { code: codeFor(secretOf(uri)) })).status).toBe(303)
      expect((await b.get("/")).status).toBe(200)
    } finally {
      await strict.close()
    }
  })
})
