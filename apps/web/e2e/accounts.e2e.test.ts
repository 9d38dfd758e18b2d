import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Page } from "playwright-core"
import { chromiumAvailable, codeFromOutbox as outboxCode, expectUsable, logOutPortal, openContext, startStack, viaMenu, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"

const ok = chromiumAvailable("browser journeys (accounts)")

describe.skipIf(!ok)("browser journey at 1280×800, its pages again at 375×812: register, log out, log in, change password, address book (A1-A3)", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  const codeFromOutbox = (page: Page, mobile: string) => outboxCode(page, stack.webUrl, mobile)

  it("goes through the real pages", async () => {
    const context = await openContext(stack.browser, viewport)
    const page = await context.newPage()
    const mobile = "13612345678"
    await page.goto(`${stack.webUrl}/login`)
    await expectUsable(page, "登录")
    await page.getByRole("link", { name: "注册账户" }).click()
    await expect.poll(() => page.url()).toContain("/register")
    await expectUsable(page, "注册")

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
    await expectUsable(page, "注册（字段错误）")

    await page.fill("#f-password", "abc12345")
    await page.fill("#f-confirmPassword", "abc12345")
    await page.getByRole("button", { name: "注册", exact: true }).click()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("账户注册成功")
    await expectUsable(page, "注册成功")
    await page.getByRole("link", { name: "进入工作台" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")
    await expectUsable(page, "个人工作台")

    await logOutPortal(page)
    await expect.poll(() => page.url()).toContain("/login")

    await page.fill("#f-mobile", mobile)
    await page.fill("#f-password", "abc12345")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")

    await viaMenu(page, "修改密码")
    await expectUsable(page, "修改密码")
    await page.fill("#f-oldPassword", "abc12345")
    await page.fill("#f-newPassword", "xyz98765")
    await page.fill("#f-confirmPassword", "xyz98765")
    await page.getByRole("button", { name: "确认修改" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("密码已修改")
    await page.screenshot({ path: `${stack.apps.dataDir}/password-changed.png` })

    await logOutPortal(page)
    await page.fill("#f-mobile", mobile)
    await page.fill("#f-password", "abc12345")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".alert-error").innerText()).toBe("手机号或密码错误")
    await page.fill("#f-password", "xyz98765")
    await page.getByRole("button", { name: "登录" }).click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人工作台")

    await viaMenu(page, "收货地址")
    await expectUsable(page, "收货地址")
    await page.fill("#f-recipient", "赵六")
    await page.fill("#f-mobile", "13900001111")
    await page.fill("#f-region", "浙江省 杭州市 西湖区")
    await page.fill("#f-detail", "文三路 90 号")
    await page.getByRole("button", { name: "保存地址" }).click()
    await expect.poll(() => page.locator(".table tbody tr").count()).toBe(1)
    expect(await page.locator(".table tbody tr").first().innerText()).toContain("默认")
    await expectUsable(page, "收货地址（已保存）")
    await context.close()
  }, 90_000)

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
