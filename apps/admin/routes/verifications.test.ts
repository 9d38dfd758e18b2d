import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest } from "../../../fixtures/boot.ts"
import { fieldError, TestBrowser } from "../../../fixtures/browser.ts"
import { postMultipart } from "../../../fixtures/verification/multipart.ts"
import { syntheticPng } from "../../../fixtures/verification/images.ts"
import { applyForEnterprise, registerUser, staffBrowser, verifyPersonally } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 30_000)
afterAll(() => app.close())

const wang = { name: "王小明", idNumber: "440305199208150034", bankCard: "6225880000111122224", mobile: "13900000011" }
const zhao = { name: "赵敏", idNumber: "510107198802200044", bankCard: "6228480011223344554", mobile: "13900000012" }

describe("enterprise verification review (X2, V4)", () => {
  it("reject with a listed reason, the applicant sees it and resubmits, approval makes them enterprise admin", async () => {
    const user = await registerUser(app, "13722220001")
    await verifyPersonally(app, user, wang)
    const id = await applyForEnterprise(app, user, "91330106MA2J8K9L0W")
    expect((await user.get("/verification/enterprise")).html).toContain("企业认证审核中")

    const staff = await staffBrowser(app)
    expect((await staff.get("/")).html).toMatch(/企业认证审核[\s\S]*?[1-9]\d* 待处理/)
    const queue = await staff.get("/verifications")
    expect(queue.html).toContain(`/verifications/${id}`)
    const detail = await staff.get(`/verifications/${id}`)
    expect(detail.html).toContain("杭州示例网络有限公司")
    expect(detail.html).toContain(wang.idNumber)
    const files = [...detail.html.matchAll(new RegExp(`/verifications/${id}/files/(\\d{19})`, "g"))].map((m) => m[1]!)
    // Every file of the application and its applicant's verification: the ID card now has both sides (issue 17).
    expect(new Set(files).size).toBe(4)
    for (const f of new Set(files)) expect((await staff.get(`/verifications/${id}/files/${f}`)).status).toBe(200)

    const noReason = await staff.post(`/verifications/${id}/reject`, { reason: "", note: "" })
    expect([noReason.status, fieldError(noReason.html, "reason")]).toEqual([422, "请选择驳回原因"])
    const other = await staff.post(`/verifications/${id}/reject`, { reason: "other", note: "" })
    expect(fieldError(other.html, "note")).toBe("选择“其他原因”时请填写说明")
    const rejected = await staff.post(`/verifications/${id}/reject`, { reason: "letter-not-stamped", note: "授权书缺少公章" })
    expect(rejected.location).toBe("/verifications?done=rejected")
    expect((await staff.get(`/verifications/${id}`)).html).toMatch(/审核员王五 · 驳回：授权书未加盖企业公章（授权书缺少公章）/)

    const seen = await user.get("/verification/enterprise")
    expect(seen.html).toContain("企业认证未通过：</strong>授权书未加盖企业公章")
    expect(seen.html).toContain("授权书缺少公章")
    const fixed = await postMultipart(app.web, user, `/verification/enterprise/${id}/letter`, {}, { letter: { name: "stamped.jpg", type: "image/png", bytes: syntheticPng(1240, 1754) } })
    expect(fixed.status).toBe(303)
    await user.get("/verification/enterprise")
    expect((await user.post(`/verification/enterprise/${id}/submit`, {})).status).toBe(303)
    expect((await staff.get("/verifications")).html).toContain("第 2 次提交")

    await staff.get(`/verifications/${id}`)
    expect((await staff.post(`/verifications/${id}/approve`, {})).location).toBe("/verifications?done=approved")
    expect((await staff.get("/verifications")).html).not.toContain(`/verifications/${id}"`)
    const done = await user.get("/verification/enterprise")
    expect(done.html).toContain("您已完成企业认证")
    expect(done.html).toContain("杭州示例网络有限公司")
    const log = (await staff.get(`/verifications/${id}`)).html
    expect(log).toMatch(/审核员王五 · 通过/)
  })

  it("users cannot reach the review app, other applicants' files or letters; staff see only an application's own files", async () => {
    const a = await registerUser(app, "13722220002")
    await verifyPersonally(app, a, zhao)
    const id = await applyForEnterprise(app, a, "91440300MA5F6G7H8B")
    const b = await registerUser(app, "13722220003")
    expect((await b.get(`/verification/enterprise/${id}/letter.pdf`)).status).toBe(303) // b is not verified: sent to V1 first
    const staff = await staffBrowser(app)
    const files = [...(await staff.get(`/verifications/${id}`)).html.matchAll(/\/files\/(\d{19})/g)].map((m) => m[1]!)
    for (const f of files) expect((await a.get(`/verification/files/${f}`)).status).toBe(200)
    for (const f of files) expect((await b.get(`/verification/files/${f}`)).status).toBe(404)
    // A real upload id under the wrong application is not served to staff either.
    expect((await staff.get(`/verifications/1000000000000000001/files/${files[0]}`)).status).toBe(404)
    const userAsStaff = new TestBrowser(app.admin)
    userAsStaff.cookies.set("signet_admin", a.cookies.get("signet_session")!)
    expect((await userAsStaff.get("/verifications")).location).toBe("/login")
    expect([401, 403]).toContain((await userAsStaff.post(`/verifications/${id}/approve`, {})).status)
    expect((await a.get("/verification/enterprise")).html).toContain("企业认证审核中")
  })
})
