import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { Database } from "../../../adapters/sql/Database.ts"
import { expireDueContracts } from "../../../core/contracts/contractActs.ts"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { EnterpriseRepository } from "../../../core/ports/EnterpriseRepository.ts"
import { MembershipRepository } from "../../../core/ports/MembershipRepository.ts"
import { UserRepository } from "../../../core/ports/UserRepository.ts"
import { DEV_PLATFORM_OWNER } from "../../platform/config.ts"
import { demoProvider } from "../../platform/seedPlatform.ts"
import { bootForTest, createUser, createVerifiedUser, lastCode, logInAs, outboxCount } from "../../../fixtures/boot.ts"
import { fieldError, formError, TestBrowser } from "../../../fixtures/browser.ts"
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
  it("issue 16: an unverified account cannot send (the form says why and links to 实名认证); nobody is texted", async () => {
    await createUser(app, "13700000801", "新用户")
    const fresh = await logIn("13700000801")
    const refused = await fresh.postMultipart("/contracts", {
      name: "【银行】账户异常请致电4001234567", mode: "sequential", deadline: tomorrow(), partyName0: "某人", partyMobile0: "13700000802", document: await pdfFile(),
    }, "bait.pdf")
    expect(formError(refused.html)).toBe("发起签约会短信通知签署方，需先完成个人实名认证后再发起")
    expect(refused.html).toContain('href="/verification/personal"')
    expect(await outboxCount(app, "13700000802")).toBe(0)
  })

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
    // The manual's row: 待签署, and 签约 提醒 撤销 查看 for the initiator whose turn it is; 李四 (not yet in turn) may only look.
    const rowOf = (html: string) => html.match(new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${id}(?:(?!</tr>)[\\s\\S])*</tr>`))?.[0] ?? ""
    const links = (row: string) => [...row.matchAll(/<a href="[^"]*">([^<]+)<\/a>/g)].map((m) => m[1]).slice(1)
    const zhangRow = rowOf((await zhang.get("/contracts")).html)
    expect(zhangRow).toContain("待签署")
    expect(links(zhangRow)).toEqual(["签约", "提醒", "撤销", "查看"])
    expect(links(rowOf((await li.get("/contracts")).html))).toEqual(["查看"])
    expect((await signAs(zhang, id, "13800000001")).location).toBe(`/contracts/${id}?done=signed`)
    expect((await li.get("/contracts?tab=mine")).html).toContain(id)
    // One has signed: 正在签署, as the manual's 我的签约 and contract page say.
    expect(rowOf((await li.get("/contracts")).html)).toContain("正在签署")
    expect((await signAs(li, id, "13800000002")).location).toBe(`/contracts/${id}?done=signed`)
    const page = await li.get(`/contracts/${id}`)
    expect(page.html).toContain("已完成")
    expect(page.html).toContain("全部签署方已签署")
    expect(page.html).toContain(`data-src="/contracts/${id}/document?inline=1"`)
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
    expect((await zhang.get(`/contracts/${id}`)).html).toContain("待签署")
  })
})

describe("拟定合同: contracts from templates", () => {
  it("fills the NDA template; the generated PDF carries the Chinese text and is signed at the 签章 box", async () => {
    await createVerifiedUser(app, "13700000301", "周九")
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

const sendTo = async (b: TestBrowser, name: string, others: ReadonlyArray<[string, string]>, mode = "simultaneous") => {
  await b.get("/contracts/new")
  const rows = Object.fromEntries(others.flatMap(([n, m], i) => [[`partyName${i}`, n], [`partyMobile${i}`, m]]))
  const sent = await b.postMultipart("/contracts", { name, mode, deadline: tomorrow(), includeMe: "on", ...rows, document: await pdfFile() }, "c.pdf")
  expect(sent.status).toBe(303)
  return sent.location!.match(/\/contracts\/(\d{19})/)![1]!
}
const stored = async (id: string) => Option.getOrThrow(await app.run(ContractRepository.use((r) => r.find(id as NumericId))))

describe("signing codes and ended contracts through the web (C4, C5)", () => {
  it("wrong, expired, reused and other-contract codes are refused with zh-CN messages; nothing is signed", async () => {
    await createVerifiedUser(app, "13700000501", "甲方五")
    await createVerifiedUser(app, "13700000502", "乙方五")
    const jia = await logIn("13700000501")
    const one = await sendTo(jia, "一号合同", [["乙方五", "13700000502"]])
    const two = await sendTo(jia, "二号合同", [["乙方五", "13700000502"]])
    const yi = await logIn("13700000502")
    await yi.get(`/contracts/${one}`)
    await yi.post(`/contracts/${one}/code`, {}, { "hx-request": "true" })
    const code = await lastCode(app, "13700000502")
    await yi.get(`/contracts/${two}`)
    const other = await yi.post(`/contracts/${two}/sign`, { code })
    // Answered as any guess without a code for this contract: whether it matched another contract's code is not told.
    expect([other.status, other.html.includes("请先获取验证码")]).toEqual([400, true])
    const wrong = await yi.post(`/contracts/${one}/sign`, { code: code === "000000" ? "111111" : "000000" })
    expect(wrong.html).toMatch(/验证码错误/)
    await app.run(Database.use(({ db }) => Effect.promise(() => db.updateTable("otp_challenges").set({ expires_at: Date.now() - 1 }).where("mobile", "=", "13700000502").execute())))
    const expired = await yi.post(`/contracts/${one}/sign`, { code })
    expect([expired.status, expired.html.includes("验证码已过期")]).toEqual([400, true])
    expect((await stored(one)).parties[1]!.status).toBe("waiting")
    // A fresh code signs once; the same code again is refused and changes nothing.
    // (The minute between two texts has passed: the history and the shared send counter say so.)
    await app.run(Database.use(({ db }) => Effect.promise(async () => {
      await db.updateTable("otp_challenges").set({ created_at: 0 }).where("mobile", "=", "13700000502").execute()
      await db.deleteFrom("limit_counters").where("key", "=", "otp-send:13700000502").execute()
    })))
    await yi.get(`/contracts/${one}`)
    await yi.post(`/contracts/${one}/code`, {}, { "hx-request": "true" })
    const fresh = await lastCode(app, "13700000502")
    expect((await yi.post(`/contracts/${one}/sign`, { code: fresh })).location).toBe(`/contracts/${one}?done=signed`)
    const version = (await stored(one)).documentVersion
    const reused = await yi.post(`/contracts/${one}/sign`, { code: fresh })
    expect([reused.status, reused.html.includes("您已处理过该合同")]).toEqual([400, true])
    expect((await stored(one)).documentVersion).toBe(version)
  })

  it("revoked, rejected and expired contracts cannot be signed through the web; a stranger can neither act nor change anything", async () => {
    await createVerifiedUser(app, "13700000601", "甲方六")
    await createVerifiedUser(app, "13700000602", "乙方六")
    await createVerifiedUser(app, "13700000603", "丙方六")
    const jia = await logIn("13700000601")
    const revoked = await sendTo(jia, "撤销合同", [["乙方六", "13700000602"], ["丙方六", "13700000603"]])
    const rejected = await sendTo(jia, "拒签合同", [["乙方六", "13700000602"], ["丙方六", "13700000603"]])
    const expired = await sendTo(jia, "过期合同", [["乙方六", "13700000602"], ["丙方六", "13700000603"]])
    const yi = await logIn("13700000602")
    await yi.get(`/contracts/${revoked}`)
    await yi.post(`/contracts/${revoked}/code`, {}, { "hx-request": "true" })
    const code = await lastCode(app, "13700000602")
    await jia.get(`/contracts/${revoked}`)
    expect((await jia.post(`/contracts/${revoked}/revoke`, {})).status).toBe(303)
    const bing = await logIn("13700000603")
    await bing.get(`/contracts/${rejected}`)
    expect((await bing.post(`/contracts/${rejected}/reject`, { reason: "价格不对" })).status).toBe(303)
    await app.run(Database.use(({ db }) => Effect.promise(() => db.updateTable("contracts").set({ deadline: Date.now() - 1 }).where("id", "=", expired).execute())))
    expect(await app.run(expireDueContracts())).toBeGreaterThanOrEqual(1)
    for (const [id, status] of [[revoked, "已撤销"], [rejected, "已拒签"], [expired, "已过期"]] as const) {
      const page = await yi.get(`/contracts/${id}`)
      expect(page.html).toContain(status)
      expect(page.html).not.toContain("确认合同")
      expect((await yi.post(`/contracts/${id}/code`, {})).html).toContain("该合同当前不可签署")
      const signed = await yi.post(`/contracts/${id}/sign`, { code })
      expect([signed.status, signed.html.includes("该合同当前不可签署")]).toEqual([400, true])
      expect((await stored(id)).parties[1]!.status).toBe("waiting")
    }
    // 路人 guesses the number of a running contract: 404 for every act, and nothing moves.
    const running = await sendTo(jia, "进行中合同", [["乙方六", "13700000602"]])
    const before = await stored(running)
    const stranger = await logIn("13800000003")
    for (const [path, form] of [[`/contracts/${running}/reject`, { reason: "x" }], [`/contracts/${running}/remind/1`, {}], [`/contracts/${running}/code`, {}], [`/contracts/${running}/sign`, { code: "123456" }]] as const) {
      expect((await stranger.post(path, form)).status).toBe(404)
    }
    expect((await stranger.get(`/contracts/${running}/document?inline=1`)).status).toBe(404)
    const after = await stored(running)
    expect([after.status, after.revision, after.documentVersion]).toEqual([before.status, before.revision, before.documentVersion])
  })
})

describe("我的签约: search, date range, tabs and paging, as htmx fragments and as full pages (C7)", () => {
  it("finds contracts by name, sender name or mobile, and creation date; tab clicks and paging swap only the list", async () => {
    await createVerifiedUser(app, "13700000701", "欧阳发件")
    await createVerifiedUser(app, "13700000702", "收件人七")
    const sender = await logIn("13700000701")
    const ids: Array<string> = []
    for (let i = 0; i < 11; i++) ids.push(await sendTo(sender, i === 0 ? "设备采购合同" : `日常合同 ${i}`, [["收件人七", "13700000702"]]))
    const me = await logIn("13700000702")
    const total = (html: string) => Number(html.match(/共 (\d+) 条/)?.[1] ?? "-1")
    expect(total((await me.get("/contracts?q=设备采购")).html)).toBe(1)
    expect(total((await me.get(`/contracts?q=${encodeURIComponent("欧阳")}`)).html)).toBe(11)
    expect(total((await me.get("/contracts?q=13700000701")).html)).toBe(11)
    expect(total((await me.get("/contracts?q=李四")).html)).toBe(0)
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
    expect(total((await me.get(`/contracts?from=${today}&to=${today}`)).html)).toBe(11)
    expect(total((await me.get(`/contracts?from=${tomorrow()}`)).html)).toBe(0)
    const badDate = await me.get("/contracts?from=2026-13-99x")
    expect([badDate.status, fieldError(badDate.html, "from")]).toEqual([422, "请选择正确的开始日期"])
    expect(total(badDate.html)).toBe(11)
    const reversed = await me.get(`/contracts?from=${tomorrow()}&to=${today}`)
    expect(fieldError(reversed.html, "to")).toBe("结束日期不能早于开始日期")
    // Search combines with a tab and with paging: 共 N 条 counts all matches, pages hold ten.
    const mine = await me.get(`/contracts?tab=mine&q=${encodeURIComponent("日常")}`)
    expect(total(mine.html)).toBe(10)
    expect(mine.html).toContain("第 1 / 1 页")
    const firstPage = await me.get("/contracts?tab=mine")
    expect([total(firstPage.html), (firstPage.html.match(/<tr>/g) ?? []).length - 1]).toEqual([11, 10])
    // 下一页 starts after the page's last contract (keyset pagination, issue 23): its cursor is in the link.
    const next = firstPage.html.match(/href="(\/contracts\?tab=mine&amp;q=&amp;from=&amp;to=&amp;page=2&amp;after=\d+-\d{19})" hx-get="\1" hx-target="#contract-list" hx-swap="outerHTML" hx-push-url="true">下一页</)?.[1]
    expect(next).toBeDefined()
    const second = await me.get(next!.replaceAll("&amp;", "&"))
    expect([second.html.match(/第 2 \/ 2 页/)?.[0], (second.html.match(/<tr>/g) ?? []).length - 1, second.html.includes("上一页")]).toEqual(["第 2 / 2 页", 1, true])
    // htmx asks with HX-Request: the same URL answers with the list section alone.
    const fragment = await app.web.request("http://localhost/contracts?tab=mine&page=2", { headers: { cookie: [...me.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "hx-request": "true", "hx-request-type": "partial" } })
    const html = await fragment.text()
    expect(html.startsWith('<section class="card" id="contract-list">')).toBe(true)
    expect(html).not.toContain("<html")
    expect(html).toContain("第 2 / 2 页")
    expect(fragment.headers.get("vary")).toBe("HX-Request")
    // A history restore (back button) wants the whole page.
    const restore = await app.web.request("http://localhost/contracts?tab=mine&page=2", { headers: { cookie: [...me.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "hx-request": "true", "hx-history-restore-request": "true" } })
    expect(await restore.text()).toContain("<html")
    expect((await me.get("/contracts?tab=mine&page=2")).html).toContain("<html")
    expect(ids.length).toBe(11)
  })
})

describe("initiating for an enterprise through the form (C1)", () => {
  it("an agent initiates for a branch of their enterprise, with it and another enterprise (named signer) as parties; bad enterprises, signers and identities are refused next to the field, nothing created", async () => {
    const ids = await app.run(Effect.gen(function*() {
      const enterprises = yield* EnterpriseRepository
      const owner = Option.getOrThrow(yield* enterprises.findByCreditCode(DEV_PLATFORM_OWNER))
      const provider = Option.getOrThrow(yield* enterprises.findByCreditCode(demoProvider.creditCode))
      const shanghai = (yield* MembershipRepository.use((r) => r.branches(owner.id))).find((b) => b.name === "上海分公司")!
      return { owner: owner.id as string, provider: provider.id as string, shanghai: shanghai.id as string }
    }))
    await createVerifiedUser(app, "13700000711", "散户")
    expect((await (await logIn("13700000711")).get("/contracts/new")).html).not.toContain('name="actAs"')
    const li = await logIn("13800000002")
    const form = await li.get("/contracts/new")
    expect(form.html).toContain(`<option value="${ids.owner}:${ids.shanghai}">北京示例科技有限公司 · 上海分公司</option>`)
    const send = async (over: Record<string, string>) => li.postMultipart("/contracts", {
      name: "联合运营协议", mode: "sequential", deadline: tomorrow(), actAs: `${ids.owner}:${ids.shanghai}`, includeOrg: "on",
      partyKind0: "enterprise", partyName0: demoProvider.name, partyMobile0: demoProvider.signatory.mobile, intent: "draft", ...over, document: await pdfFile(),
    }, "c.pdf")
    const before = await countContracts(li)
    const drafts = async () => Number((await li.get("/contracts?tab=drafts")).html.match(/共 (\d+) 条/)?.[1] ?? "-1")
    const draftsBefore = await drafts()
    expect(fieldError((await send({ partyName0: "不存在的有限公司" })).html, "parties")).toBe("签署方「不存在的有限公司」不是已在平台完成企业认证的企业，请填写企业全称")
    expect(fieldError((await send({ partyMobile0: "13700000701" })).html, "parties")).toBe(`签署方「${demoProvider.name}」的指定签署人不是该企业的在职成员`)
    expect(fieldError((await send({ actAs: `${ids.provider}:${ids.provider}` })).html, "actAs")).toBe("您无权以该企业（分公司）身份发起签约")
    const noOrg = await send({ actAs: "person" })
    expect([noOrg.status, fieldError(noOrg.html, "actAs")]).toEqual([422, "以企业身份发起时才能选择“本企业签署”"])
    expect([await countContracts(li), await drafts()]).toEqual([before, draftsBefore])

    const saved = await send({})
    expect(saved.location).toMatch(/^\/contracts\/\d{19}\/edit\?done=saved$/)
    const id = saved.location!.match(/(\d{19})/)![1]!
    const c = await stored(id)
    expect([c.initiatorEnterpriseId, c.initiatorBranchId, c.initiatorOrgName]).toEqual([ids.owner, ids.shanghai, "北京示例科技有限公司"])
    expect(c.parties.map((p) => [p.enterpriseId, p.branchName, p.signerUserId === undefined])).toEqual([[ids.owner, "上海分公司", true], [ids.provider, "总公司", false]])
    expect(c.fields.map((f) => `${f.partyIndex}:${f.kind}`)).toEqual(["0:seal", "0:signature", "1:seal", "1:signature"])
    // Resumed, the form shows what was chosen.
    const editing = (await li.get(`/contracts/${id}/edit`)).html
    expect(editing).toContain(`<option value="${ids.owner}:${ids.shanghai}" selected="">`)
    expect(editing).toMatch(/name="includeOrg" value="on" checked=""/)
    expect(editing).toContain('<option value="enterprise" selected="">企业</option>')
    expect(editing).toContain(`value="${demoProvider.signatory.mobile}"`)
  })

  it("issue 16 移交: the admin hands an agent's enterprise contract to another member from 合同管理; the agent cannot, and no longer holds it", async () => {
    const { owner, shanghai, wang } = await app.run(Effect.gen(function*() {
      const o = Option.getOrThrow(yield* EnterpriseRepository.use((r) => r.findByCreditCode(DEV_PLATFORM_OWNER)))
      const sh = (yield* MembershipRepository.use((r) => r.branches(o.id))).find((b) => b.name === "上海分公司")!
      const w = Option.getOrThrow(yield* UserRepository.use((r) => r.findByMobile("13800000003")))
      return { owner: o.id as string, shanghai: sh.id as string, wang: w.id as string }
    }))
    const li = await logIn("13800000002")
    await li.get("/contracts/new")
    const saved = await li.postMultipart("/contracts", {
      name: "移交测试合同", mode: "sequential", deadline: tomorrow(), actAs: `${owner}:${shanghai}`, partyName0: "某人", partyMobile0: "13700000803", intent: "draft", document: await pdfFile(),
    }, "h.pdf")
    const id = saved.location!.match(/(\d{19})/)![1]!
    const base = `/org/${owner}/contracts/${id}/handover`
    expect((await li.get(base)).status).toBe(403)
    const zhang = await logInAs(app, "13800000001", "Demo1234", `/org/${owner}/contracts`)
    const page = await zhang.get(base)
    expect(page.status).toBe(200)
    expect(page.html).toContain(`<option value="${wang}">`)
    expect((await zhang.post(base, { userId: "1" })).status).toBe(422)
    expect((await zhang.post(base, { userId: wang })).location).toBe(`/org/${owner}/contracts?done=handed_over`)
    expect((await stored(id)).initiatorUserId).toBe(wang)
    expect((await li.get(`/contracts/${id}/edit`)).status).toBe(404)
  })
})
