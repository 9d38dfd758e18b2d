import { readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { Effect, Option } from "effect"
import { chromiumAvailable, codeFromOutbox, expectUsable, PHONE, startStack } from "../../../fixtures/e2e.ts"
import { createUser } from "../../../fixtures/boot.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { inked, pixelsIn, renderPage } from "../../../fixtures/signing/render.ts"
import { pdfsig, qpdfCheck } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { EnterpriseRepository } from "../../../core/ports/EnterpriseRepository.ts"
import { demoProvider } from "../../platform/seedPlatform.ts"

const ok = chromiumAvailable("browser journey (three parties on a phone)")
const tools = ok && requireTools("phone signing journey validators", "pdfsig", "qpdf", "pdftoppm")

/** Where each box goes, as fractions of the page preview (left, top); kinds as the placement tool names them. */
const PLAN: ReadonlyArray<{ readonly slot: string; readonly kind: "signature" | "seal" | "date"; readonly at: readonly [number, number] }> = [
  { slot: "me", kind: "signature", at: [0.05, 0.55] },
  { slot: "me", kind: "date", at: [0.05, 0.66] },
  { slot: "row0", kind: "seal", at: [0.36, 0.55] },
  { slot: "row0", kind: "signature", at: [0.36, 0.72] },
  { slot: "row0", kind: "date", at: [0.36, 0.82] },
  { slot: "row1", kind: "signature", at: [0.68, 0.55] },
  { slot: "row1", kind: "date", at: [0.68, 0.66] },
]

describe.skipIf(!tools)("acceptance (issue 17): a three-party contract (person, enterprise with seal and signatory, person) placed, sent and signed entirely at 375×812; every party's boxes are inked in the final PDF", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  let provider: string
  beforeAll(async () => {
    stack = await startStack()
    await createUser(stack.apps, "13700000971", "钱八")
    provider = await stack.apps.run(Effect.gen(function*() {
      return Option.getOrThrow(yield* (yield* EnterpriseRepository).findByCreditCode(demoProvider.creditCode)).id as string
    }))
  }, 120_000)
  afterAll(async () => { await stack?.stop() })

  /** A phone, not logged in, opening `path` (the SMS link): log-in first, then back to the link. */
  const openOnPhone = async (browser: Browser, path: string, mobile: string) => {
    const context = await browser.newContext({ viewport: { width: PHONE.width, height: PHONE.height }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: "zh-CN", acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(`${stack.webUrl}${path}`)
    await expect.poll(() => page.url()).toContain("/login")
    await expectUsable(page, "登录（手机）")
    await page.fill("#f-mobile", mobile)
    await page.fill("#f-password", "Demo1234")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe(path)
    return page
  }

  /** The link to contract `id` in the texts to `mobile` (the invitation; "轮到您签署" carries none), as a path on this server. */
  const smsLink = async (page: Page, mobile: string, id: string) => {
    const outbox = await page.context().newPage()
    await outbox.goto(`${stack.webUrl}/dev/outbox?mobile=${mobile}`)
    const texts = await outbox.locator("#outbox tbody tr .sms-text").allInnerTexts()
    await outbox.close()
    const link = texts.join("\n").match(new RegExp(`https?://\\S+/contracts/${id}`))?.[0]
    if (link === undefined) throw new Error(`no link to ${id} in the texts: ${texts.join(" | ")}`)
    return new URL(link).pathname
  }

  /** The signing page at 375 px: pdf.js canvases, own boxes highlighted, the sign bar stuck to the bottom; then 确认合同 → code → 确定签署. */
  const signOnPhone = async (page: Page, mobile: string, ownBoxes: number, choose?: (page: Page) => Promise<void>) => {
    await expect.poll(() => page.locator("#contract-viewer .viewer-page canvas").count()).toBe(1)
    await expect.poll(() => page.locator("#contract-viewer .viewer-box.mine").count()).toBe(ownBoxes)
    await expectUsable(page, "签署页（手机）")
    await page.evaluate(() => window.scrollTo(0, 0))
    const bar = await page.locator("#sign-box").evaluate((el) => ({ position: getComputedStyle(el).position, bottom: el.getBoundingClientRect().bottom }))
    expect(bar.position).toBe("sticky")
    expect(bar.bottom).toBeLessThanOrEqual(PHONE.height + 1)
    if (choose !== undefined) await choose(page)
    await page.getByRole("button", { name: "确认合同" }).click()
    await expect.poll(() => page.locator("#sign-box").innerText()).toContain("验证码已发送")
    await expectUsable(page, "签署验证码（手机）")
    await page.fill("#f-code", await codeFromOutbox(page, stack.webUrl, mobile))
    await page.getByRole("button", { name: "确定签署" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("签署成功")
  }

  it("张三 places seven boxes on his phone and sends; he, 孙七 for the provider (seal + signature) and 钱八 sign from their SMS links; pdftoppm shows ink in every box, pdfsig and qpdf accept the file", async () => {
    const original = await classicPdf(1, "Three-party agreement")
    const file = join(stack.apps.dataDir, "三方合同.pdf")
    writeFileSync(file, original)

    const zhang = await openOnPhone(stack.browser, "/contracts/new", "13800000001")
    await expectUsable(zhang, "发起签约（手机）")
    // The header folds behind 菜单 at this width: the account row is hidden until it is opened, and then not cut.
    await expect.poll(() => zhang.locator(".topbar-user").isVisible()).toBe(false)
    await zhang.locator("label.nav-toggle").click()
    await expect.poll(() => zhang.locator(".switcher-link").isVisible()).toBe(true)
    const switcher = await zhang.locator(".switcher-link").evaluate((el) => el.getBoundingClientRect().height)
    expect(switcher).toBeLessThan(30)
    await zhang.locator("label.nav-toggle").click()

    await zhang.setInputFiles("#f-document", file)
    await zhang.fill("#f-name", "三方服务合同")
    await zhang.fill("#f-deadline", new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10))
    await zhang.locator("#f-partyKind0").selectOption("enterprise")
    await zhang.fill("#f-partyName0", demoProvider.name)
    await zhang.fill("#f-partyName1", "钱八")
    await zhang.fill("#f-partyMobile1", "13700000971")
    await expect.poll(() => zhang.locator(".placement-page canvas").count()).toBe(1)
    const pageEl = zhang.locator('.placement-page[data-page="1"]')
    for (const [i, box] of PLAN.entries()) {
      await zhang.locator(".pick-party").selectOption(box.slot)
      await zhang.locator(".pick-kind").selectOption(box.kind)
      await zhang.getByRole("button", { name: "添加签署位置" }).click()
      const placed = pageEl.locator(".placement-box").nth(i)
      await pageEl.scrollIntoViewIfNeeded()
      const p = (await pageEl.boundingBox())!
      const b = (await placed.boundingBox())!
      // Held by its centre (a seal's box is round: its corners are not the box).
      await zhang.mouse.move(b.x + b.width / 2, b.y + b.height / 2)
      await zhang.mouse.down()
      await zhang.mouse.move(p.x + p.width * box.at[0] + b.width / 2, p.y + p.height * box.at[1] + b.height / 2, { steps: 8 })
      await zhang.mouse.up()
      // Where it was dropped (a box left at its starting corner would sit on the document's title).
      const moved = (await placed.boundingBox())!
      expect([Math.abs(moved.x - (p.x + p.width * box.at[0])) < 4, Math.abs(moved.y - (p.y + p.height * box.at[1])) < 4], `${box.slot} ${box.kind}`).toEqual([true, true])
    }
    const placed = JSON.parse(await zhang.locator("#f-fields").inputValue()) as Array<{ partyIndex: number; kind: string }>
    expect(placed.map((f) => `${f.partyIndex}:${f.kind}`)).toEqual(["0:signature", "0:date", "1:seal", "1:signature", "1:date", "2:signature", "2:date"])
    await zhang.screenshot({ path: join(tmpdir(), "signet-phone-placement.png"), fullPage: true })
    await zhang.getByRole("button", { name: "发起签约" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已发起签约")
    const id = zhang.url().match(/contracts\/(\d{19})/)![1]!
    const sent = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id as NumericId))))
    expect(sent.parties.map((p) => p.enterpriseId ?? p.mobile)).toEqual(["13800000001", provider, "13700000971"])
    expect(sent.fields).toHaveLength(7)

    // 张三 first (sequential), on the page he is on.
    await signOnPhone(zhang, "13800000001", 2)
    await zhang.screenshot({ path: join(tmpdir(), "signet-phone-signed-first.png"), fullPage: true })

    // 孙七 opens the enterprise's SMS link on his phone and signs for the provider with its seal and his signature.
    const sun = await openOnPhone(stack.browser, await smsLink(zhang, sent.parties[1]!.mobile, id), demoProvider.signatory.mobile)
    await signOnPhone(sun, demoProvider.signatory.mobile, 3, async (page) => {
      await page.locator("#f-sealId").selectOption({ label: "合同专用章" })
      await page.locator("#f-signatoryUserId").selectOption({ label: "孙七（本人）" })
    })

    // 钱八 last, from his SMS link.
    const qian = await openOnPhone(stack.browser, await smsLink(zhang, "13700000971", id), "13700000971")
    await signOnPhone(qian, "13700000971", 2)
    await expect.poll(() => qian.locator(".card-title .badge").first().innerText()).toBe("已完成")
    await expectUsable(qian, "已完成的合同（手机）")
    await qian.screenshot({ path: join(tmpdir(), "signet-phone-completed.png"), fullPage: true })

    const download = qian.waitForEvent("download")
    await qian.getByRole("link", { name: "下载合同" }).first().click()
    const pdfPath = join(stack.apps.dataDir, `${id}.pdf`)
    await (await download).saveAs(pdfPath)
    expect(pdfsig(pdfPath).blocks.map((b) => b.valid)).toEqual([true, true, true, true])
    expect(qpdfCheck(pdfPath).status).toBe(0)

    // What a reader sees: each placed rectangle was blank paper in the original and carries ink in the signed file.
    const before = renderPage(original, 1)
    const after = renderPage(new Uint8Array(readFileSync(pdfPath)), 1)
    const ink = sent.fields.map((f) => {
      const [x, y, w, h] = [Math.round(f.x), Math.round(f.y), Math.round(f.width), Math.round(f.height)]
      return { box: `party ${f.partyIndex} ${f.kind}`, before: pixelsIn(before, x, y, w, h, inked), after: pixelsIn(after, x, y, w, h, inked) }
    })
    expect(ink.every((b) => b.before === 0), JSON.stringify(ink)).toBe(true)
    expect(ink.filter((b) => b.after < 20).map((b) => b.box), `boxes without ink: ${JSON.stringify(ink)}`).toEqual([])
    for (const p of [zhang, sun, qian]) await p.context().close()
  }, 240_000)
})
