import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError } from "../../../fixtures/browser.ts"
import { signaturePng } from "../../../fixtures/organizations/sealWorld.ts"
import { demoEnterprise, otherEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { tinyPdf } from "../../../fixtures/verification/images.ts"
import { SealRepository } from "../../../core/ports/SealRepository.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
let demo: Awaited<ReturnType<typeof demoEnterprise>>
let other: Awaited<ReturnType<typeof otherEnterprise>>
beforeAll(async () => {
  app = await bootForTest()
  demo = await demoEnterprise(app)
  other = await otherEnterprise(app, "13900000021")
})
afterAll(() => app.close())

const base = () => `/org/${demo.enterpriseId}/seals`
const sealCount = () => app.run(SealRepository.use((r) => r.seals(demo.enterpriseId))).then((s) => s.length)
const png = (bytes: Uint8Array, type = "image/png") => new Blob([new Uint8Array(bytes)], { type })

describe("印章管理 routes (E5, E7)", () => {
  it("the admin adds a generated seal: its page shows the certificate, its image is a PNG; authorizing and disabling show in the list", async () => {
    const zhang = await logInAs(app, "13800000001", "Demo1234", base())
    const list = await zhang.get(base())
    expect(list.status).toBe(200)
    expect(list.html).toContain("添加印章")
    const created = await zhang.postMultipart(base(), { type: "contract", name: "合同专用章", branchId: demo.enterpriseId, source: "generate" })
    expect(created.status).toBe(303)
    const sealPath = created.location!.replace(/\?.*$/, "")
    expect(sealPath).toMatch(new RegExp(`^${base()}/\\d{19}$`))
    const page = await zhang.get(created.location!)
    expect(page.html).toContain("印章已添加，已为其签发企业证书")
    expect(page.html).toMatch(/证书序列号<\/dt><dd class="mono">[0-9a-f]{16,}</)
    // Issue 16: the seal's log says who made it (only the admin makes seals).
    expect(page.html).toMatch(/<p class="seal-created">[^<]*由 张三 创建/)
    await zhang.get(`${sealPath}/image.png`)
    expect(Buffer.from(zhang.lastBytes.subarray(1, 4)).toString()).toBe("PNG")

    await zhang.get(sealPath)
    expect((await zhang.post(`${sealPath}/grants`, { userId: demo.li })).location).toBe(`${sealPath}?done=authorized`)
    expect((await zhang.post(`${sealPath}/disable`, {})).location).toBe(`${sealPath}?done=disabled`)
    const after = await zhang.get(base())
    const row = after.html.slice(after.html.indexOf(sealPath))
    expect(row).toContain("李四")
    expect(row).toContain("停用")
    // 王小明 is a signatory: seals are not theirs to use, so they cannot be authorized.
    const refused = await zhang.post(`${sealPath}/grants`, { userId: demo.wang })
    expect(refused.status).toBe(422)
    expect(fieldError(refused.html, "userId")).toContain("不能被授权")
  })

  it("an uploaded seal image is cleaned; a PDF, a missing file or a bad name is refused with the message next to its field and nothing is added", async () => {
    const zhang = await logInAs(app, "13800000001", "Demo1234", base())
    const before = await sealCount()
    const up = await zhang.postMultipart(base(), { type: "finance", name: "财务专用章", branchId: demo.enterpriseId, source: "upload", image: png(signaturePng(400, 400)) }, "seal.png")
    expect(up.status).toBe(303)
    expect(await sealCount()).toBe(before + 1)

    await zhang.get(base())
    const pdf = await zhang.postMultipart(base(), { type: "finance", name: "财务专用章", branchId: demo.enterpriseId, source: "upload", image: png(tinyPdf(), "image/png") }, "fake.png")
    expect(pdf.status).toBe(422)
    expect(fieldError(pdf.html, "image")).toBe("只支持 PNG 或 JPG 图片（按文件内容判断）")
    const none = await zhang.postMultipart(base(), { type: "finance", name: "财务专用章", branchId: demo.enterpriseId, source: "upload" })
    expect(fieldError(none.html, "image")).toBe("请选择印章图片文件")
    const badName = await zhang.postMultipart(base(), { type: "hr", name: " ", branchId: demo.enterpriseId, source: "generate" })
    expect(badName.status).toBe(422)
    expect(fieldError(badName.html, "name")).toBe("印章名称前后不能有空格")
    expect(badName.html).toMatch(/<option value="hr" selected="">人事专用章/)
    const legalRep = await zhang.postMultipart(base(), { type: "legalRep", name: "法定代表人章", branchId: demo.enterpriseId, source: "generate" })
    expect(fieldError(legalRep.html, "source")).toBe("法定代表人章请上传印章图片")
    expect(await sealCount()).toBe(before + 1)
  })

  it("an agent sees the seals but cannot add one; a non-member gets 404", async () => {
    const li = await logInAs(app, "13800000002", "Demo1234", base())
    const page = await li.get(base())
    expect(page.status).toBe(200)
    expect(page.html).not.toContain("添加印章</h2>")
    const before = await sealCount()
    const refused = await li.postMultipart(base(), { type: "contract", name: "合同专用章", branchId: demo.enterpriseId, source: "generate" })
    expect(refused.status).toBe(403)
    expect(formError(refused.html)).toBe("您没有此操作的权限")
    expect(await sealCount()).toBe(before)
    const outsider = await logInAs(app, "13900000021", "Demo1234", `/org/${other.enterpriseId}/seals`)
    expect((await outsider.get(base())).status).toBe(404)
  })

  it("the other enterprise's seal ids are refused (404) for every route and nothing changes", async () => {
    const zhang = await logInAs(app, "13800000001", "Demo1234", base())
    const theirs = `${base()}/${other.sealId}`
    expect((await zhang.get(theirs)).status).toBe(404)
    expect((await zhang.get(`${theirs}/image.png`)).status).toBe(404)
    await zhang.get(base())
    for (const action of ["disable", "enable"]) expect((await zhang.post(`${theirs}/${action}`, {})).status).toBe(404)
    expect((await zhang.post(`${theirs}/grants`, { userId: demo.li })).status).toBe(404)
    expect((await zhang.post(`${theirs}/grants/${other.admin}/revoke`, {})).status).toBe(404)
    // Their enterprise's own path is closed to a non-member.
    expect((await zhang.get(`/org/${other.enterpriseId}/seals/${other.sealId}`)).status).toBe(404)
    const seal = await app.run(Effect.map(SealRepository.use((r) => r.findSeal(other.enterpriseId, other.sealId)), Option.getOrThrow))
    expect(seal.enabled).toBe(true)
    expect(await app.run(SealRepository.use((r) => r.grants(other.sealId)))).toEqual([])
  })

  it("a POST without the CSRF token is refused and adds nothing", async () => {
    const zhang = await logInAs(app, "13800000001", "Demo1234", base())
    const before = await sealCount()
    zhang.csrf = "forged"
    expect((await zhang.postMultipart(base(), { type: "contract", name: "合同专用章", branchId: demo.enterpriseId, source: "generate" })).status).toBe(403)
    expect(await sealCount()).toBe(before)
  })
})
