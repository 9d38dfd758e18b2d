import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest } from "../../../fixtures/boot.ts"
import { fieldError } from "../../../fixtures/browser.ts"
import { syntheticPng, tinyPdf } from "../../../fixtures/verification/images.ts"
import { postMultipart } from "../../../fixtures/verification/multipart.ts"
import { enterpriseInfo, registerUser, verifyPersonally } from "../../../fixtures/verification/portal.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() }, 30_000)
afterAll(() => app.close())

const licence = { name: "licence.png", type: "image/png", bytes: syntheticPng(900, 640) }

describe("enterprise verification pages (V2, V3)", () => {
  it("needs personal verification first", async () => {
    const b = await registerUser(app, "13733330001")
    expect((await b.get("/verification/enterprise")).location).toBe("/verification/personal")
    expect((await postMultipart(app.web, b, "/verification/enterprise/info", enterpriseInfo("91440300MA5F6G7H8B"), { licence })).status).toBe(403)
  })

  it("bad input is explained next to the field and leaves the application as it was", async () => {
    const b = await registerUser(app, "13733330002")
    await verifyPersonally(app, b, { name: "陈静", idNumber: "330106199511110051", bankCard: "6258000012345678901", mobile: "13900000013" })
    await b.get("/verification/enterprise")
    const wrongDigit = await postMultipart(app.web, b, "/verification/enterprise/info", enterpriseInfo("91440300MA5F6G7H8C"), { licence })
    expect(wrongDigit.status).toBe(422)
    expect(fieldError(wrongDigit.html, "creditCode")).toBe("统一社会信用代码校验位不正确，请检查是否输错")
    expect(wrongDigit.html).toContain('value="杭州示例网络有限公司"')
    // The licence was kept for the next try (a hidden id), so it need not be chosen again.
    expect(wrongDigit.html).toMatch(/name="licenceId" value="\d{19}"/)
    const txt = await postMultipart(app.web, b, "/verification/enterprise/info", enterpriseInfo("91440300MA5F6G7H8B"), { licence: { name: "licence.png", type: "image/png", bytes: new TextEncoder().encode("plain text") } })
    expect(fieldError(txt.html, "licence")).toBe("照片仅限jpeg、jpg、png格式（所选文件的内容不是图片）")
    const seeded = await postMultipart(app.web, b, "/verification/enterprise/info", enterpriseInfo("91110108MA01A2B3CF"), { licence })
    expect(fieldError(seeded.html, "creditCode")).toBe("该统一社会信用代码的企业已完成认证，请联系该企业管理员")
    expect((await b.get("/verification/enterprise")).html).toContain("提交企业信息")
    expect((await b.get("/verification/enterprise")).html).not.toContain("下载授权书")

    expect((await postMultipart(app.web, b, "/verification/enterprise/info", enterpriseInfo("91440300MA5F6G7H8B"), { licence })).status).toBe(303)
    const step2 = await b.get("/verification/enterprise")
    const id = step2.html.match(/\/verification\/enterprise\/(\d{19})\/letter\.pdf/)![1]!
    const letter = await app.web.request(`http://localhost/verification/enterprise/${id}/letter.pdf`, { headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } })
    expect([letter.status, letter.headers.get("content-type")]).toEqual([200, "application/pdf"])
    const big = await postMultipart(app.web, b, `/verification/enterprise/${id}/letter`, {}, { letter: { name: "letter.png", type: "image/png", bytes: new Uint8Array(11 * 1024 * 1024).fill(0x25) } })
    expect(fieldError(big.html, "letter")).toBe("文件大小不能超过 10M（所选文件 11.0M）")
    // Submitting without a letter is refused; the application stays at step 2.
    const early = await b.post(`/verification/enterprise/${id}/submit`, {})
    expect(early.status).toBe(409)
    expect((await b.get("/verification/enterprise")).html).toContain("上传授权书")
    expect((await postMultipart(app.web, b, `/verification/enterprise/${id}/letter`, {}, { letter: { name: "letter.jpg", type: "image/jpeg", bytes: tinyPdf() } })).status).toBe(303)

    // Another verified user gets 404 for this application's letter and steps.
    const other = await registerUser(app, "13733330003")
    await verifyPersonally(app, other, { name: "赵敏", idNumber: "510107198802200044", bankCard: "6228480011223344554", mobile: "13900000012" })
    expect((await other.get(`/verification/enterprise/${id}/letter.pdf`)).status).toBe(404)
    await other.get("/verification/enterprise")
    expect((await other.post(`/verification/enterprise/${id}/submit`, {})).status).toBe(404)
    expect((await postMultipart(app.web, other, `/verification/enterprise/${id}/letter`, {}, { letter: { name: "l.pdf", type: "application/pdf", bytes: tinyPdf() } })).status).toBe(404)
    expect((await b.get("/verification/enterprise")).html).toContain("确认提交")

    // In review: 审核中, and no ✓ on 认证成功 until approved (issue 17); the home stepper says the same.
    const home = (await b.get("/")).html
    expect(home).toMatch(/<span>✓<\/span>个人实名认证/)
    expect(home).not.toMatch(/<span>✓<\/span>企业认证/)
    expect((await b.post(`/verification/enterprise/${id}/submit`, {})).status).toBe(303)
    const review = (await b.get("/verification/enterprise")).html
    expect(review).toContain("企业认证审核中")
    expect(review).not.toMatch(/✓<\/span>认证成功/)
    expect(review).toMatch(/<span class="dot">3<\/span>认证成功/)
    expect((await b.get("/")).html).toMatch(/<span>3<\/span>企业认证<small class="muted">（审核中）<\/small>/)
  })
})
