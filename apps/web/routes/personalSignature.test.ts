import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError } from "../../../fixtures/browser.ts"
import { signaturePng } from "../../../fixtures/organizations/sealWorld.ts"
import { demoEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { SealRepository } from "../../../core/ports/SealRepository.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
let demo: Awaited<ReturnType<typeof demoEnterprise>>
beforeAll(async () => {
  app = await bootForTest()
  demo = await demoEnterprise(app)
})
afterAll(() => app.close())

const BASE = "/account/signature"
const png = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)], { type: "image/png" })
const current = (userId: string) => app.run(SealRepository.use((r) => r.currentSignature(userId)))

describe("我的签名 routes (issue 17)", () => {
  it("a person uploads, generates a 个人名章 and deletes their own signature; bad files are refused next to the field; nobody else's is reachable", async () => {
    const wang = await logInAs(app, "13800000003", "Demo1234", BASE)
    const pdfAsPng = await wang.postMultipart(BASE, { image: new Blob([new TextEncoder().encode("%PDF-1.7\n")], { type: "image/png" }) }, "fake.png")
    expect(pdfAsPng.status).toBe(422)
    expect(fieldError(pdfAsPng.html, "image")).toBe("只支持 PNG 或 JPG 图片（按文件内容判断）")
    await wang.get(BASE)
    expect(fieldError((await wang.postMultipart(BASE, { drawn: "data:text/html;base64,PGI+" })).html, "image")).toBe("手写签名无法读取，请重写")
    await wang.get(BASE)
    expect(fieldError((await wang.postMultipart(BASE, {})).html, "image")).toBe("请上传签名图片，或在下方手写签名")

    await wang.get(BASE)
    expect((await wang.postMultipart(BASE, { image: png(signaturePng()) }, "signature.png")).location).toBe(`${BASE}?done=saved`)
    expect((await wang.get(BASE)).html).toContain("上传于")
    await wang.get(`${BASE}/image.png`)
    expect(Buffer.from(wang.lastBytes.subarray(1, 4)).toString()).toBe("PNG")
    await wang.get(BASE)
    expect((await wang.post(`${BASE}/stamp`, {})).location).toBe(`${BASE}?done=stamped`)
    expect(Option.getOrThrow(await current(demo.wang)).source).toBe("stamp")
    // The same signature 签名管理 shows to a signatory: one per person.
    expect((await wang.get(`/org/${demo.enterpriseId}/signatures`)).html).toContain("生成名章于")

    // 李四 (the seed drew one for him) gets his own at the same path: the routes take no user id.
    await wang.get(`${BASE}/image.png`)
    const wangs = Buffer.from(wang.lastBytes)
    const li = await logInAs(app, "13800000002", "Demo1234", BASE)
    await li.get(`${BASE}/image.png`)
    expect(Option.isSome(await current(demo.li))).toBe(true)
    expect(Buffer.from(li.lastBytes).equals(wangs)).toBe(false)

    await wang.get(BASE)
    expect((await wang.post(`${BASE}/delete`, {})).location).toBe(`${BASE}?done=deleted`)
    expect(Option.isNone(await current(demo.wang))).toBe(true)
    expect((await wang.get(`${BASE}/image.png`)).status).toBe(404)
    await wang.get(BASE)
    const again = await wang.post(`${BASE}/delete`, {})
    expect([again.status, formError(again.html)]).toEqual([404, "内容不存在或无权访问"])
  })
})
