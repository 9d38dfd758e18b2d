import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError } from "../../../fixtures/browser.ts"
import { signaturePng } from "../../../fixtures/organizations/sealWorld.ts"
import { demoEnterprise, join, otherEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { orgScope } from "../../../core/organizations/orgScope.ts"
import { delegateSignature } from "../../../core/seals/delegation.ts"
import { saveSignature } from "../../../core/seals/signatures.ts"
import { SealRepository } from "../../../core/ports/SealRepository.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
let demo: Awaited<ReturnType<typeof demoEnterprise>>
let other: Awaited<ReturnType<typeof otherEnterprise>> & { readonly delegationId: string }
beforeAll(async () => {
  app = await bootForTest()
  demo = await demoEnterprise(app)
  const o = await otherEnterprise(app, "13900000031")
  // In the other enterprise 王小明 is a signatory too, with a delegation to its admin.
  await join(app, o.enterpriseId, demo.wang, ["signatory"])
  await join(app, o.enterpriseId, demo.li, ["agent"])
  const delegationId = await app.run(Effect.gen(function*() {
    const scope = yield* orgScope(demo.wang, o.enterpriseId)
    yield* saveSignature(scope, signaturePng(), "uploaded")
    return (yield* delegateSignature(scope, { agentUserId: demo.li, branchId: null, validFrom: null, validUntil: null })).id
  }))
  other = { ...o, delegationId }
})
afterAll(() => app.close())

const base = () => `/org/${demo.enterpriseId}/signatures`
const png = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)], { type: "image/png" })
const delegations = () => app.run(SealRepository.use((r) => r.delegationsOf(demo.enterpriseId, demo.wang)))

describe("签名管理 routes (E6, E7)", () => {
  it("a signatory uploads, then draws, a signature; its image is served to them only", async () => {
    const wang = await logInAs(app, "13800000003", "Demo1234", base())
    const up = await wang.postMultipart(base(), { image: png(signaturePng()) }, "signature.png")
    expect(up.location).toBe(`${base()}?done=saved`)
    await wang.get(`${base()}/image.png`)
    expect(Buffer.from(wang.lastBytes.subarray(1, 4)).toString()).toBe("PNG")
    await wang.get(base())
    const drawn = `data:image/png;base64,${Buffer.from(signaturePng(600, 200)).toString("base64")}`
    expect((await wang.postMultipart(base(), { drawn })).location).toBe(`${base()}?done=saved`)
    expect((await wang.get(base())).html).toContain("手写于")
    const current = await app.run(Effect.map(SealRepository.use((r) => r.currentSignature(demo.wang)), Option.getOrThrow))
    expect([current.source, current.imageWidth > 300]).toEqual(["drawn", true])

    const broken = await wang.postMultipart(base(), { drawn: "data:image/png;base64,AAAA" })
    expect(broken.status).toBe(422)
    expect(fieldError(broken.html, "image")).toBe("只支持 PNG 或 JPG 图片（按文件内容判断）")
    const notPng = await wang.postMultipart(base(), { drawn: "data:text/html;base64,PGI+" })
    expect(fieldError(notPng.html, "image")).toBe("手写签名无法读取，请重写")

    // 李四 is not a signatory: no signature of their own, and 王小明's image is not theirs to fetch.
    const li = await logInAs(app, "13800000002", "Demo1234", base())
    expect((await li.get(`${base()}/image.png`)).status).toBe(404)
    const refused = await li.postMultipart(base(), { image: png(signaturePng()) }, "signature.png")
    expect(refused.status).toBe(403)
    expect(formError(refused.html)).toBe("您没有此操作的权限")
  })

  it("delegates to an agent with a window and a scope, refuses bad windows and non-agents, and revokes", async () => {
    const wang = await logInAs(app, "13800000003", "Demo1234", base())
    await wang.postMultipart(base(), { image: png(signaturePng()) }, "signature.png")
    await wang.get(base())
    const before = (await delegations()).length
    const past = await wang.post(`${base()}/delegations`, { agentUserId: demo.li, scope: "all", validFrom: "", validUntil: "2020-01-01T00:00" })
    expect(past.status).toBe(422)
    expect(fieldError(past.html, "validUntil")).toBe("截止时间须晚于开始时间，且晚于现在")
    expect(past.html).toContain('value="2020-01-01T00:00"')
    const admin = await wang.post(`${base()}/delegations`, { agentUserId: demo.zhang, scope: "all", validFrom: "", validUntil: "" })
    expect(fieldError(admin.html, "agentUserId")).toBe("只能授权给本企业在职的其他经办人")
    const badDate = await wang.post(`${base()}/delegations`, { agentUserId: demo.li, scope: "all", validFrom: "tomorrow", validUntil: "" })
    expect(fieldError(badDate.html, "validFrom")).toBe("请选择正确的日期和时间")
    expect((await delegations()).length).toBe(before)

    const ok = await wang.post(`${base()}/delegations`, { agentUserId: demo.li, scope: demo.enterpriseId, validFrom: "", validUntil: "2099-12-31T18:00" })
    expect(ok.location).toBe(`${base()}?done=delegated`)
    const [made] = await delegations()
    expect([made!.agentUserId, made!.branchId, made!.validUntil]).toEqual([demo.li, demo.enterpriseId, Date.parse("2099-12-31T18:00:00+08:00")])
    const li = await logInAs(app, "13800000002", "Demo1234", base())
    const toMe = (await li.get(base())).html
    expect(toMe).toContain("授权给我的签名")
    expect(toMe).toContain("王小明")

    await wang.get(base())
    expect((await wang.post(`${base()}/delegations/${made!.id}/revoke`, {})).location).toBe(`${base()}?done=revoked`)
    expect((await delegations())[0]!.revokedAt).not.toBeNull()
    expect((await wang.get(base())).html).toContain("已撤销")
  })

  it("the other enterprise's delegation id is not found from here, and stays live", async () => {
    const wang = await logInAs(app, "13800000003", "Demo1234", base())
    const r = await wang.post(`${base()}/delegations/${other.delegationId}/revoke`, {})
    expect(r.status).toBe(404)
    const theirs = await app.run(SealRepository.use((repo) => repo.delegationsOf(other.enterpriseId, demo.wang)))
    expect(theirs.map((d) => [d.id, d.revokedAt])).toEqual([[other.delegationId, null]])
  })

  it("deleting the signature removes its image", async () => {
    const wang = await logInAs(app, "13800000003", "Demo1234", base())
    await wang.postMultipart(base(), { image: png(signaturePng()) }, "signature.png")
    await wang.get(base())
    expect((await wang.post(`${base()}/delete`, {})).location).toBe(`${base()}?done=deleted`)
    expect((await wang.get(`${base()}/image.png`)).status).toBe(404)
    expect((await wang.get(base())).html).toContain("尚未设置签名")
  })
})
