import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { sendCode } from "../../../core/otp/sendCode.ts"
import type { Mobile } from "../../../core/kernel/Mobile.ts"
import { Database } from "../../../adapters/sql/Database.ts"
import { bootForTest, createUser, lastCode, outboxCount } from "../../../fixtures/boot.ts"
import { fieldError, formError, TestBrowser } from "../../../fixtures/browser.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

let serial = 0
const freshMobile = () => `1370000${String(1000 + ++serial).slice(-4)}`
const exists = (mobile: string) => app.run(UserRepository.use((r) => r.findByMobile(mobile)).pipe(Effect.map(Option.isSome)))

const startRegister = async (mobile: string) => {
  const b = new TestBrowser(app.web)
  await b.get("/register")
  const sent = await b.post("/register/code", { mobile }, { "hx-request": "true" })
  return { b, sent }
}

describe("register (A1) through the portal", () => {
  it("registers, lands logged in, and the code fragment says it was sent", async () => {
    const mobile = freshMobile()
    const { b, sent } = await startRegister(mobile)
    expect(sent.status).toBe(200)
    expect(sent.html).toContain("验证码已发送")
    expect(sent.html).toContain('data-cooldown="60"')
    const code = await lastCode(app, mobile)
    const done = await b.post("/register", { mobile, code, password: "abc12345", confirmPassword: "abc12345" })
    expect([done.status, done.location]).toEqual([303, "/welcome"])
    expect((await b.get("/welcome")).html).toContain(`您的账户是：<strong>${mobile}</strong>`)
    expect((await b.get("/")).html).toContain("个人工作台")
    expect(await exists(mobile)).toBe(true)
  })

  const refusals: ReadonlyArray<[string, (m: string, b: TestBrowser) => Promise<Record<string, string>>, string, string]> = [
    ["an invalid mobile", async () => ({ mobile: "12345", code: "123456", password: "abc12345", confirmPassword: "abc12345" }), "mobile", "请输入正确的 11 位手机号码"],
    ["a password without digits", async (m) => ({ mobile: m, code: "123456", password: "abcdefgh", confirmPassword: "abcdefgh" }), "password", "密码必须包含数字"],
    ["a too short password", async (m) => ({ mobile: m, code: "123456", password: "a1", confirmPassword: "a1" }), "password", "密码长度须为 6-16 位"],
    ["mismatched confirmation", async (m) => ({ mobile: m, code: "123456", password: "abc12345", confirmPassword: "abc12346" }), "confirmPassword", "两次输入的密码不一致"],
    ["no code requested", async (m) => ({ mobile: m, code: "123456", password: "abc12345", confirmPassword: "abc12345" }), "code", "请先获取验证码"],
    ["a wrong code", async (m, b) => {
      await b.post("/register/code", { mobile: m }, { "hx-request": "true" })
      const code = await lastCode(app, m)
      return { mobile: m, code: code === "000000" ? "111111" : "000000", password: "abc12345", confirmPassword: "abc12345" }
    }, "code", "验证码错误，还可尝试 4 次"],
    ["an expired code", async (m, b) => {
      await b.post("/register/code", { mobile: m }, { "hx-request": "true" })
      const code = await lastCode(app, m)
      await app.run(Database.use(({ db }) => Effect.promise(() => db.updateTable("otp_challenges").set({ expires_at: Date.now() - 1 }).where("mobile", "=", m).execute())))
      return { mobile: m, code, password: "abc12345", confirmPassword: "abc12345" }
    }, "code", "验证码已过期（有效期 5 分钟），请重新获取"],
    // A code sent for something else gets the answer any guess would (no oracle).
    ["a code sent for log-in", async (m) => {
      await app.run(sendCode(m as Mobile, "login"))
      return { mobile: m, code: await lastCode(app, m), password: "abc12345", confirmPassword: "abc12345" }
    }, "code", "请先获取验证码"],
    ["a number already registered", async () => ({ mobile: "13800000001", code: "123456", password: "abc12345", confirmPassword: "abc12345" }), "mobile", "该手机号已注册，请直接登录"],
  ]

  for (const [what, form, field, message] of refusals) {
    it(`refuses ${what} next to the field and creates nothing`, async () => {
      const mobile = freshMobile()
      const b = new TestBrowser(app.web)
      await b.get("/register")
      const data = await form(mobile, b)
      const before = await exists(data.mobile!)
      const page = await b.post("/register", data)
      expect(page.status).toBeGreaterThanOrEqual(400)
      expect(fieldError(page.html, field)).toBe(message)
      expect(page.html).toContain(`value="${data.mobile}"`) // what was typed is kept
      expect(await exists(data.mobile!)).toBe(before)
    })
  }

  it("a registered number is told so when asking for a code, and nothing is texted", async () => {
    const before = await outboxCount(app, "13800000001")
    const { sent } = await startRegister("13800000001")
    expect(sent.status).toBe(409)
    expect(sent.html).toContain("该手机号已注册，请直接登录")
    expect(await outboxCount(app, "13800000001")).toBe(before)
  })

  it("a second send within 60 s is refused with the wait time", async () => {
    const mobile = freshMobile()
    const { b } = await startRegister(mobile)
    const again = await b.post("/register/code", { mobile }, { "hx-request": "true" })
    expect(again.status).toBe(429)
    expect(again.html).toMatch(/验证码发送过于频繁，请 (60|59|58) 秒后再试/)
    expect(again.html).toMatch(/data-cooldown="(60|59|58)"/)
    expect(await outboxCount(app, mobile)).toBe(1)
  })

  it("the 6th try after five wrong codes is locked, even with the right code", async () => {
    const mobile = freshMobile()
    const { b } = await startRegister(mobile)
    const code = await lastCode(app, mobile)
    const wrong = code === "000000" ? "111111" : "000000"
    const messages: Array<string | null> = []
    for (let i = 0; i < 5; i++) {
      const p = await b.post("/register", { mobile, code: wrong, password: "abc12345", confirmPassword: "abc12345" })
      messages.push(fieldError(p.html, "code"))
    }
    expect(messages).toEqual(["验证码错误，还可尝试 4 次", "验证码错误，还可尝试 3 次", "验证码错误，还可尝试 2 次", "验证码错误，还可尝试 1 次", "验证码错误，已无剩余次数，请重新获取"])
    const sixth = await b.post("/register", { mobile, code, password: "abc12345", confirmPassword: "abc12345" })
    expect(fieldError(sixth.html, "code")).toBe("验证码错误次数过多，已失效，请重新获取")
    expect(await exists(mobile)).toBe(false)
  })
})

describe("log-in (A2), sessions and CSRF", () => {
  it("logs in with the demo account, rotating the session; logs out", async () => {
    const b = new TestBrowser(app.web)
    await b.get("/login")
    const anon = b.cookies.get("signet_session_anon")
    expect(anon).toBeDefined()
    const ok = await b.post("/login", { mobile: "13800000001", password: "Demo1234", next: "/account" })
    expect([ok.status, ok.location]).toEqual([303, "/account"])
    const first = b.cookies.get("signet_session")!
    expect(b.cookies.has("signet_session_anon")).toBe(false)
    expect((await b.get("/account")).html).toContain("13800000001")
    // Logging in again replaces the session; the old token no longer works.
    await b.get("/login?x")
    await b.post("/login", { mobile: "13800000001", password: "Demo1234" })
    const second = b.cookies.get("signet_session")!
    expect(second).not.toBe(first)
    const stale = new TestBrowser(app.web)
    stale.cookies.set("signet_session", first)
    expect((await stale.get("/account")).status).toBe(303)
    await b.get("/")
    const out = await b.post("/logout", {})
    expect([out.status, out.location]).toEqual([303, "/login"])
    expect((await b.get("/account")).status).toBe(303)
  })

  it("a wrong password and an unknown number get the same answer", async () => {
    const b = new TestBrowser(app.web)
    await b.get("/login")
    const wrong = await b.post("/login", { mobile: "13800000001", password: "Wrong123" })
    const unknown = await b.post("/login", { mobile: "13999999999", password: "Wrong123" })
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect(formError(wrong.html)).toBe("手机号或密码错误")
    expect(formError(unknown.html)).toBe("手机号或密码错误")
  })

  it("refuses a state change without the CSRF token, with another session's token, or from another origin", async () => {
    const b = new TestBrowser(app.web)
    await b.get("/login")
    expect((await b.post("/login", { mobile: "13800000001", password: "Demo1234", _csrf: "" })).status).toBe(403)
    const other = new TestBrowser(app.web)
    await other.get("/login")
    expect((await b.post("/login", { mobile: "13800000001", password: "Demo1234", _csrf: other.csrf })).status).toBe(403)
    expect((await b.post("/login", { mobile: "13800000001", password: "Demo1234" }, { origin: "http://evil.example" })).status).toBe(403)
    expect(b.cookies.has("signet_session")).toBe(false)
  })

  it("session cookies are HttpOnly and SameSite", async () => {
    const res = await app.web.request("http://localhost/login")
    const cookie = res.headers.getSetCookie().join("\n")
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
  })
})

describe("a locked account is locked (issue 16 finding 7)", () => {
  it("after ten wrong passwords the right one is refused; a code texted for unlocking lifts the lock", async () => {
    const mobile = "13700009001"
    await createUser(app, mobile, "锁定测试")
    const b = new TestBrowser(app.web)
    await b.get("/login")
    const answers: Array<number> = []
    for (let i = 0; i < 10; i++) answers.push((await b.post("/login", { mobile, password: `Wrong${i}23` })).status)
    const right = await b.post("/login", { mobile, password: "Demo1234" })
    expect(right.status).toBe(429)
    expect(answers).toEqual([...Array(9).fill(401), 429])
    expect(formError(right.html)).toMatch(/^该账户密码错误次数过多，已锁定至 .+，可通过短信验证码解锁$/)
    expect(right.html).toContain(`href="/login/unlock?mobile=${mobile}"`)
    expect(b.cookies.has("signet_session")).toBe(false)
    // Unlock: a code for unlocking (not any other code) lifts the lock; the password is still needed.
    await b.get(`/login/unlock?mobile=${mobile}`)
    const sent = await b.post("/login/unlock/code", { mobile }, { "hx-request": "true" })
    expect([sent.status, sent.html.includes("验证码已发送")]).toEqual([200, true])
    const code = await lastCode(app, mobile)
    const wrongCode = await b.post("/login/unlock", { mobile, code: code === "000000" ? "111111" : "000000" })
    expect(fieldError(wrongCode.html, "code")).toBe("验证码错误，还可尝试 4 次")
    expect((await b.post("/login", { mobile, password: "Demo1234" })).status).toBe(429)
    const unlocked = await b.post("/login/unlock", { mobile, code })
    expect([unlocked.status, unlocked.location]).toEqual([303, "/login?unlocked=1"])
    expect((await b.get("/login?unlocked=1")).html).toContain("账户已解锁，请使用密码登录")
    const ok = await b.post("/login", { mobile, password: "Demo1234" })
    expect([ok.status, ok.location]).toEqual([303, "/"])
  })

  it("an unknown number locks like a known one (no enumeration), and its unlock page says it has no account", async () => {
    const mobile = "13700009002"
    const b = new TestBrowser(app.web)
    await b.get("/login")
    for (let i = 0; i < 10; i++) await b.post("/login", { mobile, password: `Wrong${i}23` })
    expect(formError((await b.post("/login", { mobile, password: "Demo1234" })).html)).toMatch(/已锁定至/)
    await b.get(`/login/unlock?mobile=${mobile}`)
    const sent = await b.post("/login/unlock/code", { mobile }, { "hx-request": "true" })
    expect(sent.status).toBe(404)
    expect(await outboxCount(app, mobile)).toBe(0)
  })
})
