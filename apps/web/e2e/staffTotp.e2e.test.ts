import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumAvailable, startStack, submitStaffLogIn } from "../../../fixtures/e2e.ts"
import { codeAtStep, secretOf, stepNow } from "../../../fixtures/totp.ts"

const ok = chromiumAvailable("browser journeys (staff two-factor)")

describe.skipIf(!ok)("browser journey: the reviewer binds an authenticator and logs in with its code (X1)", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  it("dashboard reminder → QR and secret → first code confirms → log-in asks for the code; a phone-width page still fits", async () => {
    const context = await stack.browser.newContext({ viewport: { width: 375, height: 800 }, locale: "zh-CN" })
    const page = await context.newPage()
    await page.goto(`${stack.adminUrl}/login`)
    await submitStaffLogIn(page)
    await page.getByRole("link", { name: "立即绑定" }).click()
    await expect.poll(() => page.locator("h1.page-title").innerText()).toBe("身份验证器")
    const qr = page.locator(".totp-qr svg")
    await expect.poll(() => qr.isVisible()).toBe(true)
    const box = await qr.boundingBox()
    expect(box!.width).toBeGreaterThan(100)
    expect(box!.x + box!.width).toBeLessThanOrEqual(375)
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
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await context.close()
  }, 60_000)
})
