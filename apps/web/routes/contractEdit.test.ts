import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { bootForTest, createVerifiedUser, logInAs, outboxCount } from "../../../fixtures/boot.ts"
import { fieldError, type TestBrowser } from "../../../fixtures/browser.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => {
  app = await bootForTest()
  await createVerifiedUser(app, "13700000401", "郑发起")
  await createVerifiedUser(app, "13700000402", "王签署")
  await createVerifiedUser(app, "13700000403", "路人甲")
})
afterAll(() => app.close())

const logIn = (mobile: string) => logInAs(app, mobile, "Demo1234", "/contracts/new")
const inThreeDays = () => new Date(Date.now() + 3 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10)
const pdf = async (pages = 2) => new Blob([new Uint8Array(await classicPdf(pages, "Field placement"))], { type: "application/pdf" })
const stored = async (id: string) => Option.getOrThrow(await app.run(ContractRepository.use((r) => r.find(id as NumericId))))
const idOf = (location: string | null) => location!.match(/\/contracts\/(\d{19})/)![1]!
const count = async (b: TestBrowser, tab = "all") => Number((await b.get(`/contracts?tab=${tab}`)).html.match(/共 (\d+) 条/)?.[1] ?? "-1")

const form = (over: Record<string, string> = {}) => ({
  name: "场地租赁合同", mode: "sequential", deadline: inThreeDays(), includeMe: "on", partyName0: "王签署", partyMobile0: "13700000402", ...over,
})
const box = (over: Record<string, unknown> = {}) => ({ partyIndex: 1, page: 2, x: 300, y: 100, width: 120, height: 40, kind: "date", ...over })

describe("field placement (C1): boxes from the pdf.js form, checked against the pages on the server", () => {
  it("serves pdf.js and the placement module from /static (no CDN), and the form carries the hidden input", async () => {
    const b = await logIn("13700000401")
    const page = await b.get("/contracts/new")
    expect(page.html).toContain('<script type="module" src="/static/fields.js">')
    expect(page.html).toContain('name="fields"')
    for (const file of ["pdf.min.mjs", "pdf.worker.min.mjs", "fields.js", "placement.js", "pdf-pages.js", "template-fields.js"]) {
      const res = await app.web.request(`http://localhost/static/${file}`)
      expect([file, res.status, res.headers.get("content-type")]).toEqual([file, 200, "text/javascript; charset=utf-8"])
    }
    // The page drawing and box dragging live once, in placement.js, for this form and the template editor.
    expect(await (await app.web.request("http://localhost/static/fields.js")).text()).toContain('from "/static/placement.js"')
    expect(await (await app.web.request("http://localhost/static/template-fields.js")).text()).toContain('from "/static/placement.js"')
    // Pages are drawn once, in pdf-pages.js, for placement, the contract viewer and the admin's previews.
    for (const file of ["placement.js", "viewer.js"]) expect(await (await app.web.request(`http://localhost/static/${file}`)).text()).toContain('from "/static/pdf-pages.js"')
    expect(await (await app.web.request("http://localhost/static/pdf-pages.js")).text()).toContain('import("/static/pdf.min.mjs")')
  })

  it("keeps the placed boxes; a box off its page or on a missing page is refused next to the field, typed values kept, nothing written", async () => {
    const b = await logIn("13700000401")
    const before = await count(b)
    const off = await b.postMultipart("/contracts", { ...form(), fields: JSON.stringify([box({ x: 520 })]), document: await pdf() }, "a.pdf")
    expect(off.status).toBe(422)
    expect(fieldError(off.html, "fields")).toBe("第 1 个签署位置（日期）超出第 2 页的范围，请拖回页面内")
    expect(off.html).toContain('value="场地租赁合同"')
    expect(off.html).toContain("&quot;x&quot;:520")
    const missing = await b.postMultipart("/contracts", { ...form(), fields: JSON.stringify([box({ page: 3 })]), document: await pdf() }, "a.pdf")
    expect(fieldError(missing.html, "fields")).toBe("第 1 个签署位置（日期）在第 3 页，文件只有 2 页")
    // A person has no seal: a seal box for one is refused.
    const sealed = await b.postMultipart("/contracts", { ...form(), fields: JSON.stringify([box({ kind: "seal", height: 120 })]), document: await pdf() }, "a.pdf")
    expect(fieldError(sealed.html, "fields")).toBe("第 1 个签署位置（印章）属于个人签署方：个人没有印章，请改为签名位置")
    const garbage = await b.postMultipart("/contracts", { ...form(), fields: '[{"page":"一"}]', document: await pdf() }, "a.pdf")
    expect([garbage.status, fieldError(garbage.html, "fields")?.startsWith("签署位置数据无效")]).toEqual([422, true])
    const noParty = await b.postMultipart("/contracts", { ...form(), fields: JSON.stringify([box({ partyIndex: 2 })]), document: await pdf() }, "a.pdf")
    expect(fieldError(noParty.html, "fields")).toBe("第 1 个签署位置（日期）不属于任何签署方")
    expect(await count(b)).toBe(before)
    expect(await count(b, "drafts")).toBe(0)

    const placed = [box({ partyIndex: 0, page: 1, x: 72.5, y: 90.25, width: 150, height: 60, kind: "signature" }), box(), box({ page: 2, x: 400, y: 40, width: 120, height: 30, kind: "date" })]
    const sent = await b.postMultipart("/contracts", { ...form(), fields: JSON.stringify(placed), document: await pdf() }, "a.pdf")
    expect(sent.status).toBe(303)
    expect((await stored(idOf(sent.location))).fields.map((f) => ({ ...f }))).toEqual(placed)
  })

  it("without JavaScript (no boxes), each party gets a signature box at the foot of the last page", async () => {
    const b = await logIn("13700000401")
    const sent = await b.postMultipart("/contracts", { ...form(), document: await pdf(3) }, "a.pdf")
    const fields = (await stored(idOf(sent.location))).fields
    expect(fields.map((f) => [f.partyIndex, f.page, f.kind])).toEqual([[0, 3, "signature"], [1, 3, "signature"]])
    expect(fields.every((f) => f.x >= 0 && f.x + f.width <= 595 && f.y >= 0 && f.y + f.height <= 842)).toBe(true)
  })
})

describe("drafts (C1): save, list, resume, send, delete; the initiator's alone", () => {
  it("a saved draft texts nobody, is listed under 草稿 only, and is resumed with other parties, boxes, mode and deadline", async () => {
    const zheng = await logIn("13700000401")
    const texts = await outboxCount(app, "13700000402")
    const saved = await zheng.postMultipart("/contracts", { ...form({ name: "草稿合同" }), intent: "draft", fields: JSON.stringify([box()]), document: await pdf() }, "a.pdf")
    expect(saved.location).toMatch(/^\/contracts\/\d{19}\/edit\?done=saved$/)
    const id = idOf(saved.location)
    expect((await stored(id)).status).toBe("draft")
    expect(await outboxCount(app, "13700000402")).toBe(texts)
    const editing = await zheng.get(saved.location!)
    expect(editing.html).toContain("草稿已保存")
    expect(editing.html).toContain('value="草稿合同"')
    expect(editing.html).toContain('value="13700000402"')
    expect(editing.html).toContain(`data-pdf-url="/contracts/${id}/document?inline=1"`)
    expect(editing.html).toContain("&quot;kind&quot;:&quot;date&quot;")
    expect((await zheng.get("/contracts?tab=drafts")).html).toContain(`/contracts/${id}/edit`)
    expect((await zheng.get("/contracts")).html).not.toContain(id)

    // The party named in the draft, and a stranger, learn nothing and change nothing.
    for (const mobile of ["13700000402", "13700000403"]) {
      const other = await logIn(mobile)
      expect((await other.get(`/contracts/${id}`)).status).toBe(404)
      expect((await other.get(`/contracts/${id}/edit`)).status).toBe(404)
      expect((await other.get(`/contracts/${id}/document`)).status).toBe(404)
      expect((await other.postMultipart(`/contracts/${id}/edit`, { ...form({ name: "篡改" }), intent: "send" })).status).toBe(404)
      expect((await other.post(`/contracts/${id}/delete`, {})).status).toBe(404)
      expect((await other.get("/contracts?tab=drafts")).html).not.toContain(id)
      expect((await other.get("/contracts")).html).not.toContain(id)
    }
    expect((await stored(id)).name).toBe("草稿合同")

    // Resume: a box off the page is refused (422) and the draft is unchanged.
    await zheng.get(`/contracts/${id}/edit`)
    const bad = await zheng.postMultipart(`/contracts/${id}/edit`, { ...form({ name: "改后的合同" }), intent: "draft", fields: JSON.stringify([box({ y: 810 })]) })
    expect([bad.status, fieldError(bad.html, "fields")]).toEqual([422, "第 1 个签署位置（日期）超出第 2 页的范围，请拖回页面内"])
    expect((await stored(id)).name).toBe("草稿合同")
    const edited = await zheng.postMultipart(`/contracts/${id}/edit`, {
      ...form({ name: "改后的合同", mode: "simultaneous", includeMe: "off", partyName0: "王签署", partyMobile0: "13700000402", partyName1: "路人甲", partyMobile1: "13700000403" }),
      intent: "draft", fields: JSON.stringify([box({ partyIndex: 0, page: 1, kind: "signature" }), box({ partyIndex: 1 })]),
    })
    expect(edited.location).toBe(`/contracts/${id}/edit?done=saved`)
    const after = await stored(id)
    expect([after.status, after.name, after.mode, after.parties.map((p) => p.mobile), after.fields.map((f) => [f.partyIndex, f.page, f.kind])])
      .toEqual(["draft", "改后的合同", "simultaneous", ["13700000402", "13700000403"], [[0, 1, "signature"], [1, 2, "date"]]])
    const sent = await zheng.postMultipart(`/contracts/${id}/edit`, { ...form({ name: "改后的合同", includeMe: "off", partyName1: "路人甲", partyMobile1: "13700000403" }), intent: "send", fields: JSON.stringify([box({ partyIndex: 1 })]) })
    expect(sent.location).toBe(`/contracts/${id}?done=sent`)
    expect(await outboxCount(app, "13700000402")).toBe(texts + 1)
    expect((await (await logIn("13700000402")).get(`/contracts/${id}`)).html).toContain("改后的合同")
    // Sent: no longer a draft to edit or delete.
    expect((await zheng.get(`/contracts/${id}/edit`)).location).toBe(`/contracts/${id}`)
    expect((await zheng.post(`/contracts/${id}/delete`, {})).location).toBe(`/contracts/${id}`)
    expect((await stored(id)).status).toBe("inProgress")
  })

  it("sending a resumed draft still needs a party; deleting a draft removes it", async () => {
    const zheng = await logIn("13700000401")
    const saved = await zheng.postMultipart("/contracts", { ...form({ name: "待删草稿", includeMe: "off", partyName0: "", partyMobile0: "" }), intent: "draft", document: await pdf(1) }, "a.pdf")
    const id = idOf(saved.location)
    await zheng.get(`/contracts/${id}/edit`)
    const none = await zheng.postMultipart(`/contracts/${id}/edit`, { ...form({ name: "待删草稿", includeMe: "off", partyName0: "", partyMobile0: "" }), intent: "send" })
    expect([none.status, none.html.includes("请至少添加一个签署方")]).toEqual([422, true])
    expect((await stored(id)).status).toBe("draft")
    const deleted = await zheng.post(`/contracts/${id}/delete`, {})
    expect(deleted.location).toBe("/contracts?tab=drafts&done=deleted")
    expect((await zheng.get(deleted.location!)).html).toContain("草稿已删除")
    expect((await zheng.get(`/contracts/${id}/edit`)).status).toBe(404)
    expect(await app.run(ContractRepository.use((r) => r.find(id as NumericId)).pipe(Effect.map(Option.isNone)))).toBe(true)
  })

  it("拟定合同 can be kept as a draft too: the template's 签章 boxes come back in the draft form", async () => {
    const zheng = await logIn("13700000401")
    await zheng.get("/contracts/draft/nda")
    const texts = await outboxCount(app, "13700000402")
    const saved = await zheng.post("/contracts/draft/nda", {
      t_partyA: "北京星河科技有限公司", t_partyB: "王签署", t_years: "2", t_place: "北京", partyName0: "郑发起", partyMobile0: "13700000401",
      partyName1: "王签署", partyMobile1: "13700000402", mode: "sequential", deadline: inThreeDays(), intent: "draft",
    })
    expect(saved.location).toMatch(/^\/contracts\/\d{19}\/edit\?done=saved$/)
    const draft = await stored(idOf(saved.location))
    expect([draft.status, draft.fields.map((f) => f.partyIndex)]).toEqual(["draft", [0, 1]])
    expect(await outboxCount(app, "13700000402")).toBe(texts)
    const page = await zheng.get(saved.location!)
    expect(page.html).toContain('name="includeMe" value="on" checked=""')
    expect(page.html).toContain('value="王签署"')
    expect((page.html.match(/&quot;kind&quot;:&quot;signature&quot;/g) ?? []).length).toBe(2)
  })
})
