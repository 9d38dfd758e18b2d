import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Locator, Page } from "playwright-core"
import { Option } from "effect"
import { PDFDocument, StandardFonts } from "pdf-lib"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { TemplateRepository } from "../../../core/ports/TemplateRepository.ts"
import { chromiumAvailable, codeFromOutbox, expectUsable, logInPortal, openMenu, startStack, viaMenu, VIEWPORTS, type Viewport } from "../../../fixtures/e2e.ts"
import { demoEnterprise, otherEnterprise } from "../../../fixtures/organizations/webWorld.ts"
import { inked, pixelsIn, renderPage } from "../../../fixtures/signing/render.ts"
import { pdfsig, qpdfCheck } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"

const ok = chromiumAvailable("browser journeys (personal signature, templates)")
const tools = requireTools("template journey validators", "pdfsig", "qpdf", "pdftoppm", "pdftotext")

/** Whether an <img> finished loading real pixels. */
const loaded = (page: Page, selector: string) => page.locator(selector).first().evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)

/** A wavy stroke across the canvas, drawn with mouse events (the pad listens to pointer events, as a finger's are). */
const draw = async (page: Page, canvas: string) => {
  const box = (await page.locator(canvas).boundingBox())!
  await page.mouse.move(box.x + 30, box.y + box.height * 0.6)
  await page.mouse.down()
  for (let i = 1; i <= 24; i++) await page.mouse.move(box.x + 30 + i * (box.width - 60) / 24, box.y + box.height * (0.55 - 0.3 * Math.sin(i / 3)))
  await page.mouse.up()
}

/** A one-page template with printed labels, to place fields beside (high on the page: every box is dragged within a phone's screen). */
const templatePdf = async () => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (const [text, y] of [["Client:", 705], ["Start date:", 675], ["Agreed:", 645], ["Party A signs", 560], ["Party B seals", 560]] as const) {
    page.drawText(text, { x: text === "Party B seals" ? 250 : 72, y, size: 11, font })
  }
  return doc.save({ useObjectStreams: false })
}

/**
 * Drags `box` so that its bottom-left corner lands on (x, y) in PDF points of the A4 page drawn in `pageEl`:
 * with a finger on a phone (touch events, which Chromium turns into the pointer events the editor listens to),
 * with the mouse on a laptop.
 */
const dragTo = async (page: Page, box: Locator, pageEl: Locator, to: { x: number; y: number }, viewport: Viewport) => {
  // The page's top just under the sticky header, so the box and where it goes are both on screen.
  await pageEl.evaluate((e) => {
    e.scrollIntoView({ block: "start" })
    window.scrollBy(0, -(document.querySelector(".topbar")?.getBoundingClientRect().bottom ?? 0) - 8)
  })
  const p = (await pageEl.boundingBox())!
  const b = (await box.boundingBox())!
  const k = p.width / 595
  const from = { x: b.x + b.width / 2, y: b.y + b.height / 2 }
  const target = { x: p.x + to.x * k + b.width / 2, y: p.y + (842 - to.y) * k - b.height / 2 }
  const steps = 12
  const at = (i: number) => ({ x: from.x + (target.x - from.x) * i / steps, y: from.y + (target.y - from.y) * i / steps })
  if (viewport.width < 600) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [from] })
    for (let i = 1; i <= steps; i++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [at(i)] })
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] })
    await cdp.detach()
  } else {
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    for (let i = 1; i <= steps; i++) await page.mouse.move(at(i).x, at(i).y)
    await page.mouse.up()
  }
}

describe.skipIf(!ok).each(VIEWPORTS)("browser journey at $name: a personal signature drawn by hand, an enterprise template placed by dragging on its pages, filled and signed (issue 17)", (viewport) => {
  let stack: Awaited<ReturnType<typeof startStack>>
  let demo: Awaited<ReturnType<typeof demoEnterprise>>
  beforeAll(async () => {
    stack = await startStack()
    demo = await demoEnterprise(stack.apps)
    await otherEnterprise(stack.apps, "13700000777")
  }, 60_000)
  afterAll(async () => { await stack?.stop() })

  it("李四 draws his signature and generates a 个人名章 in 我的签名; 张三 uploads a template, drags a text field and a signing box onto its pages (types the others), initiates it to 李四 and an enterprise; 李四 signs with a signature drawn on the sign page", async () => {
    const li = await logInPortal(stack.browser, stack.webUrl, "13800000002", { viewport })
    await viaMenu(li, "我的签名")
    await expect.poll(() => li.locator(".page-title").innerText()).toBe("我的签名")
    await expectUsable(li, "我的签名")
    // touch-action none: a finger draws instead of scrolling the page.
    expect(await li.locator("#signature-canvas").evaluate((c) => getComputedStyle(c).touchAction)).toBe("none")
    await draw(li, "#signature-canvas")
    await li.getByRole("button", { name: "保存签名" }).click()
    await expect.poll(() => li.locator(".alert-success").innerText()).toContain("签名已保存")
    expect(await li.locator(".detail-head").innerText()).toContain("手写于")
    await expect.poll(() => loaded(li, "img[alt=我的签名]")).toBe(true)
    await li.getByRole("button", { name: "生成名章并设为签名" }).click()
    await expect.poll(() => li.locator(".alert-success").innerText()).toContain("已生成个人名章")
    expect(await li.locator(".detail-head").innerText()).toContain("生成名章于")
    await expect.poll(() => loaded(li, "img[alt=我的签名]")).toBe(true)
    await expectUsable(li, "我的签名（名章）")
    await li.screenshot({ path: join(tmpdir(), `signet-my-signature-${viewport.width}.png`), fullPage: true })

    const zhang = await logInPortal(stack.browser, stack.webUrl, "13800000001", { viewport })
    await zhang.goto(`${stack.webUrl}/org/${demo.enterpriseId}`)
    const toTemplates = async () => {
      await openMenu(zhang)
      await zhang.locator(".nav-item", { hasText: "合同模板" }).click()
      await expect.poll(() => zhang.locator(".page-title").innerText()).toBe("合同模板")
    }
    await toTemplates()
    await expectUsable(zhang, "合同模板")
    const file = join(stack.apps.dataDir, "template.pdf")
    writeFileSync(file, await templatePdf())
    await zhang.fill("#f-name", "服务合同模板")
    await zhang.fill("#f-roles", "甲方、乙方")
    await zhang.setInputFiles("#f-document", file)
    await zhang.getByRole("button", { name: "上传并设置填写项" }).click()
    await expect.poll(() => zhang.url()).toMatch(/templates\/\d{19}\/edit$/)
    // The template's page drawn by pdf.js (no native PDF iframe); 放置 is offered once it is there.
    const pageEl = zhang.locator('#template-layout .placement-page[data-page="1"]')
    await expect.poll(() => pageEl.locator("canvas").count()).toBe(1)
    await expect.poll(() => zhang.locator('[data-row="field0"] .place-row').isEnabled()).toBe(true)
    await expectUsable(zhang, "设置填写项")
    const row = async (prefix: "f" | "b", i: number, values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) {
        const input = zhang.locator(`#f-${prefix}${k}${i}`)
        if (k === "Kind" || k === "Role") await input.selectOption(v)
        else await input.fill(v)
      }
    }
    /** The rectangle a row's inputs hold now, in PDF points. */
    const rectOf = async (prefix: "f" | "b", i: number) => {
      const [page, x, y, width, height] = await Promise.all(["Page", "X", "Y", "W", "H"].map((k) => zhang.locator(`#f-${prefix}${k}${i}`).inputValue()))
      return { page: Number(page), x: Number(x), y: Number(y), width: Number(width), height: Number(height) }
    }
    // 委托方 (text) placed and dragged beside "Client:"; 李四's signature box dragged under "Party A signs".
    await row("f", 0, { Label: "委托方", Kind: "text" })
    await zhang.locator('[data-row="field0"]').getByRole("button", { name: "放置" }).click()
    const fieldBox = pageEl.locator(".placement-box.kind-field")
    await expect.poll(() => fieldBox.count()).toBe(1)
    await dragTo(zhang, fieldBox, pageEl, { x: 150, y: 700 }, viewport)
    const field = await rectOf("f", 0)
    // Within two pixels of where it was dropped (on a phone one pixel is almost two points).
    const tolerance = 2 * 595 / (await pageEl.boundingBox())!.width
    expect([field.page, Math.abs(field.x - 150) <= tolerance || field.x, Math.abs(field.y - 700) <= tolerance || field.y, field.width, field.height]).toEqual([1, true, true, 200, 20])
    await row("b", 0, { Role: "0", Kind: "signature" })
    await zhang.locator('[data-row="box0"]').getByRole("button", { name: "放置" }).click()
    const signBox = pageEl.locator(".placement-box.kind-signature")
    await expect.poll(() => signBox.count()).toBe(1)
    await dragTo(zhang, signBox, pageEl, { x: 72, y: 480 }, viewport)
    const sign = await rectOf("b", 0)
    expect([sign.page, Math.abs(sign.x - 72) <= tolerance || sign.x, Math.abs(sign.y - 480) <= tolerance || sign.y, sign.width, sign.height]).toEqual([1, true, true, 150, 60])
    // Typed numbers (the no-JavaScript way) show as boxes too.
    await row("f", 1, { Label: "开始日期", Kind: "date", Page: "1", X: "150", Y: "670", W: "160", H: "20" })
    await row("f", 2, { Label: "同意条款", Kind: "checkbox", Page: "1", X: "150", Y: "640", W: "20", H: "20" })
    await row("b", 1, { Role: "0", Kind: "date", Page: "1", X: "72", Y: "440", W: "150", H: "30" })
    await row("b", 2, { Role: "1", Kind: "seal", Page: "1", X: "250", Y: "460", W: "90", H: "90" })
    await row("b", 3, { Role: "1", Kind: "signature", Page: "1", X: "345", Y: "470", W: "75", H: "60" })
    await expect.poll(() => pageEl.locator(".placement-box").count()).toBe(7)
    await zhang.screenshot({ path: join(tmpdir(), `signet-template-editor-${viewport.width}.png`), fullPage: true })
    await zhang.getByRole("button", { name: "保存", exact: true }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已保存")
    await expectUsable(zhang, "设置填写项（已保存）")
    const template = (await stack.apps.run(TemplateRepository.use((r) => r.ofEnterprise(demo.enterpriseId)))).find((t) => t.name === "服务合同模板")!
    expect([{ ...template.fields[0]!, key: "" }, { ...template.boxes[0]! }]).toEqual([{ key: "", label: "委托方", kind: "text", ...field }, { role: 0, kind: "signature", ...sign }])

    await toTemplates()
    await zhang.locator("tr", { hasText: "服务合同模板" }).getByRole("link", { name: "使用模板发起" }).click()
    await expect.poll(() => zhang.locator("#f-v_f1").count()).toBe(1)
    await expectUsable(zhang, "使用模板发起")
    await zhang.fill("#f-v_f1", "北京星河科技有限公司")
    await zhang.fill("#f-v_f2", "2026-12-31")
    await zhang.check("#f-v_f3")
    await zhang.fill("#f-partyName0", "李四")
    await zhang.fill("#f-partyMobile0", "13800000002")
    await zhang.selectOption("#f-partyKind1", "enterprise")
    await zhang.fill("#f-partyName1", "广州示例物流有限公司")
    await zhang.getByRole("button", { name: "生成合同并发起签约" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已发起签约")
    await expectUsable(zhang, "合同详情（从模板发起）")
    const id = zhang.url().match(/contracts\/(\d{19})/)![1]! as NumericId
    const sent = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id))))
    expect([sent.initiatorEnterpriseId, sent.parties.map((p) => p.enterpriseId !== undefined), sent.fields.map((f) => [f.partyIndex, f.kind])]).toEqual([
      demo.enterpriseId, [false, true], [[0, "signature"], [0, "date"], [1, "seal"], [1, "signature"]],
    ])

    // 李四 signs with a signature drawn on the sign page (instead of the name seal he saved).
    await li.goto(`${stack.webUrl}/contracts/${id}`)
    await expectUsable(li, "签署页")
    await li.getByRole("button", { name: "确认合同" }).click()
    await expect.poll(() => li.locator("#sign-box").innerText()).toContain("验证码已发送")
    await expect.poll(() => li.locator("#sign-box [data-signature-pad]").isVisible()).toBe(true)
    await expectUsable(li, "签署页（验证码已发送）")
    await draw(li, "#sign-box canvas")
    await li.fill("#f-code", await codeFromOutbox(li, stack.webUrl, "13800000002"))
    await li.getByRole("button", { name: "确定签署" }).click()
    await expect.poll(() => li.locator(".alert-success").innerText()).toContain("签署成功")
    await expectUsable(li, "签署成功")

    const signed = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id))))
    const pdf = Option.getOrThrow(await stack.apps.run(BlobStore.use((b) => b.get(signed.documentSha256))))
    await li.context().close()
    await zhang.context().close()
    if (!tools) return
    const path = join(stack.apps.dataDir, "template-signed.pdf")
    writeFileSync(path, pdf)
    const text = spawnSync("pdftotext", ["-enc", "UTF-8", path, "-"], { encoding: "utf8" })
    expect(text.stderr).toBe("")
    for (const v of ["北京星河科技有限公司", "2026年12月31日", "√"]) expect(text.stdout.replace(/\s+/g, "")).toContain(v)
    const page = renderPage(pdf, 1)
    // Ink inside the dragged box (its whole points, 1 px = 1 pt at 72 dpi).
    const [sx, sy, sw, sh] = [Math.ceil(sign.x), Math.ceil(sign.y), Math.floor(sign.width) - 1, Math.floor(sign.height) - 1]
    expect(pixelsIn(page, sx, sy, sw, sh, inked), "李四's drawn signature in the dragged box").toBeGreaterThan(200)
    expect(pixelsIn(page, sx, sy, sw, sh, (r, g, b) => r > 170 && g < 90 && b < 90), "drawn, not his name seal").toBe(0)
    expect(pixelsIn(page, 72, 440, 150, 30, inked), "李四's date").toBeGreaterThan(100)
    expect(pdfsig(path).blocks.map((b) => b.valid)).toEqual([true])
    expect(qpdfCheck(path).status).toBe(0)
  }, 240_000)
})
