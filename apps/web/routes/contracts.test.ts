import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bootForTest, createUser, lastCode, logInAs } from "../../../fixtures/boot.ts"
import { fieldError, TestBrowser } from "../../../fixtures/browser.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { pdfsig } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"

let app: Awaited<ReturnType<typeof bootForTest>>
beforeAll(async () => { app = await bootForTest() })
afterAll(() => app.close())

const logIn = (mobile: string, password = "Demo1234") => logInAs(app, mobile, password, "/contracts/new")

const tomorrow = () => new Date(Date.now() + 2 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10)
const pdfFile = async () => new Blob([new Uint8Array(await classicPdf(1, "Service agreement"))], { type: "application/pdf" })

const countContracts = async (b: TestBrowser) => Number((await b.get("/contracts")).html.match(/共 (\d+) 条/)?.[1] ?? "-1")

const signAs = async (b: TestBrowser, id: string, mobile: string) => {
  await b.get(`/contracts/${id}`)
  const box = await b.post(`/contracts/${id}/code`, {}, { "hx-request": "true" })
  expect(box.html).toContain("验证码已发送")
  return b.post(`/contracts/${id}/sign`, { code: await lastCode(app, mobile) })
}

describe("contracts in the portal (C1, C4, C6, C7)", () => {
  it("张三 sends a sequential contract to himself and 李四; both sign with SMS codes; the PDF carries two valid signatures", async () => {
    const zhang = await logIn("13800000001")
    const sent = await zhang.postMultipart("/contracts", {
      name: "服务协议", mode: "sequential", deadline: tomorrow(), includeMe: "on", partyName0: "李四", partyMobile0: "13800000002", document: await pdfFile(),
    }, "agreement.pdf")
    expect(sent.status).toBe(303)
    const id = sent.location!.match(/\/contracts\/(\d{19})/)![1]!
    const li = await logIn("13800000002")
    // Sequential: 李四 waits for 张三; the tabs say so.
    expect((await li.get(`/contracts/${id}`)).html).not.toContain("确认合同")
    expect((await li.get("/contracts?tab=mine")).html).not.toContain(id)
    expect((await li.get("/contracts?tab=others")).html).toContain(id)
    expect((await zhang.get("/contracts?tab=mine")).html).toContain(id)
    expect((await signAs(zhang, id, "13800000001")).location).toBe(`/contracts/${id}?done=signed`)
    expect((await li.get("/contracts?tab=mine")).html).toContain(id)
    expect((await signAs(li, id, "13800000002")).location).toBe(`/contracts/${id}?done=signed`)
    const page = await li.get(`/contracts/${id}`)
    expect(page.html).toContain("签署成功")
    expect(page.html).toContain("全部签署方已签署")
    expect(page.html).toContain(`src="/contracts/${id}/document?inline=1#view=FitH"`)
    const inline = await app.web.request(`http://localhost/contracts/${id}/document?inline=1`, { headers: { cookie: [...li.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } })
    expect(inline.headers.get("content-disposition")).toMatch(/^inline;/)
    await li.get(`/contracts/${id}/document`)
    expect(new TextDecoder().decode(li.lastBytes.subarray(0, 5))).toBe("%PDF-")
    if (requireTools("portal contract pdfsig", "pdfsig")) {
      const file = join(app.dataDir, "downloaded.pdf")
      writeFileSync(file, li.lastBytes)
      const sig = pdfsig(file)
      expect(sig.blocks.map((x) => x.valid)).toEqual([true, true])
    }
  })

  it("refuses a renamed text file, a past deadline, no parties and a bad mobile, next to the field; nothing is created", async () => {
    const zhang = await logIn("13800000001")
    const before = await countContracts(zhang)
    await zhang.get("/contracts/new")
    const txt = await zhang.postMultipart("/contracts", {
      name: "假合同", mode: "sequential", deadline: tomorrow(), includeMe: "on", document: new Blob(["just text"], { type: "application/pdf" }),
    }, "fake.pdf")
    expect(fieldError(txt.html, "document") ?? txt.html.match(/f-document-error">([^<]*)/)?.[1]).toBe("只支持 PDF 文件（按文件内容识别，不看扩展名）")
    expect(txt.html).toContain('value="假合同"')
    const past = await zhang.postMultipart("/contracts", { name: "过期", mode: "sequential", deadline: "2020-01-01", includeMe: "on", document: await pdfFile() })
    expect(fieldError(past.html, "deadline")).toBe("签约截止日期必须晚于今天")
    const none = await zhang.postMultipart("/contracts", { name: "无人", mode: "sequential", deadline: tomorrow(), document: await pdfFile() })
    expect(none.html).toContain("请至少添加一个签署方")
    const badMobile = await zhang.postMultipart("/contracts", { name: "号码", mode: "sequential", deadline: tomorrow(), includeMe: "on", partyName0: "王五", partyMobile0: "12345", document: await pdfFile() })
    expect(fieldError(badMobile.html, "partyMobile0")).toBe("请输入正确的 11 位手机号码")
    expect(await countContracts(zhang)).toBe(before)
  })

  it("someone who is not a party cannot open, download, sign or revoke by guessing the number", async () => {
    const zhang = await logIn("13800000001")
    const sent = await zhang.postMultipart("/contracts", { name: "保密协议", mode: "simultaneous", deadline: tomorrow(), includeMe: "on", document: await pdfFile() })
    const id = sent.location!.match(/\/contracts\/(\d{19})/)![1]!
    const li = await logIn("13800000002")
    expect((await li.get(`/contracts/${id}`)).status).toBe(404)
    expect((await li.get(`/contracts/${id}/document`)).status).toBe(404)
    expect((await li.post(`/contracts/${id}/code`, {})).status).toBe(404)
    expect((await li.post(`/contracts/${id}/sign`, { code: "123456" })).status).toBe(404)
    expect((await li.post(`/contracts/${id}/revoke`, {})).status).toBe(404)
    expect((await li.get("/contracts")).html).not.toContain(id)
    expect((await zhang.get(`/contracts/${id}`)).html).toContain("签署中")
  })
})

describe("拟定合同: contracts from templates", () => {
  it("fills the NDA template; the generated PDF carries the Chinese text and is signed at the 签章 box", async () => {
    await createUser(app, "13700000301", "周九")
    const zhou = await logIn("13700000301")
    await zhou.get("/contracts/draft/nda")
    const missing = await zhou.post("/contracts/draft/nda", { t_partyA: "", t_partyB: "李四", t_years: "3", t_place: "北京", partyName0: "周九", partyMobile0: "13700000301", partyName1: "李四", partyMobile1: "13800000002", mode: "sequential", deadline: tomorrow() })
    expect(fieldError(missing.html, "t_partyA")).toBe("请填写甲方名称（不超过 60 个字）")
    const sent = await zhou.post("/contracts/draft/nda", { t_partyA: "北京星河科技有限公司", t_partyB: "李四", t_years: "3", t_place: "北京市海淀区", partyName0: "周九", partyMobile0: "13700000301", partyName1: "李四", partyMobile1: "13800000002", mode: "sequential", deadline: tomorrow() })
    expect(sent.location).toMatch(/^\/contracts\/\d{19}\?done=sent$/)
    const id = sent.location!.match(/(\d{19})/)![1]!
    expect((await signAs(zhou, id, "13700000301")).status).toBe(303)
    await zhou.get(`/contracts/${id}/document`)
    if (requireTools("template pdftotext", "pdftotext", "pdfsig")) {
      const file = join(app.dataDir, "nda.pdf")
      writeFileSync(file, zhou.lastBytes)
      const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" })
      expect(text).toContain("保密协议")
      expect(text).toContain("北京星河科技有限公司")
      expect(pdfsig(file).blocks.map((b) => b.valid)).toEqual([true])
    }
  })
})
