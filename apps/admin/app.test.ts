import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest } from "../../fixtures/boot.ts"
import { formError, TestBrowser } from "../../fixtures/browser.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

describe("admin app (X1)", () => {
  it("staff log in with their own account and see the dashboard", async () => {
    const b = new TestBrowser(app.admin)
    expect((await b.get("/")).location).toBe("/login")
    await b.get("/login")
    const bad = await b.post("/login", { username: "reviewer", password: "Wrong1234" })
    expect(formError(bad.html)).toBe("用户名、密码或动态验证码错误")
    const ok = await b.post("/login", { username: "reviewer", password: "Review1234" })
    expect([ok.status, ok.location]).toEqual([303, "/"])
    const home = await b.get("/")
    expect(home.html).toContain("审核员王五")
    expect(home.html).toContain("企业认证审核")
    await b.post("/logout", {})
    expect((await b.get("/")).location).toBe("/login")
  })

  it("users and staff never share sessions", async () => {
    const user = new TestBrowser(app.web)
    await user.get("/login")
    await user.post("/login", { mobile: "13800000001", password: "Demo1234" })
    const token = user.cookies.get("signet_session")!
    // A user's token under the admin cookie name opens nothing.
    const forged = new TestBrowser(app.admin)
    forged.cookies.set("signet_admin", token)
    expect((await forged.get("/")).location).toBe("/login")
    // A staff token in the portal is not a user session.
    const staff = new TestBrowser(app.admin)
    await staff.get("/login")
    await staff.post("/login", { username: "reviewer", password: "Review1234" })
    const portal = new TestBrowser(app.web)
    portal.cookies.set("signet_session", staff.cookies.get("signet_admin")!)
    expect((await portal.get("/account")).status).toBe(303)
    // A portal CSRF token is refused by the admin app.
    const mixed = new TestBrowser(app.admin)
    await mixed.get("/login")
    expect((await mixed.post("/login", { username: "reviewer", password: "Review1234", _csrf: user.csrf })).status).toBe(403)
  })
})
