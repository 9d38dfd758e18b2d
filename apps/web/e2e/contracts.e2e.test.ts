import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { chromiumAvailable, codeFromOutbox as outboxCode, startStack } from "../../../fixtures/e2e.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { pdfsig, qpdfCheck } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"

const ok = chromiumAvailable("browser journeys (contracts)")

describe.skipIf(!ok)("browser journey: initiate, sign in sequence with SMS codes, download (C1, C4, C9)", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  const logIn = async (browser: Browser, mobile: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(`${stack.webUrl}/login`)
    await page.fill("#f-mobile", mobile)
    await page.fill("#f-password", "Demo1234")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")
    return page
  }

  const codeFromOutbox = (page: Page, mobile: string) => outboxCode(page, stack.webUrl, mobile)

  const sign = async (page: Page, mobile: string) => {
    await page.getByRole("button", { name: "确认合同" }).click()
    await expect.poll(() => page.locator("#sign-box").innerText()).toContain("验证码已发送")
    await page.fill("#f-code", await codeFromOutbox(page, mobile))
    await page.getByRole("button", { name: "确定签署" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("签署成功")
  }

  it("张三 sends, both sign, the downloaded PDF validates", async () => {
    const file = join(stack.apps.dataDir, "合同.pdf")
    writeFileSync(file, await classicPdf(2, "Purchase agreement"))
    const zhang = await logIn(stack.browser, "13800000001")
    await zhang.getByRole("link", { name: "发起签约" }).first().click()
    await zhang.setInputFiles("#f-document", file)
    await zhang.fill("#f-name", "采购合同")
    await zhang.fill("#f-deadline", new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10))
    await zhang.fill("#f-partyName0", "李四")
    await zhang.fill("#f-partyMobile0", "13800000002")
    await zhang.getByRole("button", { name: "发起签约" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已发起签约")
    const id = zhang.url().match(/contracts\/(\d{19})/)![1]!
    await sign(zhang, "13800000001")

    const li = await logIn(stack.browser, "13800000002")
    await li.getByRole("link", { name: "我的签约" }).first().click()
    await li.getByRole("link", { name: "需要我操作的" }).click()
    await li.getByRole("link", { name: "采购合同" }).click()
    await sign(li, "13800000002")
    await expect.poll(() => li.locator(".card-title .badge").first().innerText()).toBe("签署成功")
    await li.screenshot({ path: join(tmpdir(), "signet-contract-completed.png"), fullPage: true })

    const download = li.waitForEvent("download")
    await li.getByRole("link", { name: "下载合同" }).first().click()
    const pdfPath = join(stack.apps.dataDir, `${id}.pdf`)
    await (await download).saveAs(pdfPath)
    if (requireTools("contract journey validators", "pdfsig", "qpdf")) {
      expect(pdfsig(pdfPath).blocks.map((b) => b.valid)).toEqual([true, true])
      expect(qpdfCheck(pdfPath).status).toBe(0)
    }
    await zhang.context().close()
    await li.context().close()
  }, 120_000)
})
