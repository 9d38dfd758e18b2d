import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Page } from "playwright-core"
import { chromiumAvailable, codeFromOutbox as outboxCode, startStack } from "../../../fixtures/e2e.ts"

const ok = chromiumAvailable("browser journeys (accounts)")

describe.skipIf(!ok)("browser journey: register, log out, log in, change password (A1-A3)", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  const codeFromOutbox = (page: Page, mobile: string) => outboxCode(page, stack.webUrl, mobile)

  it("goes through the real pages", async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" })
    const page = await context.newPage()
    const mobile = "13612345678"
    await page.goto(`${stack.webUrl}/login`)
    await page.getByRole("link", { name: "注册账户" }).click()
    await expect.poll(() => page.url()).toContain("/register")

    // A weak password is refused next to the field; what was typed stays.
    await page.fill("#f-mobile", mobile)
    await page.getByRole("button", { name: "获取验证码" }).click()
    await expect.poll(() => page.locator("#code-status").innerText()).toContain("验证码已发送")
    await expect.poll(() => page.locator("#send-code").isDisabled()).toBe(true)
    const code = await codeFromOutbox(page, mobile)
    await page.fill("#f-code", code)
    await page.fill("#f-password", "abcdefgh")
    await page.fill("#f-confirmPassword", "abcdefgh")
    await page.getByRole("button", { name: "注册", exact: true }).click()
    await expect.poll(() => page.locator("#f-password-error").innerText()).toBe("密码必须包含数字")
    expect(await page.inputValue("#f-mobile")).toBe(mobile)

    await page.fill("#f-password", "abc12345")
    await page.fill("#f-confirmPassword", "abc12345")
    await page.getByRole("button", { name: "注册", exact: true }).click()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("账户注册成功")
    await page.getByRole("link", { name: "进入工作台" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")

    await page.getByRole("button", { name: "退出登录" }).click()
    await expect.poll(() => page.url()).toContain("/login")

    await page.fill("#f-mobile", mobile)
    await page.fill("#f-password", "abc12345")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")

    await page.getByRole("link", { name: "修改密码" }).first().click()
    await page.fill("#f-oldPassword", "abc12345")
    await page.fill("#f-newPassword", "xyz98765")
    await page.fill("#f-confirmPassword", "xyz98765")
    await page.getByRole("button", { name: "确认修改" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("密码已修改")
    await page.screenshot({ path: `${stack.apps.dataDir}/password-changed.png` })

    await page.getByRole("button", { name: "退出登录" }).click()
    await page.fill("#f-mobile", mobile)
    await page.fill("#f-password", "abc12345")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".alert-error").innerText()).toBe("手机号或密码错误")
    await page.fill("#f-password", "xyz98765")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")

    // Address book at phone width.
    await page.setViewportSize({ width: 375, height: 800 })
    await page.goto(`${stack.webUrl}/account/addresses`)
    await page.fill("#f-recipient", "赵六")
    await page.fill("#f-mobile", "13900001111")
    await page.fill("#f-region", "浙江省 杭州市 西湖区")
    await page.fill("#f-detail", "文三路 90 号")
    await page.getByRole("button", { name: "保存地址" }).click()
    await expect.poll(() => page.locator(".table tbody tr").count()).toBe(1)
    expect(await page.locator(".table tbody tr").first().innerText()).toContain("默认")
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(375)
    await context.close()
  }, 90_000)
})
