import { Effect, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, formError } from "../../../fixtures/browser.ts"
import { demoEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { demoContractPdf } from "../../platform/demoPdf.ts"
import { TemplateRepository } from "../../../core/ports/TemplateRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { editMember } from "../../../core/organizations/editMember.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
let demo: Awaited<ReturnType<typeof demoEnterprise>>
beforeAll(async () => {
  app = await bootForTest()
  demo = await demoEnterprise(app)
})
afterAll(() => app.close())

const base = () => `/org/${demo.enterpriseId}/templates`
const templates = () => app.run(TemplateRepository.use((r) => r.ofEnterprise(demo.enterpriseId)))

describe("合同模板 routes (issue 17)", () => {
  it("upload, layout and the initiation form refuse bad input next to the field (a refused upload stores no template); an agent keeps templates only with 管理模板 given", async () => {
    const zhang = await logInAs(app, "13800000001", "Demo1234", base())
    const before = (await templates()).length
    const bad = await zhang.postMultipart(base(), { name: "", roles: "甲方、甲方" })
    expect(bad.status).toBe(422)
    expect([fieldError(bad.html, "name"), fieldError(bad.html, "roles"), fieldError(bad.html, "document")]).toEqual([
      "请填写模板名称（1-60 个字）", "请填写 1-4 个不重复的签署角色（每个不超过 10 个字），如：甲方、乙方", "请选择模板文件（PDF）",
    ])
    await zhang.get(base())
    const notPdf = await zhang.postMultipart(base(), { name: "假模板", roles: "甲方、乙方", document: new Blob([new TextEncoder().encode("not a pdf")], { type: "application/pdf" }) }, "x.pdf")
    expect(notPdf.status).toBe(422)
    expect(fieldError(notPdf.html, "document")).toMatch(/^文件无法签署：/)
    expect((await templates()).length).toBe(before)

    await zhang.get(base())
    const pdf = new Blob([new Uint8Array(await demoContractPdf("Template", 1))], { type: "application/pdf" })
    const created = await zhang.postMultipart(base(), { name: "采购模板", roles: "采购方、供应方", document: pdf }, "t.pdf")
    const id = created.location?.match(/templates\/(\d{19})\/edit$/)?.[1]
    expect(id).toBeDefined()
    // The editor: the numbers as the no-JavaScript way, the pages drawn by pdf.js (no native PDF iframe, blank on phones).
    const editor = await zhang.get(`${base()}/${id}/edit`)
    expect(editor.html).toContain('<script type="module" src="/static/template-fields.js">')
    expect(editor.html).toContain(`data-pdf-url="${base()}/${id}/document"`)
    expect([editor.html.includes("<iframe"), editor.html.includes('id="f-fX0"')]).toEqual([false, true])
    const off = await zhang.post(`${base()}/${id}/edit`, { name: "采购模板", fLabel0: "供应方名称", fKind0: "text", fPage0: "1", fX0: "500", fY0: "700", fW0: "200", fH0: "20" })
    expect([off.status, formError(off.html)]).toEqual([422, "第 1 个填写项（供应方名称）超出第 1 页的范围"])
    await zhang.get(`${base()}/${id}/edit`)
    const missing = await zhang.post(`${base()}/${id}/edit`, { name: "采购模板", fLabel0: "供应方名称", fKind0: "text", fPage0: "1", fX0: "", fY0: "700", fW0: "200", fH0: "20" })
    expect(formError(missing.html)).toBe("第 1 个填写项（供应方名称）：请填写页码、位置和大小（宽、高大于 0）")
    await zhang.get(`${base()}/${id}/edit`)
    const saved = await zhang.post(`${base()}/${id}/edit`, {
      name: "采购模板", fLabel0: "供应方名称", fKind0: "text", fPage0: "1", fX0: "100", fY0: "600", fW0: "200", fH0: "20",
      fLabel1: "交货日期", fKind1: "date", fPage1: "1", fX1: "100", fY1: "570", fW1: "200", fH1: "20",
    })
    expect(saved.location).toBe(`${base()}/${id}/edit?done=saved`)

    // 李四, an agent, initiates from it but does not keep it: 管理模板 is an agent permission the admin gives on 编辑
    // (not on by default). A missing value and a bad date are refused next to their inputs.
    const li = await logInAs(app, "13800000002", "Demo1234", base())
    expect((await li.get(`${base()}/${id}/edit`)).status).toBe(403)
    const setTemplates = (permissions: ReadonlyArray<"initiate" | "seal" | "viewAll" | "templates">) => app.run(Effect.gen(function*() {
      const users = yield* UserRepository
      const [admin, agent] = [Option.getOrThrow(yield* users.findByMobile("13800000001")), Option.getOrThrow(yield* users.findByMobile("13800000002"))]
      yield* editMember(admin.id, demo.enterpriseId, agent.id, { roles: ["agent"], department: null, permissions })
    }))
    await setTemplates(["initiate", "seal", "viewAll", "templates"])
    expect((await li.get(`${base()}/${id}/edit`)).status).toBe(200)
    await setTemplates(["initiate", "seal", "viewAll"])
    expect((await li.get(`${base()}/${id}/edit`)).status).toBe(403)
    await li.get(`${base()}/${id}/new`)
    const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    const form = await li.post(`${base()}/${id}/new`, {
      name: "采购合同", mode: "sequential", deadline, v_f1: "", v_f2: "2026-02-30",
      partyKind0: "person", partyName0: "张三", partyMobile0: "13800000001", partyKind1: "person", partyName1: "", partyMobile1: "",
    })
    expect(form.status).toBe(422)
    expect([fieldError(form.html, "v_f1"), fieldError(form.html, "v_f2"), fieldError(form.html, "parties")]).toEqual([
      "请填写供应方名称", "交货日期：请选择正确的日期", "请填写全部 2 个签署方（采购方、供应方）",
    ])
  })
})
