import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { chromiumAvailable, codeFromOutbox, expectUsable, logInPortal, openMenu, PHONE, startStack, type Viewport, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"
import { createUser } from "../../../fixtures/boot.ts"
import { verifyUser } from "../../../fixtures/organizations.ts"

const ok = chromiumAvailable("browser journeys (enterprise workspace)")

describe.skipIf(!ok)("browser journey at 1280×800, its pages again at 375×812: the enterprise admin adds an agent and a signatory, withdraws a wrong invitation, creates a branch, hands the admin role over (E1-E4)", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => { await stack?.stop() })

  const title = (page: Page) => page.locator(".page-title").innerText()
  const logIn = (browser: Browser, mobile: string, at: Viewport = viewport) => logInPortal(browser, stack.webUrl, mobile, { viewport: at })
  /** An entry of the 企业工作台 menu (behind 菜单 on a phone); the page it opens must be usable. */
  const menu = async (page: Page, label: string) => {
    await openMenu(page)
    const link = page.locator(".nav-org").getByRole("link", { name: label, exact: true })
    const href = (await link.getAttribute("href"))!
    await link.click()
    await page.waitForURL((u) => u.pathname === href)
    await expectUsable(page, label)
  }
  /** 切换到企业用户 in the header (behind 菜单 on a phone). */
  const toEnterprise = async (page: Page) => {
    await openMenu(page)
    await page.getByRole("link", { name: "切换到企业用户" }).click()
    await expect.poll(() => title(page)).toBe("切换到企业用户")
    await expectUsable(page, "切换到企业用户")
  }

  /** The invited user opens 切换到企业用户 and accepts the one invitation waiting there. */
  const acceptInvitation = async (mobile: string) => {
    const page = await logIn(stack.browser, mobile)
    await toEnterprise(page)
    await expect.poll(() => page.locator("#inbox").innerText()).toContain("北京示例科技有限公司")
    await page.locator("#inbox").getByRole("button", { name: "接受" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("您已加入该企业")
    await expectUsable(page, "已加入企业")
    expect(await page.locator(".nav-org").innerText()).toContain("企业工作台")
    await page.context().close()
  }

  it("goes through the real pages", async () => {
    // Three verified people who are not members yet (verification itself has its own journey).
    for (const [mobile, name] of [["13600000001", "赵敏"], ["13600000002", "陈静"], ["13600000003", "周九"]] as const) {
      await stack.apps.run(verifyUser(await createUser(stack.apps, mobile, name), name))
    }
    const zhang = await logIn(stack.browser, "13800000001")
    await expectUsable(zhang, "个人工作台")
    await toEnterprise(zhang)
    await zhang.getByRole("link", { name: /北京示例科技有限公司/ }).click()
    await expect.poll(() => title(zhang)).toBe("企业信息")
    await expectUsable(zhang, "企业信息")
    expect(await zhang.locator(".switcher-current").innerText()).toContain("北京示例科技有限公司")

    // 成员信息 → 添加经办人.
    await menu(zhang, "成员信息")
    await expect.poll(() => title(zhang)).toBe("成员信息")
    // The manual's columns (on a phone the header row is folded into each cell's label).
    expect(await zhang.locator("#members thead th").allTextContents()).toEqual(["账号", "姓名", "角色", "所属", "部门", "操作"])
    await zhang.fill("#add-agent #f-mobile", "13600000001")
    await zhang.fill("#add-agent #f-department", "法务部")
    await zhang.getByRole("button", { name: "发送邀请" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("邀请已发送")
    // 签署人 → 添加签署人.
    await menu(zhang, "签署人")
    await zhang.fill("#f-mobile", "13600000002")
    await zhang.getByRole("button", { name: "发送邀请" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("邀请已发送")
    // 撤回: an invitation sent to the wrong person is withdrawn before it is answered (confirmed in a dialog).
    await menu(zhang, "成员信息")
    await zhang.fill("#add-agent #f-mobile", "13600000003")
    await zhang.getByRole("button", { name: "发送邀请" }).click()
    await expect.poll(() => zhang.locator("#pending-invitations").innerText()).toContain("周九（13600000003） · 经办人")
    zhang.once("dialog", (d) => void d.accept().catch(() => undefined))
    await zhang.locator("#pending-invitations li", { hasText: "周九" }).getByRole("button", { name: "撤回" }).click()
    await expect.poll(() => zhang.locator(".alert-success").innerText()).toContain("邀请已撤回")
    const waiting = await zhang.locator("#pending-invitations").innerText()
    expect([waiting.includes("周九"), waiting.includes("赵敏"), waiting.includes("陈静")]).toEqual([false, true, true])
    // 分公司 → 新建分公司.
    await menu(zhang, "分公司")
    await zhang.fill("#f-name", "深圳分公司")
    await zhang.getByRole("button", { name: "新建分公司" }).click()
    await expect.poll(() => zhang.locator(".tree").first().innerText()).toContain("深圳分公司")

    await acceptInvitation("13600000001")
    await acceptInvitation("13600000002")
    await menu(zhang, "成员信息")
    const rows = await zhang.locator("#members tbody").innerText()
    expect(rows).toMatch(/赵敏\s+经办人\s+总公司\s+法务部/)
    expect(rows).toMatch(/陈静\s+有权签字人/)

    // 更换管理员: 主观意愿验证 with the code texted to the admin, then the request goes to 周九.
    await menu(zhang, "更换管理员")
    await expect.poll(() => zhang.locator(".wizard .current").innerText()).toContain("主观意愿验证")
    await zhang.fill("#f-mobile", "13600000003")
    await zhang.getByRole("button", { name: "获取验证码" }).click()
    await expect.poll(() => zhang.locator("#code-status").innerText()).toContain("验证码已发送至管理员手机")
    await zhang.fill("#f-code", await codeFromOutbox(zhang, stack.webUrl, "13800000001"))
    await zhang.getByRole("button", { name: "下一步" }).click()
    await expect.poll(() => zhang.locator("#handover-pending").innerText()).toContain("周九")
    // Until 周九 accepts, 张三 is still the admin.
    await menu(zhang, "企业信息")
    expect(await zhang.locator(".nav-org").innerText()).toContain("更换管理员")

    const zhou = await logIn(stack.browser, "13600000003")
    await toEnterprise(zhou)
    await zhou.getByRole("link", { name: "查看并确认" }).click()
    await expect.poll(() => zhou.locator(".card-title").first().innerText()).toBe("接任企业管理员")
    await expectUsable(zhou, "接任企业管理员")
    await zhou.getByRole("button", { name: "接受并成为管理员" }).click()
    await expect.poll(() => zhou.locator(".alert-success").innerText()).toContain("您已成为该企业的管理员")
    expect(await zhou.locator(".nav-org").innerText()).toContain("更换管理员")
    await zhou.screenshot({ path: `${stack.apps.dataDir}/new-admin.png` })
    await expectUsable(zhou, "已成为管理员")
    // The header switcher leads back to the personal account (behind 菜单 on a phone).
    await openMenu(zhou)
    await zhou.locator(".switcher-menu summary").click()
    await zhou.locator(".switcher-menu").getByRole("link", { name: "个人账户" }).click()
    await expect.poll(() => title(zhou)).toBe("个人工作台")
    await zhou.goBack()

    // 张三 is now an agent: no 更换管理员, and the page says so.
    await zhang.reload()
    await expect.poll(() => zhang.locator(".nav-org").innerText()).not.toContain("更换管理员")
    expect(await zhang.locator(".facts").nth(1).innerText()).toContain("经办人")
    await expectUsable(zhang, "企业信息（经办人）")

    // The members page at phone width: no sideways scrolling.
    const phone = await logIn(stack.browser, "13600000003", PHONE)
    await phone.goto(zhou.url().replace(/\?.*$/, "") + "/members")
    await expect.poll(() => title(phone)).toBe("成员信息")
    await expectUsable(phone, "成员信息（新管理员，手机）")
    for (const p of [zhang, zhou, phone]) await p.context().close()
  }, 300_000)

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
