import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { chromiumAvailable, expectUsable, logInPortal, openMenu, PHONE, startStack, type Viewport, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"
import { signaturePng } from "../../../fixtures/organizations/sealWorld.ts"
import { demoEnterprise } from "../../../fixtures/organizations/webWorld.ts"

const ok = chromiumAvailable("browser journeys (seals and signatures)")

const logIn = (browser: Browser, webUrl: string, mobile: string, viewport: Viewport) => logInPortal(browser, webUrl, mobile, { viewport })

/** The right edge of the widest thing in the page's content (the header is the organizations pages' own). */
const contentRight = (page: Page) =>
  page.evaluate(() => Math.max(...[...document.querySelectorAll("main.content *")].map((e) => e.getBoundingClientRect().right)))

/** Whether an <img> finished loading real pixels. */
// The image loads after the success alert shows: callers poll it.
const loaded = (page: Page, selector: string) => page.locator(selector).first().evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)

describe.skipIf(!ok)("browser journey at 1280×800, its pages again at 375×812: seals and signatures (E5-E7)", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  let demo: Awaited<ReturnType<typeof demoEnterprise>>
  beforeAll(async () => {
    stack = await startStack()
    // Members are the organizations pages' business; here 李四 and 王小明 simply are an agent and a signatory.
    demo = await demoEnterprise(stack.apps)
  }, 60_000)
  afterAll(async () => { await stack?.stop() })

  it("the admin adds a generated seal and authorizes the agent; the signatory uploads and draws a signature and delegates it to the agent", async () => {
    const org = `${stack.webUrl}/org/${demo.enterpriseId}`
    const zhang = await logIn(stack.browser, stack.webUrl, "13800000001", viewport)
    await zhang.goto(`${org}/seals`)
    await expect.poll(() => zhang.locator(".nav-item", { hasText: "签名管理" }).count()).toBe(1)
    await openMenu(zhang)
    await zhang.locator(".nav-item", { hasText: "印章管理" }).click()
    await expectUsable(zhang, "印章管理")
    await zhang.selectOption("#f-type", "contract")
    await zhang.fill("#f-name", "合同专用章")
    await zhang.getByRole("radio", { name: /系统生成/ }).check()
    await zhang.getByRole("button", { name: "添加印章" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("印章已添加")
    await expect.poll(() => loaded(zhang, ".detail-head img")).toBe(true)
    await zhang.selectOption("#f-userId", demo.li)
    await zhang.getByRole("button", { name: "授权", exact: true }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("已授权")
    expect(await zhang.locator("table").first().innerText()).toMatch(/李四[\s\S]*有效/)
    await expectUsable(zhang, "印章管理（已授权）")
    await zhang.screenshot({ path: join(stack.apps.dataDir, "seal-page.png"), fullPage: true })
    await zhang.context().close()

    const wang = await logIn(stack.browser, stack.webUrl, "13800000003", viewport)
    await wang.goto(`${org}/signatures`)
    await expectUsable(wang, "签名管理")
    const file = join(stack.apps.dataDir, "my-signature.png")
    writeFileSync(file, signaturePng())
    await wang.setInputFiles("#f-image", file)
    await wang.getByRole("button", { name: "保存签名" }).click()
    await expect.poll(() => wang.locator(".alert-success").innerText()).toContain("签名已保存")
    await expect.poll(() => loaded(wang, "img[alt=我的签名]")).toBe(true)
    expect(await wang.locator(".detail-head").innerText()).toContain("上传于")

    // Drawn on the canvas (static/signature-pad.js), sent as a PNG and checked like an upload.
    const box = (await wang.locator("#signature-canvas").boundingBox())!
    await wang.mouse.move(box.x + 30, box.y + box.height * 0.6)
    await wang.mouse.down()
    for (let i = 1; i <= 20; i++) await wang.mouse.move(box.x + 30 + i * 12, box.y + box.height * (0.6 - 0.3 * Math.sin(i / 3)))
    await wang.mouse.up()
    await wang.getByRole("button", { name: "保存签名" }).click()
    await expect.poll(() => wang.locator(".alert-success").innerText()).toContain("签名已保存")
    // The page before the post already says 签名已保存 (the upload): wait for the one that shows the drawn signature.
    await expect.poll(() => wang.locator(".detail-head").innerText()).toContain("手写于")
    await expect.poll(() => loaded(wang, "img[alt=我的签名]")).toBe(true)

    await wang.selectOption("#f-agentUserId", demo.li)
    await wang.selectOption("#f-scope", "all")
    await wang.fill("#f-validUntil", "2099-12-31T18:00")
    await wang.getByRole("button", { name: "授权", exact: true }).click()
    await expect.poll(() => wang.locator(".alert-success").innerText()).toContain("已授权")
    expect(await wang.locator("table").first().innerText()).toMatch(/李四[\s\S]*全部合同[\s\S]*有效/)
    await expectUsable(wang, "签名管理（已授权）")
    await wang.context().close()

    // The agent sees both: the seal authorized to them, the signature delegated to them; at phone width too.
    const li = await logIn(stack.browser, stack.webUrl, "13800000002", PHONE)
    await li.goto(`${org}/seals`)
    expect(await li.locator("table tbody").innerText()).toMatch(/合同专用章[\s\S]*李四/)
    expect(await contentRight(li)).toBeLessThanOrEqual(375)
    await expectUsable(li, "印章管理（经办人，手机）")
    await li.goto(`${org}/signatures`)
    expect(await li.locator("section", { hasText: "授权给我的签名" }).innerText()).toMatch(/王小明[\s\S]*有效/)
    expect(await contentRight(li)).toBeLessThanOrEqual(375)
    await li.context().close()
  }, 120_000)

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
