import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Page } from "playwright-core"
import { Option } from "effect"
import { PDFDocument, StandardFonts } from "pdf-lib"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { TemplateRepository } from "../../../core/ports/TemplateRepository.ts"
import { chromiumAvailable, codeFromOutbox, logInPortal, startStack } from "../../../fixtures/e2e.ts"
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

/** A one-page template with printed labels, to place fields beside. */
const templatePdf = async () => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (const [text, y] of [["Client:", 705], ["Start date:", 675], ["Agreed:", 645], ["Party A signs", 300], ["Party B seals", 300]] as const) {
    page.drawText(text, { x: text === "Party B seals" ? 250 : 72, y, size: 11, font })
  }
  return doc.save({ useObjectStreams: false })
}

describe.skipIf(!ok)("browser journey at 1280×800: a personal signature drawn with the mouse, an enterprise template placed, filled and signed (issue 17)", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  let demo: Awaited<ReturnType<typeof demoEnterprise>>
  beforeAll(async () => {
    stack = await startStack()
    demo = await demoEnterprise(stack.apps)
    await otherEnterprise(stack.apps, "13700000777")
  }, 60_000)
  afterAll(async () => { await stack?.stop() })

  it("李四 draws his signature and generates a 个人名章 in 我的签名; 张三 uploads a template, places a text, a date and a checkbox field and both roles' boxes, initiates it to 李四 and an enterprise; 李四 signs with a signature drawn on the sign page", async () => {
    const li = await logInPortal(stack.browser, stack.webUrl, "13800000002", { width: 1280, height: 800 })
    await li.getByRole("link", { name: "我的签名" }).first().click()
    await expect.poll(() => li.locator(".page-title").innerText()).toBe("我的签名")
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
    await li.screenshot({ path: join(tmpdir(), "signet-my-signature.png"), fullPage: true })

    const zhang = await logInPortal(stack.browser, stack.webUrl, "13800000001", { width: 1280, height: 800 })
    await zhang.goto(`${stack.webUrl}/org/${demo.enterpriseId}`)
    await zhang.locator(".nav-item", { hasText: "合同模板" }).click()
    const file = join(stack.apps.dataDir, "template.pdf")
    writeFileSync(file, await templatePdf())
    await zhang.fill("#f-name", "服务合同模板")
    await zhang.fill("#f-roles", "甲方、乙方")
    await zhang.setInputFiles("#f-document", file)
    await zhang.getByRole("button", { name: "上传并设置填写项" }).click()
    await expect.poll(() => zhang.url()).toMatch(/templates\/\d{19}\/edit$/)
    const row = async (prefix: "f" | "b", i: number, values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) {
        const input = zhang.locator(`#f-${prefix}${k}${i}`)
        if (k === "Kind" || k === "Role") await input.selectOption(v)
        else await input.fill(v)
      }
    }
    await row("f", 0, { Label: "委托方", Kind: "text", Page: "1", X: "150", Y: "700", W: "260", H: "20" })
    await row("f", 1, { Label: "开始日期", Kind: "date", Page: "1", X: "150", Y: "670", W: "160", H: "20" })
    await row("f", 2, { Label: "同意条款", Kind: "checkbox", Page: "1", X: "150", Y: "640", W: "20", H: "20" })
    await row("b", 0, { Role: "0", Kind: "signature", Page: "1", X: "72", Y: "200", W: "150", H: "80" })
    await row("b", 1, { Role: "0", Kind: "date", Page: "1", X: "72", Y: "160", W: "150", H: "30" })
    await row("b", 2, { Role: "1", Kind: "seal", Page: "1", X: "250", Y: "190", W: "90", H: "90" })
    await row("b", 3, { Role: "1", Kind: "signature", Page: "1", X: "345", Y: "200", W: "75", H: "60" })
    await zhang.getByRole("button", { name: "保存", exact: true }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已保存")
    await zhang.screenshot({ path: join(tmpdir(), "signet-template-editor.png"), fullPage: true })

    await zhang.locator(".nav-item", { hasText: "合同模板" }).click()
    await zhang.locator("tr", { hasText: "服务合同模板" }).getByRole("link", { name: "使用模板发起" }).click()
    await zhang.fill("#f-v_f1", "北京星河科技有限公司")
    await zhang.fill("#f-v_f2", "2026-12-31")
    await zhang.check("#f-v_f3")
    await zhang.fill("#f-partyName0", "李四")
    await zhang.fill("#f-partyMobile0", "13800000002")
    await zhang.selectOption("#f-partyKind1", "enterprise")
    await zhang.fill("#f-partyName1", "广州示例物流有限公司")
    await zhang.getByRole("button", { name: "生成合同并发起签约" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已发起签约")
    const id = zhang.url().match(/contracts\/(\d{19})/)![1]! as NumericId
    const sent = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id))))
    expect([sent.initiatorEnterpriseId, sent.parties.map((p) => p.enterpriseId !== undefined), sent.fields.map((f) => [f.partyIndex, f.kind])]).toEqual([
      demo.enterpriseId, [false, true], [[0, "signature"], [0, "date"], [1, "seal"], [1, "signature"]],
    ])

    // 李四 signs with a signature drawn on the sign page (instead of the name seal he saved).
    await li.goto(`${stack.webUrl}/contracts/${id}`)
    await li.getByRole("button", { name: "确认合同" }).click()
    await expect.poll(() => li.locator("#sign-box").innerText()).toContain("验证码已发送")
    await expect.poll(() => li.locator("#sign-box [data-signature-pad]").isVisible()).toBe(true)
    await draw(li, "#sign-box canvas")
    await li.fill("#f-code", await codeFromOutbox(li, stack.webUrl, "13800000002"))
    await li.getByRole("button", { name: "确定签署" }).click()
    await expect.poll(() => li.locator(".alert-success").innerText()).toContain("签署成功")

    const signed = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id))))
    const pdf = Option.getOrThrow(await stack.apps.run(BlobStore.use((b) => b.get(signed.documentSha256))))
    if (!tools) return
    const path = join(stack.apps.dataDir, "template-signed.pdf")
    writeFileSync(path, pdf)
    const text = spawnSync("pdftotext", ["-enc", "UTF-8", path, "-"], { encoding: "utf8" })
    expect(text.stderr).toBe("")
    for (const v of ["北京星河科技有限公司", "2026年12月31日", "√"]) expect(text.stdout.replace(/\s+/g, "")).toContain(v)
    const page = renderPage(pdf, 1)
    expect(pixelsIn(page, 72, 200, 150, 80, inked), "李四's drawn signature").toBeGreaterThan(200)
    expect(pixelsIn(page, 72, 200, 150, 80, (r, g, b) => r > 170 && g < 90 && b < 90), "drawn, not his name seal").toBe(0)
    expect(pixelsIn(page, 72, 160, 150, 30, inked), "李四's date").toBeGreaterThan(100)
    expect(pdfsig(path).blocks.map((b) => b.valid)).toEqual([true])
    expect(qpdfCheck(path).status).toBe(0)
    await li.context().close()
    await zhang.context().close()

    // The new pages at phone width: their content no wider than the screen (the header is the layout's own, issue 17 item 2).
    const wide = async (page: Page) => {
      const rights = await page.evaluate(() => [...document.querySelectorAll("main.content *")].map((e) => e.getBoundingClientRect().right))
      expect(rights.length, "the page has content").toBeGreaterThan(10)
      return Math.max(...rights)
    }
    const liPhone = await logInPortal(stack.browser, stack.webUrl, "13800000002", { width: 375, height: 812 })
    await liPhone.goto(`${stack.webUrl}/account/signature`)
    expect(await wide(liPhone), "我的签名 at 375 px").toBeLessThanOrEqual(375)
    const zhangPhone = await logInPortal(stack.browser, stack.webUrl, "13800000001", { width: 375, height: 812 })
    const tid = (await stack.apps.run(TemplateRepository.use((r) => r.ofEnterprise(demo.enterpriseId)))).find((t) => t.name === "服务合同模板")!.id
    for (const path of ["/templates", `/templates/${tid}/edit`, `/templates/${tid}/new`]) {
      await zhangPhone.goto(`${stack.webUrl}/org/${demo.enterpriseId}${path}`)
      expect(await wide(zhangPhone), `${path} at 375 px`).toBeLessThanOrEqual(375)
    }
    await liPhone.context().close()
    await zhangPhone.context().close()
  }, 180_000)
})
