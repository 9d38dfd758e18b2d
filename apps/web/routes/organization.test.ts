import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest, createUser, lastCode, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError } from "../../../fixtures/browser.ts"
import { enterpriseOf, verifyUser } from "../../../fixtures/organizations.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 60_000)
afterAll(() => app.close())

/** A verified user with an account (and, for admins, an enterprise of their own). */
const verified = async (mobile: string, name: string) => {
  const user = await createUser(app, mobile, name)
  await app.run(verifyUser(user, name))
  return user
}
const logIn = (mobile: string) => logInAs(app, mobile, "Demo1234", "/org")

describe("enterprise workspace pages (E1-E4)", () => {
  it("members join by invitation, work within their rights, and a deactivated agent's next request is refused", async () => {
    const boss = await verified("13700000001", "钱一")
    const e = await app.run(enterpriseOf(boss, "钱氏科技有限公司"))
    const agent = await verified("13700000002", "钱二")
    await createUser(app, "13700000003", "钱三") // registered, not verified

    const admin = await logIn(boss.mobile)
    const info = await admin.get(`/org/${e.id}`)
    expect(info.status).toBe(200)
    expect(info.html).toContain("钱氏科技有限公司")
    expect(info.html).toContain("企业工作台")
    expect(info.html).toContain(`/org/${e.id}/handover`)
    expect((await admin.get("/org")).html).toContain(`href="/org/${e.id}"`)

    await admin.get(`/org/${e.id}/members`)
    const bad = await admin.post(`/org/${e.id}/members/invite`, { mobile: "1370000", branchId: e.id, department: "" })
    expect([bad.status, fieldError(bad.html, "mobile")]).toEqual([422, "请输入正确的 11 位手机号码"])
    const unverified = await admin.post(`/org/${e.id}/members/invite`, { mobile: "13700000003", branchId: e.id, department: "销售部" })
    expect(fieldError(unverified.html, "mobile")).toBe("该用户尚未完成个人实名认证，认证后才能加入企业")
    expect(unverified.html).toContain('value="销售部"')
    const sent = await admin.post(`/org/${e.id}/members/invite`, { mobile: agent.mobile, branchId: e.id, department: "销售部" })
    expect(sent.location).toBe(`/org/${e.id}/members?done=invited`)

    // Not a member yet: the workspace is "not found" for them.
    const b = await logIn(agent.mobile)
    expect((await b.get(`/org/${e.id}`)).status).toBe(404)
    const inbox = await b.get("/org")
    const invitation = inbox.html.match(/\/org\/invitations\/(\d{19})\/accept/)![1]!
    // Only the invitee can answer.
    expect((await admin.post(`/org/invitations/${invitation}/accept`, {})).status).toBe(404)
    expect((await b.post(`/org/invitations/${invitation}/accept`, {})).location).toBe(`/org/${e.id}?done=joined`)
    const members = await b.get(`/org/${e.id}/members`)
    expect(members.status).toBe(200)
    expect(members.html).toContain("钱二")
    expect(members.html).not.toContain("/deactivate") // an agent may not 注销 anyone
    expect((await b.post(`/org/${e.id}/branches`, { name: "北京分公司", parentId: e.id })).status).toBe(403)
    expect((await b.get(`/org/${e.id}/handover`)).status).toBe(403)
    expect((await b.post(`/org/${e.id}/members/${boss.id}/deactivate`, {})).status).toBe(403)
    // Issue 16 finding 2: an agent appoints no branch admin, himself least of all.
    expect((await b.post(`/org/${e.id}/branches/admins`, { mobile: agent.mobile, branchId: e.id, department: "" })).status).toBe(403)
    expect((await b.get(`/org/${e.id}/branches`)).html).not.toContain("设置分公司管理员")

    // 添加经办人并设置相关权限 (issue 17): the edit page shows the agent's permissions as checkboxes, all on by default;
    // only 发起签约 left on is stored and shown so.
    const edit = await admin.get(`/org/${e.id}/members/${agent.id}/edit`)
    for (const label of ["发起签约", "用印", "查看全部合同", "管理模板"]) expect(edit.html).toContain(label)
    // An invited agent has the defaults: all but 管理模板.
    expect(edit.html.match(/name="permissions" value="\w+" checked/g)?.length).toBe(3)
    expect(edit.html).not.toMatch(/value="templates" checked/)
    const saved = await admin.post(`/org/${e.id}/members/${agent.id}/edit`, {
      department: "销售部", roles: "agent", branchId: e.id, permissionsShown: "1", permissions: "initiate",
    })
    expect(saved.location).toBe(`/org/${e.id}/members?done=edited`)
    const after = (await admin.get(`/org/${e.id}/members/${agent.id}/edit`)).html
    expect(after.match(/name="permissions" value="(\w+)" checked/g)).toEqual(['name="permissions" value="initiate" checked'])

    await admin.get(`/org/${e.id}/members`)
    expect((await admin.post(`/org/${e.id}/members/${agent.id}/deactivate`, {})).location).toBe(`/org/${e.id}/members?done=deactivated`)
    // Same session, next request: refused.
    expect((await b.get(`/org/${e.id}`)).status).toBe(403)
    expect((await b.get(`/org/${e.id}/members`)).status).toBe(403)
    expect((await b.get("/org")).html).not.toContain(`href="/org/${e.id}"`)
    const gone = await admin.get(`/org/${e.id}/members`)
    expect(gone.html).toContain("已注销")
  }, 60_000)

  it("the other enterprise's ids are refused", async () => {
    const a = await verified("13700000011", "孙一")
    const b = await verified("13700000012", "孙二")
    const ea = await app.run(enterpriseOf(a, "孙甲有限公司"))
    const eb = await app.run(enterpriseOf(b, "孙乙有限公司"))
    const admin = await logIn(a.mobile)
    expect((await admin.get(`/org/${eb.id}`)).status).toBe(404)
    expect((await admin.get(`/org/${eb.id}/members`)).status).toBe(404)
    expect((await admin.post(`/org/${eb.id}/members/invite`, { mobile: b.mobile, branchId: eb.id, department: "" })).status).toBe(404)
    expect((await admin.post(`/org/${eb.id}/members/${b.id}/deactivate`, {})).status).toBe(404)
    // Through one's own enterprise: the other's member is not found, the other's branch neither.
    expect((await admin.post(`/org/${ea.id}/members/${b.id}/deactivate`, {})).status).toBe(404)
    expect((await admin.get(`/org/${ea.id}/members/${b.id}/edit`)).status).toBe(404)
    await admin.get(`/org/${ea.id}/branches`)
    const foreign = await admin.post(`/org/${ea.id}/branches`, { name: "孙分公司", parentId: eb.id })
    expect(foreign.status).toBe(404)
    // Logged out: to the log-in page.
    const anon = await logIn(b.mobile)
    await anon.post("/logout", {})
    expect((await anon.get(`/org/${eb.id}`)).location).toContain("/login")
  }, 60_000)

  it("撤回: the admin withdraws a pending invitation from the members page; the invitee's inbox empties; another enterprise's admin gets 404", async () => {
    const boss = await verified("13700000041", "周一")
    const e = await app.run(enterpriseOf(boss, "周氏科技有限公司"))
    const invitee = await verified("13700000042", "周二")
    const outsider = await verified("13700000043", "周三")
    await app.run(enterpriseOf(outsider, "周外有限公司"))
    const admin = await logIn(boss.mobile)
    await admin.get(`/org/${e.id}/members`)
    expect((await admin.post(`/org/${e.id}/members/invite`, { mobile: invitee.mobile, branchId: e.id, department: "" })).location).toBe(`/org/${e.id}/members?done=invited`)
    const page = await admin.get(`/org/${e.id}/members`)
    const action = page.html.match(new RegExp(`/org/${e.id}/invitations/(\\d{19})/withdraw`))
    expect(action).not.toBeNull()
    expect(page.html).toContain("周二（13700000042） · 经办人")
    const b = await logIn(invitee.mobile)
    expect((await b.get("/org")).html).toContain(`/org/invitations/${action![1]}/accept`)

    // The outsider: not a member of this enterprise, and the invitation is not theirs to find under their own.
    const other = await logIn(outsider.mobile)
    await other.get("/org")
    expect((await other.post(`${action![0]}`, { back: "members" })).status).toBe(404)
    const bad = await admin.post(`/org/${e.id}/invitations/${action![1]}/withdraw`, { back: "elsewhere" })
    expect([bad.status, formError(bad.html)]).toEqual([400, "请求无效，请刷新页面后重试"])

    const done = await admin.post(`/org/${e.id}/invitations/${action![1]}/withdraw`, { back: "members" })
    expect(done.location).toBe(`/org/${e.id}/members?done=withdrawn`)
    expect((await admin.get(done.location!)).html).toContain("邀请已撤回")
    expect((await b.get("/org")).html).not.toContain(`/org/invitations/${action![1]}/accept`)
    const again = await admin.post(`/org/${e.id}/invitations/${action![1]}/withdraw`, { back: "members" })
    expect([again.status, formError(again.html)]).toEqual([409, "该邀请已处理（已接受、已拒绝、已撤回或已过期）"])
  }, 60_000)

  it("branches and a handover in three steps: the old admin stays admin until the new one accepts", async () => {
    const boss = await verified("13700000021", "周一")
    const next = await verified("13700000022", "周二")
    const e = await app.run(enterpriseOf(boss, "周氏贸易有限公司"))
    const admin = await logIn(boss.mobile)
    await admin.get(`/org/${e.id}/branches`)
    expect((await admin.post(`/org/${e.id}/branches`, { name: "上海分公司", parentId: e.id })).location).toBe(`/org/${e.id}/branches?done=branch`)
    expect((await admin.post(`/org/${e.id}/branches`, { name: "上海分公司", parentId: e.id })).html).toContain("已有同名的分公司")
    expect((await admin.get(`/org/${e.id}/branches`)).html).toContain("上海分公司")

    await admin.get(`/org/${e.id}/handover`)
    expect((await admin.post(`/org/${e.id}/handover/code`, { mobile: next.mobile })).html).toContain("验证码已发送至管理员手机")
    const wrong = await admin.post(`/org/${e.id}/handover`, { mobile: next.mobile, code: "000000" })
    expect(fieldError(wrong.html, "code")).toMatch(/验证码错误/)
    const sent = await admin.post(`/org/${e.id}/handover`, { mobile: next.mobile, code: await lastCode(app, boss.mobile) })
    expect(sent.location).toBe(`/org/${e.id}/handover?done=requested`)
    expect((await admin.get(`/org/${e.id}/handover`)).html).toContain("已发送信息给新管理员")
    // Still the admin: may create branches.
    expect((await admin.post(`/org/${e.id}/branches`, { name: "广州分公司", parentId: e.id })).status).toBe(303)

    const n = await logIn(next.mobile)
    const link = (await n.get("/org")).html.match(/\/org\/handovers\/(\d{19})/)![0]
    const page = await n.get(link)
    expect(page.html).toContain("接任企业管理员")
    expect((await admin.get(link)).status).toBe(404)
    expect((await n.post(`${link}/accept`, {})).location).toBe(`/org/${e.id}?done=admin`)
    expect((await n.get(`/org/${e.id}/handover`)).status).toBe(200)
    expect((await admin.get(`/org/${e.id}/handover`)).status).toBe(403)
    expect((await admin.get(`/org/${e.id}`)).html).toContain("经办人")
    expect(formError((await n.post(`${link}/accept`, {})).html)).toBe("该请求已失效（已接受、已撤销或已过期）")
  }, 60_000)
})
