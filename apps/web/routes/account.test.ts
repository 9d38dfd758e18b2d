import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { listAddresses } from "../../../core/accounts/addressBook.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import type { UserId } from "../../../core/kernel/Ids.ts"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, TestBrowser } from "../../../fixtures/browser.ts"
import { registerUser } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

const logIn = (mobile: string, password = "Demo1234") => logInAs(app, mobile, password, "/account")

const userId = (mobile: string) =>
  app.run(UserRepository.use((r) => r.findByMobile(mobile)).pipe(Effect.map((o) => (o._tag === "Some" ? o.value.id : "") as UserId)))

describe("my account (A3)", () => {
  it("edits the profile; bad e-mail is refused next to the field and nothing changes", async () => {
    // Not yet verified: the name is still the user's to change.
    const b = await registerUser(app, "13733330041")
    const bad = await b.post("/account/profile", { name: "李四四", email: "not-an-email" })
    expect(bad.status).toBe(422)
    expect(fieldError(bad.html, "email")).toBe("请输入正确的邮箱地址")
    expect((await b.get("/account")).html).not.toContain("李四四")
    const ok = await b.post("/account/profile", { name: "李四四", email: "lisi@example.cn" })
    expect(ok.location).toBe("/account?saved=1")
    const page = await b.get("/account?saved=1")
    expect(page.html).toContain("资料已保存")
    expect(page.html).toContain("lisi@example.cn")
  })

  it("the verified name is locked: 张三 cannot rename himself; his e-mail still changes (issue 17)", async () => {
    const b = await logIn("13800000001")
    const form = (await b.get("/account")).html
    expect(form).toMatch(/<input id="f-name" name="name" type="text" value="张三"[^>]*readonly/)
    const renamed = await b.post("/account/profile", { name: "张三丰", email: "" })
    expect(renamed.status).toBe(422)
    expect(fieldError(renamed.html, "name")).toBe("已完成实名认证，姓名不可修改（认证姓名：张三）")
    expect((await b.get("/account")).html).not.toContain("张三丰")
    expect((await b.post("/account/profile", { name: "张三", email: "zhangsan@example.cn" })).location).toBe("/account?saved=1")
  })

  it("changing the password needs the old one and ends every other session", async () => {
    const mobile = "13800000002"
    const here = await logIn(mobile)
    const elsewhere = await logIn(mobile)
    await here.get("/account/password")
    const wrongOld = await here.post("/account/password", { oldPassword: "Nope1234", newPassword: "NewPass123", confirmPassword: "NewPass123" })
    expect(fieldError(wrongOld.html, "oldPassword")).toBe("原密码不正确")
    const weak = await here.post("/account/password", { oldPassword: "Demo1234", newPassword: "short", confirmPassword: "short" })
    expect(fieldError(weak.html, "newPassword")).toBe("密码长度须为 6-16 位")
    const done = await here.post("/account/password", { oldPassword: "Demo1234", newPassword: "NewPass123", confirmPassword: "NewPass123" })
    expect(done.status).toBe(200)
    expect(done.html).toMatch(/其他 [1-9] 处登录已退出/)
    expect((await here.get("/account")).status).toBe(200)
    expect((await elsewhere.get("/account")).status).toBe(303)
    const again = new TestBrowser(app.web)
    await again.get("/login")
    expect((await again.post("/login", { mobile, password: "Demo1234" })).status).toBe(401)
    expect((await again.post("/login", { mobile, password: "NewPass123" })).status).toBe(303)
  })
})

describe("address book (A4)", () => {
  it("adds, makes default, edits and deletes; the first address is the default", async () => {
    const b = await logIn("13800000001")
    const id = await userId("13800000001")
    const before = await app.run(listAddresses(id))
    await b.get("/account/addresses")
    const bad = await b.post("/account/addresses", { recipient: "", mobile: "123", region: "北京", detail: "x" })
    expect(bad.status).toBe(422)
    expect(fieldError(bad.html, "mobile")).toBe("请输入正确的 11 位手机号码")
    expect(fieldError(bad.html, "recipient")).toBe("收货人长度须为 1-30 个字符")
    expect((await app.run(listAddresses(id))).length).toBe(before.length)
    const added = await b.post("/account/addresses", { recipient: "王五", mobile: "13912345678", region: "广东省 深圳市 南山区", detail: "科技园南区 1 栋", isDefault: "on" })
    expect(added.location).toBe("/account/addresses?done=added")
    const after = await app.run(listAddresses(id))
    expect(after.length).toBe(before.length + 1)
    expect(after[0]?.recipient).toBe("王五")
    expect(after.filter((a) => a.isDefault).length).toBe(1)
    const newId = after[0]!.id
    await b.get(`/account/addresses/${newId}/edit`)
    await b.post(`/account/addresses/${newId}`, { recipient: "王五", mobile: "13912345678", region: "广东省 深圳市 南山区", detail: "科技园南区 2 栋" })
    expect((await app.run(listAddresses(id))).find((a) => a.id === newId)?.detail).toBe("科技园南区 2 栋")
    await b.get("/account/addresses")
    await b.post(`/account/addresses/${newId}/delete`, {})
    const final = await app.run(listAddresses(id))
    expect(final.length).toBe(before.length)
    expect(final.filter((a) => a.isDefault).length).toBe(1)
  })

  it("another user's address ids are not found: nothing is shown or changed", async () => {
    const owner = await userId("13800000001")
    const victim = (await app.run(listAddresses(owner)))[0]!
    const intruder = new TestBrowser(app.web)
    await intruder.get("/register")
    // A fresh account of its own: log in as the other demo user.
    const other = await logIn("13800000002", "NewPass123").catch(() => logIn("13800000002"))
    for (const page of [`/account/addresses/${victim.id}/edit`]) expect((await other.get(page)).status).toBe(404)
    await other.get("/account/addresses")
    expect((await other.post(`/account/addresses/${victim.id}`, { recipient: "黑客", mobile: "13900000000", region: "某地 某区", detail: "某街道" })).status).toBe(404)
    expect((await other.post(`/account/addresses/${victim.id}/default`, {})).status).toBe(404)
    expect((await other.post(`/account/addresses/${victim.id}/delete`, {})).status).toBe(404)
    expect((await other.get("/account/addresses/not-an-id/edit")).status).toBe(404)
    const still = (await app.run(listAddresses(owner))).find((a) => a.id === victim.id)
    expect(still).toEqual(victim)
  })

  it("pages behind log-in send visitors to log in", async () => {
    const b = new TestBrowser(app.web)
    const r = await b.get("/account/addresses")
    expect([r.status, r.location]).toEqual([303, "/login?next=%2Faccount%2Faddresses"])
  })
})
