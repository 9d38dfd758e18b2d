import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumAvailable, expectUsable, openContext, startStack, submitStaffLogIn, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"
import { codeAtStep, secretOf, stepNow } from "../../../fixtures/totp.ts"

const ok = chromiumAvailable("browser journeys (staff two-factor)")

describe.skipIf(!ok)("browser journey at 1280×800, its pages again at 375×812: the reviewer binds an authenticator and logs in with its code (X1)", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  it("dashboard reminder → QR and secret → first code confirms → log-in asks for the code; a phone-width page still fits", async () => {
    const context = await openContext(stack.browser, viewport)
    const page = await context.newPage()
    await page.goto(`${stack.adminUrl}/login`)
    await expectUsable(page, "运营后台登录")
    await submitStaffLogIn(page)
    await page.getByRole("link", { name: "立即绑定" }).click()
    await expect.poll(() => page.locator("h1.page-title").innerText()).toBe("身份验证器")
    await expectUsable(page, "身份验证器")
    const qr = page.locator(".totp-qr svg")
    await expect.poll(() => qr.isVisible()).toBe(true)
    const box = await qr.boundingBox()
    expect(box!.width).toBeGreaterThan(100)
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width)
    const uri = await page.locator(".totp-uri").innerText()
    expect(await page.locator(".totp-secret").innerText()).toMatch(/^[A-Z2-7]{32}$/)
    const secret = secretOf(uri)
    const step = stepNow()
    await page.fill("#f-code", codeAtStep(secret, step))
    await page.getByRole("button", { name: "确认绑定" }).click()
    await expect.poll(() => page.locator(".card").first().innerText()).toContain("身份验证器已绑定")
    await page.getByRole("button", { name: "退出" }).click()

    await submitStaffLogIn(page)
    await expect.poll(() => page.locator(".alert-error").innerText()).toBe("用户名、密码或动态验证码错误")
    await submitStaffLogIn(page, { code: codeAtStep(secret, step + 1) })
    await expect.poll(() => page.locator("h1.page-title").innerText()).toBe("工作台")
    expect(await page.locator("body").innerText()).not.toContain("尚未绑定身份验证器")
    await expectUsable(page, "工作台")
    // The evidence explorer (the chain as a timeline, hashes folded) and the styled 404.
    await page.goto(`${stack.adminUrl}/evidence?q=%230`)
    await expect.poll(() => page.locator(".timeline-item").count()).toBeGreaterThan(0)
    expect(await page.locator(".timeline details.tech[open]").count()).toBe(0)
    await expectUsable(page, "证据查询")
    const missing = await page.goto(`${stack.adminUrl}/no-such-page`)
    expect(missing?.status()).toBe(404)
    expect(await page.locator("h1").innerText()).toBe("页面不存在")
    await expectUsable(page, "404")
    await context.close()
  }, 60_000)

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
