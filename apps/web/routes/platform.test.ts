import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { EnterpriseRepository } from "../../../core/ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../../../core/ports/MembershipRepository.ts"
import { SealRepository } from "../../../core/ports/SealRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { demoProvider } from "../../platform/seedPlatform.ts"
import { DEV_PLATFORM_OWNER } from "../../platform/config.ts"
import { bootForTest, createUser, lastCode, logInAs, outboxCount } from "../../../fixtures/boot.ts"
import { fieldError, type TestBrowser } from "../../../fixtures/browser.ts"
import { addMember } from "../../../fixtures/contractEnterprises.ts"
import { otherEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { pdfsig } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
let ids: { owner: string; provider: string; li: string; wang: string; sun: string; shanghai: string; ownerSeal: string; providerSeal: string }
beforeAll(async () => {
  app = await bootForTest()
  ids = await app.run(Effect.gen(function*() {
    const enterprises = yield* EnterpriseRepository
    const users = yield* UserRepository
    const owner = Option.getOrThrow(yield* enterprises.findByCreditCode(DEV_PLATFORM_OWNER))
    const provider = Option.getOrThrow(yield* enterprises.findByCreditCode(demoProvider.creditCode))
    const user = (mobile: string) => Effect.map(users.findByMobile(mobile), (u) => Option.getOrThrow(u).id as string)
    const seal = (eid: string) => Effect.map(SealRepository.use((r) => r.seals(eid)), (s) => s.find((x) => x.type === "contract")!.id as string)
    const shanghai = (yield* MembershipRepository.use((r) => r.branches(owner.id))).find((b) => b.name === "上海分公司")!.id as string
    return {
      owner: owner.id as string, provider: provider.id as string, li: yield* user("13800000002"), wang: yield* user("13800000003"),
      sun: yield* user(demoProvider.signatory.mobile), shanghai, ownerSeal: yield* seal(owner.id), providerSeal: yield* seal(provider.id),
    }
  }))
}, 120_000)
afterAll(() => app.close())

const logIn = (mobile: string) => logInAs(app, mobile, "Demo1234", "/contracts")
const inAMonth = () => new Date(Date.now() + 30 * 24 * 3600_000).toISOString().slice(0, 10)
const pdfFile = async () => new Blob([new Uint8Array(await classicPdf(1, "Partner agreement"))], { type: "application/pdf" })
const rowsOf = (html: string) => [...html.matchAll(/<td data-label="签约编号" class="mono">(\d{19})<\/td>/g)].map((m) => m[1]!)
const stored = async (id: string) => Option.getOrThrow(await app.run(ContractRepository.use((r) => r.find(id as NumericId))))

/** Signs for a party through the portal: choose (seal, signatory), get a code, confirm it. */
const signFor = async (b: TestBrowser, id: string, mobile: string, choice: Record<string, string>) => {
  await b.get(`/contracts/${id}`)
  const box = await b.post(`/contracts/${id}/code`, choice, { "hx-request": "true" })
  expect(box.html).toContain("验证码已发送")
  return b.post(`/contracts/${id}/sign`, { ...choice, code: await lastCode(app, mobile) })
}

describe("合作伙伴开放平台: the owner's contract management (P3)", () => {
  it("lists the seeded contracts with the seed's columns; search by provider / name / number, status and creator; 下载合同 when signed, 刷新 while signing", async () => {
    const zhang = await logIn("13800000001")
    const base = `/org/${ids.owner}/platform`
    const page = await zhang.get(base)
    expect(page.status).toBe(200)
    for (const th of ["合同名称", "签约编号", "创建时间", "合同过期时间", "合同创建人", "签约服务商", "合同状态"]) expect(page.html).toContain(`<th>${th}</th>`)
    expect(page.html).toContain("请输入服务商名称、合同名称、合同编号")
    expect(page.html).toContain(`href="${base}/new"`)
    const [pending, signed] = rowsOf(page.html)
    expect([(await stored(signed!)).status, (await stored(pending!)).status]).toEqual(["completed", "inProgress"])
    expect(page.html).toContain(`<a href="/contracts/${signed}/document">下载合同</a>`)
    expect(page.html).not.toContain(`<a href="/contracts/${pending}/document">下载合同</a>`)
    expect(page.html).toContain(">刷新</a>")
    // The manual's rows: • 签署中 with 刷新 alone, • 签署成功 with 下载合同 alone; the name leads to the contract page.
    expect(page.html).toContain(">签署中</span>")
    expect(page.html).toContain(">签署成功</span>")
    expect(page.html).not.toContain(">查看</a>")
    expect(page.html).toContain(`<a href="/contracts/${pending}">`)
    expect(page.html).toContain(demoProvider.name)
    const q = async (query: string) => rowsOf((await zhang.get(`${base}?${query}`)).html)
    expect(await q("status=completed")).toEqual([signed])
    expect(await q(`q=${encodeURIComponent("深圳示例")}`)).toEqual([pending, signed])
    expect(await q(`q=${encodeURIComponent("补充协议")}`)).toEqual([pending])
    expect(await q(`q=${signed}`)).toEqual([signed])
    expect(await q(`creator=${ids.li}`)).toEqual([pending, signed])
    expect(await q(`creator=${ids.wang}`)).toEqual([])
    expect(await q("from=2000-01-01&to=2000-01-02")).toEqual([])
    const bad = await zhang.get(`${base}?status=lost&from=2026-1-01`)
    expect([bad.status, fieldError(bad.html, "status"), fieldError(bad.html, "from")]).toEqual([422, "请选择合同状态", "请选择正确的开始日期"])
    // htmx asks for the list alone.
    const cookie = [...zhang.cookies].map(([k, v]) => `${k}=${v}`).join("; ")
    const fragment = await (await app.web.request(`http://localhost${base}?status=completed`, { headers: { cookie, "hx-request": "true" } })).text()
    expect([fragment.includes("<html"), rowsOf(fragment)]).toEqual([false, [signed]])
    await zhang.get(`/contracts/${signed}/document`)
    if (requireTools("platform download pdfsig", "pdfsig")) {
      const file = join(app.dataDir, "platform-signed.pdf")
      writeFileSync(file, zhang.lastBytes)
      // Each side: its seal and its signatory's signature.
      expect(pdfsig(file).blocks.map((x) => x.valid)).toEqual([true, true, true, true])
    }
  })

  it("创建合同 refuses a provider that is not verified, lacks a confirmed signatory, or is the owner (saying which); creates one signed by the owner's branch and the provider, who sign with seals and signatures", async () => {
    const li = await logIn("13800000002")
    const base = `/org/${ids.owner}/platform`
    const form = await li.get(`${base}/new`)
    expect(form.html).toContain(`<option value="${ids.shanghai}">上海分公司</option>`)
    const post = async (providerName: string, extra: Record<string, string | Blob> = {}) =>
      li.postMultipart(base, { providerName, branchId: ids.shanghai, name: "渠道服务合同", source: "upload", mode: "simultaneous", deadline: inAMonth(), document: await pdfFile(), ...extra }, "a.pdf")
    const before = await app.run(ContractRepository.use((r) => r.listForEnterprise({ enterpriseId: ids.owner, limit: 1, offset: 0 })))
    expect(fieldError((await post("不存在的服务商有限公司")).html, "providerName")).toBe("服务商「不存在的服务商有限公司」尚未在平台注册并完成企业认证，无法创建合同")
    await otherEnterprise(app, "13700000951")
    expect(fieldError((await post("广州示例物流有限公司")).html, "providerName")).toBe("服务商「广州示例物流有限公司」尚未确认企业有权签字人，无法创建合同")
    expect(fieldError((await post("北京示例科技有限公司")).html, "providerName")).toBe("不能与本平台所属企业自己签约，请填写服务商名称")
    const missing = await li.postMultipart(base, { providerName: demoProvider.name, branchId: ids.shanghai, name: "模板合同", source: "template", template: "service", mode: "simultaneous", deadline: inAMonth() })
    expect([missing.status, fieldError(missing.html, "t_service_fee")]).toEqual([422, "请填写服务费用（元）（不超过 60 个字）"])
    expect((await app.run(ContractRepository.use((r) => r.listForEnterprise({ enterpriseId: ids.owner, limit: 1, offset: 0 })))).total).toBe(before.total)

    const texts = await outboxCount(app, demoProvider.admin.mobile)
    const created = await li.postMultipart(base, {
      providerName: demoProvider.name, branchId: ids.shanghai, name: "模板合同", source: "template", template: "service", mode: "simultaneous", deadline: inAMonth(),
      t_service_scope: "门店收单服务", t_service_fee: "80000", t_service_period: "2027年全年",
    })
    expect(created.location).toBe(`${base}?done=created`)
    const [id] = rowsOf((await li.get(base)).html)
    const c = await stored(id!)
    expect([c.initiatorEnterpriseId, c.initiatorBranchId, c.parties.map((p) => [p.enterpriseId, p.branchName])]).toEqual([ids.owner, ids.shanghai, [[ids.owner, "上海分公司"], [ids.provider, "总公司"]]])
    // The template's 签章 lines became signature boxes with a seal box over each.
    expect(c.fields.map((f) => `${f.partyIndex}:${f.kind}`).sort()).toEqual(["0:seal", "0:signature", "1:seal", "1:signature"])
    expect(await outboxCount(app, demoProvider.admin.mobile)).toBe(texts + 1)

    // The provider's admin holds its seals (issue 16: the admin needs no grant) but no signatory's signature: refused;
    // another enterprise's seal: refused; an outsider: not found.
    const zhao = await logIn(demoProvider.admin.mobile)
    const page = await zhao.get(`/contracts/${id}`)
    expect(page.html).toContain(`代表 ${demoProvider.name}`)
    // Told why and who may sign instead of a disabled button (issue 17).
    expect(page.html).toContain("您暂时不能代表本企业签署此合同")
    expect(page.html).toContain("您不是有权签字人，也没有有权签字人授权您使用其签名")
    expect(page.html).not.toMatch(/<button[^>]*disabled[^>]*>确认合同/)
    const refused = await zhao.post(`/contracts/${id}/code`, { party: "1", sealId: ids.ownerSeal, signatoryUserId: ids.sun })
    expect(refused.html).toContain("您未获授权使用该印章")
    const sun = await logIn(demoProvider.signatory.mobile)
    expect((await sun.post(`/contracts/${id}/code`, { party: "1", sealId: ids.ownerSeal, signatoryUserId: ids.sun })).html).toContain("您未获授权使用该印章")
    expect((await sun.post(`/contracts/${id}/code`, { party: "0", sealId: ids.ownerSeal, signatoryUserId: ids.wang })).status).toBe(404)
    const outsider = await logIn("13700000951")
    expect((await outsider.get(`/contracts/${id}`)).status).toBe(404)
    expect((await outsider.post(`/contracts/${id}/code`, { party: "1", sealId: ids.providerSeal, signatoryUserId: ids.sun })).status).toBe(404)

    expect((await signFor(sun, id!, demoProvider.signatory.mobile, { party: "1", sealId: ids.providerSeal, signatoryUserId: ids.sun })).location).toBe(`/contracts/${id}?done=signed`)
    expect((await signFor(li, id!, "13800000002", { party: "0", sealId: ids.ownerSeal, signatoryUserId: ids.wang })).location).toBe(`/contracts/${id}?done=signed`)
    const done = await stored(id!)
    expect([done.status, done.documentVersion]).toEqual(["completed", 4])
  })
})

describe("the provider's side (P1, C10) and the enterprise list (C10)", () => {
  it("the provider sees its contracts with the owner's head office and branches (签署分公司), downloads the signed one, cannot create; other enterprises see nothing", async () => {
    const zhao = await logIn(demoProvider.admin.mobile)
    const base = `/org/${ids.provider}/platform`
    const page = await zhao.get(base)
    for (const th of ["签约编号", "创建时间", "合同过期时间", "签署分公司", "合同状态"]) expect(page.html).toContain(`<th>${th}</th>`)
    expect(page.html).toContain('<td data-label="签署分公司">上海分公司</td>')
    expect(page.html).toContain('<td data-label="签署分公司">总公司</td>')
    const signed = rowsOf((await zhao.get(`${base}?status=completed`)).html)
    expect(signed.length).toBeGreaterThanOrEqual(1)
    await zhao.get(`/contracts/${signed[0]}/document`)
    expect(new TextDecoder().decode(zhao.lastBytes.subarray(0, 5))).toBe("%PDF-")
    // He is only the provider's contact: the enterprise's contracts are not in his personal lists or archive.
    expect((await zhao.get("/contracts")).html).not.toContain(signed[0])
    expect((await zhao.get("/archive")).html).not.toContain(signed[0])
    expect((await zhao.get(`${base}/new`)).status).toBe(403)
    expect((await zhao.postMultipart(base, { providerName: "北京示例科技有限公司", branchId: ids.provider, name: "x", source: "upload", mode: "simultaneous", deadline: inAMonth(), document: await pdfFile() })).status).toBe(403)
    // Not a member of the owner: its pages do not exist for him; a stranger downloads nothing.
    expect((await zhao.get(`/org/${ids.owner}/platform`)).status).toBe(404)
    expect((await zhao.get(`/org/${ids.owner}/contracts`)).status).toBe(404)
    await createUser(app, "13700000952", "路人")
    expect((await (await logIn("13700000952")).get(`/contracts/${signed[0]}/document`)).status).toBe(404)
  })

  it("合同管理 lists the enterprise's contracts with the signing branch; a branch admin of 上海分公司 sees only that branch's, and opens only those", async () => {
    const zhang = await logIn("13800000001")
    const all = await zhang.get(`/org/${ids.owner}/contracts`)
    const allRows = rowsOf(all.html)
    expect(all.html).toContain('<td data-label="签署分公司">上海分公司</td>')
    expect(all.html).toContain('<td data-label="签署分公司">总公司</td>')
    const admin = await createUser(app, "13700000953", "吴分管")
    await app.run(addMember(ids.owner, admin, ["branchAdmin"], ids.shanghai))
    const branchAdmin = await logIn("13700000953")
    const mine = rowsOf((await branchAdmin.get(`/org/${ids.owner}/contracts`)).html)
    const shanghai = await Promise.all(allRows.map(async (id) => [id, (await stored(id)).initiatorBranchId === ids.shanghai] as const))
    expect(mine).toEqual(shanghai.filter(([, s]) => s).map(([id]) => id))
    expect(mine.length).toBeLessThan(allRows.length)
    const headOffice = shanghai.find(([, s]) => !s)![0]
    expect((await branchAdmin.get(`/contracts/${headOffice}`)).status).toBe(404)
    expect((await branchAdmin.get(`/contracts/${mine[0]}`)).status).toBe(200)
  })
})
