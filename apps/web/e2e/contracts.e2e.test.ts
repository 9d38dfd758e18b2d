import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { chromiumAvailable, codeFromOutbox as outboxCode, expectUsable, logInPortal, startStack, viaMenu, VIEWPORTS } from "../../../fixtures/e2e.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { pdfsig, qpdfCheck } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { Option } from "effect"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"

const ok = chromiumAvailable("browser journeys (contracts)")

describe.skipIf(!ok).each(VIEWPORTS)("browser journey at $name: initiate with a dragged signature box, search and switch tabs with htmx, sign in sequence with SMS codes, download (C1, C4, C7, C9)", (viewport) => {
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  const logIn = (browser: Browser, mobile: string) => logInPortal(browser, stack.webUrl, mobile, { acceptDownloads: true, viewport })

  const codeFromOutbox = (page: Page, mobile: string) => outboxCode(page, stack.webUrl, mobile)

  const sign = async (page: Page, mobile: string) => {
    await page.getByRole("button", { name: "确认合同" }).click()
    await expect.poll(() => page.locator("#sign-box").innerText()).toContain("验证码已发送")
    await page.fill("#f-code", await codeFromOutbox(page, mobile))
    await page.getByRole("button", { name: "确定签署" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("签署成功")
    await expectUsable(page, "签署成功")
  }

  it("张三 places a box and sends, 李四 finds it by search and tab, both sign, the downloaded PDF validates", async () => {
    const file = join(stack.apps.dataDir, "合同.pdf")
    writeFileSync(file, await classicPdf(2, "Purchase agreement"))
    const zhang = await logIn(stack.browser, "13800000001")
    // What the page itself reports, for the failure message should the preview never render.
    const pageErrors: Array<string> = []
    zhang.on("pageerror", (e) => pageErrors.push(String(e)))
    zhang.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()) })
    await expectUsable(zhang, "个人工作台")
    await viaMenu(zhang, "发起签约")
    await expectUsable(zhang, "发起签约")
    await zhang.setInputFiles("#f-document", file)
    await zhang.fill("#f-name", "采购合同")
    await zhang.fill("#f-deadline", new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10))
    await zhang.fill("#f-partyName0", "李四")
    await zhang.fill("#f-partyMobile0", "13800000002")
    // 签署位置: pdf.js renders both pages; a signature box for 李四 is added on page 2 and dragged into place.
    // The file is chosen as soon as the form is there, often before fields.js (which waits for pdf.js) runs:
    // the preview must still come (it did not, about one run in three, until fields.js read an already chosen file).
    await expect.poll(() => zhang.locator(".placement-page canvas").count()).toBe(2)
      .catch((e: unknown) => { throw new Error(`the pdf.js preview did not render two pages; page errors: ${JSON.stringify(pageErrors)}`, { cause: e }) })
    await zhang.locator(".pick-party").selectOption({ label: "2. 李四" })
    await zhang.locator(".pick-kind").selectOption("signature")
    await zhang.locator(".pick-page").selectOption("2")
    await zhang.getByRole("button", { name: "添加签署位置" }).click()
    const placed = zhang.locator('.placement-page[data-page="2"] .placement-box')
    await expect.poll(() => placed.count()).toBe(1)
    const pageEl = zhang.locator('.placement-page[data-page="2"]')
    await pageEl.scrollIntoViewIfNeeded()
    const pageBox = (await pageEl.boundingBox())!
    const start = (await placed.boundingBox())!
    // Held by its centre, dropped at 45% across and 60% down the page.
    await zhang.mouse.move(start.x + start.width / 2, start.y + start.height / 2)
    await zhang.mouse.down()
    await zhang.mouse.move(pageBox.x + pageBox.width * 0.45 + start.width / 2, pageBox.y + pageBox.height * 0.6 + start.height / 2, { steps: 12 })
    await zhang.mouse.up()
    const moved = (await placed.boundingBox())!
    expect(moved.x - start.x).toBeGreaterThan(pageBox.width * 0.3)
    const boxes = JSON.parse(await zhang.locator("#f-fields").inputValue()) as Array<{ partyIndex: number; page: number; x: number; y: number; width: number; height: number; kind: string }>
    expect(boxes.map((b) => [b.partyIndex, b.page, b.kind])).toEqual([[1, 2, "signature"]])
    // Dragged down the page: in PDF points (origin bottom-left) the box now sits in the lower half of the A4 page.
    expect(boxes[0]!.y).toBeLessThan(842 / 2)
    expect(boxes[0]!.x).toBeGreaterThan(595 * 0.3)
    expect(boxes[0]!.x + boxes[0]!.width).toBeLessThanOrEqual(595)
    await zhang.screenshot({ path: join(tmpdir(), `signet-contract-placement-${viewport.width}.png`), fullPage: true })
    await zhang.getByRole("button", { name: "发起签约" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已发起签约")
    const id = zhang.url().match(/contracts\/(\d{19})/)![1]!
    const stored = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id as NumericId))))
    expect(stored.fields.map((f) => ({ ...f }))).toEqual(boxes)
    await expectUsable(zhang, "合同详情")
    await sign(zhang, "13800000001")

    const li = await logIn(stack.browser, "13800000002")
    await viaMenu(li, "我的签约")
    await expectUsable(li, "我的签约")
    // Search and tab clicks swap the list in place (htmx): the page is not reloaded, the address bar follows.
    await li.evaluate(() => { (window as unknown as { stillHere: boolean }).stillHere = true })
    await li.fill("#f-q", "采购")
    await li.getByRole("button", { name: "搜索" }).click()
    await expect.poll(() => li.url()).toContain("q=%E9%87%87%E8%B4%AD")
    await expect.poll(() => li.locator("#contract-list .pager").innerText()).toContain("共 1 条")
    await li.getByRole("link", { name: "需要我操作的" }).click()
    await expect.poll(() => li.url()).toContain("tab=mine")
    await expect.poll(() => li.locator(".tab.active").innerText()).toBe("需要我操作的")
    expect(await li.locator("#f-q").inputValue()).toBe("采购")
    expect(await li.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true)
    await expectUsable(li, "我的签约 · 需要我操作的")
    await li.getByRole("link", { name: "采购合同" }).click()
    await expectUsable(li, "签署页")
    await sign(li, "13800000002")
    await expect.poll(() => li.locator(".card-title .badge").first().innerText()).toBe("签署成功")
    await li.screenshot({ path: join(tmpdir(), `signet-contract-completed-${viewport.width}.png`), fullPage: true })

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
