import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { chromiumAvailable, codeFromOutbox as outboxCode, expectUsable, openContext, startStack, viaMenu, submitStaffLogIn, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"
import { syntheticPng } from "../../../fixtures/verification/images.ts"

const ok = chromiumAvailable("browser journeys (verification)")

describe.skipIf(!ok)("browser journey at 1280×800, its pages again at 375×812: personal and enterprise verification, staff review (V1-V4, X2)", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  const dir = mkdtempSync(join(tmpdir(), "signet-e2e-verif-"))
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => {
    await stack?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** A synthetic photo on disk for the file chooser; `ocr` is what the dev OCR "reads" from it. */
  const photo = (name: string, width: number, height: number, ocr?: Record<string, string>) => {
    const path = join(dir, name)
    writeFileSync(path, syntheticPng(width, height, ocr))
    return path
  }

  const codeFromOutbox = (page: Page, mobile: string) => outboxCode(page, stack.webUrl, mobile)

  const register = async (browser: Browser, mobile: string) => {
    const context = await openContext(browser, viewport, { acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(`${stack.webUrl}/register`)
    await expectUsable(page, "注册")
    await page.fill("#f-mobile", mobile)
    await page.getByRole("button", { name: "获取验证码" }).click()
    await expect.poll(() => page.locator("#code-status").innerText()).toContain("验证码已发送")
    await page.fill("#f-code", await codeFromOutbox(page, mobile))
    await page.fill("#f-password", "abc12345")
    await page.fill("#f-confirmPassword", "abc12345")
    await page.getByRole("button", { name: "注册", exact: true }).click()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("账户注册成功")
    await expectUsable(page, "账户注册成功")
    return { context, page }
  }

  /** V1 with a fixture identity: OCR pre-fills name and number, the code goes to the reserved mobile. */
  const verifyPersonally = async (page: Page, who: { name: string; idNumber: string; bankCard: string; mobile: string }) => {
    await page.goto(`${stack.webUrl}/`)
    await expectUsable(page, "个人工作台（未认证）")
    await viaMenu(page, "实名认证")
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("个人实名认证")
    await expectUsable(page, "个人实名认证")
    await page.setInputFiles("#f-photo", photo(`id-${who.mobile}.png`, 856, 540, { name: who.name, idNumber: who.idNumber }))
    await expect.poll(() => page.locator(".preview img").count()).toBe(1)
    // Both sides, as the manual asks (正面 read by OCR, 反面 kept alongside).
    await page.setInputFiles("#f-backPhoto", photo(`id-back-${who.mobile}.png`, 856, 541))
    await page.getByRole("button", { name: "上传并识别" }).click()
    await expect.poll(() => page.locator(".ocr-note").innerText()).toContain("已识别姓名、身份证号")
    // The back was stored with the front's OCR round trip and is carried on (its id in the form).
    await expect.poll(() => page.locator('input[name="backPhotoId"]').count()).toBe(1)
    expect(await page.inputValue("#f-name")).toBe(who.name)
    expect(await page.inputValue("#f-idNumber")).toBe(who.idNumber)
    await expectUsable(page, "个人实名认证（已识别）")
    await page.fill("#f-bankCard", who.bankCard)
    await page.check("input[name=cardType][value=debit]")
    await page.fill("#f-mobile", who.mobile)
    await page.getByRole("button", { name: "获取验证码" }).click()
    await expect.poll(() => page.locator("#code-status").innerText()).toContain("验证码已发送")
    await page.fill("#f-code", await codeFromOutbox(page, who.mobile))
    await page.getByRole("button", { name: "确认提交" }).click()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("您已完成个人实名认证")
    expect(await page.getByRole("link", { name: "暂时跳过，直接登录" }).count()).toBe(1)
    await expectUsable(page, "您已完成个人实名认证")
  }

  /** V2 + V3: details with the licence, download the letter, upload a stamped copy, submit. */
  const applyForEnterprise = async (page: Page, name: string, creditCode: string) => {
    await page.getByRole("link", { name: "企业认证" }).click()
    await expect.poll(() => page.locator(".stepper li.current").innerText()).toContain("提交企业信息")
    await expectUsable(page, "企业认证 · 提交企业信息")
    await page.setInputFiles("#f-licence", photo(`licence-${creditCode}.png`, 1200, 850, { name, creditCode }))
    await page.getByRole("button", { name: "上传并识别" }).click()
    await expect.poll(() => page.locator(".ocr-note").innerText()).toContain("已识别营业执照信息")
    expect(await page.inputValue("#f-creditCode")).toBe(creditCode)
    await expectUsable(page, "企业认证（已识别营业执照）")
    await page.fill("#f-address", "广东省深圳市南山区科技园 1 号")
    await page.fill("#f-legalRepresentative", "周六")
    await page.fill("#f-contactPhone", "0755-26668888")
    await page.fill("#f-email", "admin@example.cn")
    await page.getByRole("button", { name: "确认提交" }).click()
    await expect.poll(() => page.locator(".stepper li.current").innerText()).toContain("上传授权书")
    await expectUsable(page, "企业认证 · 上传授权书")
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "↓ 下载授权书" }).click()])
    const letterPath = join(dir, `letter-${creditCode}.pdf`)
    await download.saveAs(letterPath)
    expect(readFileSync(letterPath).subarray(0, 5).toString()).toBe("%PDF-")
    // The "stamped" copy: a scan of the letter would be a photo; here the downloaded PDF itself.
    await page.setInputFiles("#f-letter", letterPath)
    await page.getByRole("button", { name: "上传授权书", exact: true }).click()
    await expect.poll(() => page.locator(".preview a").innerText()).toContain("已上传 PDF")
    await expectUsable(page, "企业认证（授权书已上传）")
    await page.getByRole("button", { name: "确认提交" }).click()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("企业认证审核中")
    await expectUsable(page, "企业认证审核中")
  }

  const staffOpens = async (name: string) => {
    const context = await openContext(stack.browser, viewport)
    const page = await context.newPage()
    await page.goto(`${stack.adminUrl}/login`)
    await expectUsable(page, "工作人员登录")
    await submitStaffLogIn(page)
    await page.getByRole("link", { name: "企业认证审核", exact: true }).click()
    const row = page.locator("#verification-queue tbody tr", { hasText: name })
    await expect.poll(() => row.count()).toBe(1)
    await row.getByRole("link", { name: "审核" }).click()
    // The licence and both sides of the applicant's ID card (正面, 反面; issue 17).
    await expect.poll(() => page.locator(".review-file img").count()).toBe(3)
    // Every image really loads through the access-checked route.
    const widths = await page.locator(".review-file img").evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))
    expect(widths.every((w) => w > 0)).toBe(true)
    await expectUsable(page, "企业认证审核详情")
    return { context, page }
  }

  it("approval: the new user ends up enterprise admin", async () => {
    const { context, page } = await register(stack.browser, "13655550001")
    await verifyPersonally(page, { name: "陈静", idNumber: "330106199511110051", bankCard: "6258000012345678901", mobile: "13900000013" })
    await applyForEnterprise(page, "深圳示例电子有限公司", "91440300MA5F6G7H8B")

    const staff = await staffOpens("深圳示例电子有限公司")
    await staff.page.getByRole("button", { name: "审核通过" }).click()
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("已审核通过")
    await expectUsable(staff.page, "已审核通过")
    await staff.context.close()

    await page.reload()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("您已完成企业认证")
    expect(await page.locator(".enterprise-list").innerText()).toContain("深圳示例电子有限公司")
    await expectUsable(page, "您已完成企业认证")
    await context.close()
  }, 180_000)

  it("rejection: the reason shows, the fixed application reaches the queue again", async () => {
    const { context, page } = await register(stack.browser, "13655550002")
    await verifyPersonally(page, { name: "赵敏", idNumber: "510107198802200044", bankCard: "6228480011223344554", mobile: "13900000012" })
    await applyForEnterprise(page, "成都示例软件有限公司", "91330106MA2J8K9L0W")

    const staff = await staffOpens("成都示例软件有限公司")
    await staff.page.selectOption("#f-reason", "letter-not-stamped")
    await staff.page.fill("#f-note", "请在授权书上加盖企业公章")
    await staff.page.getByRole("button", { name: "驳回" }).click()
    await expect.poll(() => staff.page.locator(".alert-success").innerText()).toContain("已驳回")
    await expectUsable(staff.page, "已驳回")

    await page.reload()
    await expect.poll(() => page.locator(".rejection").innerText()).toContain("授权书未加盖企业公章")
    expect(await page.locator(".rejection").innerText()).toContain("请在授权书上加盖企业公章")
    await expectUsable(page, "企业认证被驳回")
    await page.getByRole("link", { name: "仅重新上传授权书" }).click()
    await page.setInputFiles("#f-letter", photo("stamped.png", 1240, 1754))
    await page.getByRole("button", { name: "重新上传" }).click()
    await expect.poll(() => page.locator(".preview img").count()).toBe(1)
    await expectUsable(page, "重新上传授权书")
    await page.getByRole("button", { name: "确认提交" }).click()
    await expect.poll(() => page.locator("h2").first().innerText()).toBe("企业认证审核中")

    await staff.page.goto(`${stack.adminUrl}/verifications`)
    const row = staff.page.locator("#verification-queue tbody tr", { hasText: "成都示例软件有限公司" })
    await expect.poll(() => row.innerText()).toContain("第 2 次提交")
    await expectUsable(staff.page, "企业认证审核队列")
    await staff.context.close()
    await context.close()
  }, 180_000)

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
