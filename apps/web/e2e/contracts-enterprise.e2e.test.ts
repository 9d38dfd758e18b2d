import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser, Page } from "playwright-core"
import { Effect, Option } from "effect"
import { chromiumAvailable, codeFromOutbox, expectUsable, logInPortal, startStack, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"
import { createUser } from "../../../fixtures/boot.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { pdfsig, qpdfCheck } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import type { NumericId } from "../../../core/kernel/Ids.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { EnterpriseRepository } from "../../../core/ports/EnterpriseRepository.ts"
import { DEV_PLATFORM_OWNER } from "../../platform/config.ts"
import { demoProvider } from "../../platform/seedPlatform.ts"

const ok = chromiumAvailable("browser journeys (enterprise contracts)")
// The downloaded PDF is checked by both validators, or the journey does not run at all (under CI=true a missing tool fails).
const validators = ok && requireTools("enterprise contract journey validators", "pdfsig", "qpdf")

describe.skipIf(!validators)("browser journey at 1280×800, its pages again at 375×812: an enterprise agent initiates to a person and another enterprise, sequentially; both sign with codes from the outbox, the enterprise with its seal and its signatory's signature (C1, C4, C10, M1)", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  let owner: string
  let provider: string
  beforeAll(async () => {
    stack = await startStack()
    await createUser(stack.apps, "13700000971", "钱八")
    const ids = await stack.apps.run(Effect.gen(function*() {
      const repo = yield* EnterpriseRepository
      return [
        Option.getOrThrow(yield* repo.findByCreditCode(DEV_PLATFORM_OWNER)).id as string,
        Option.getOrThrow(yield* repo.findByCreditCode(demoProvider.creditCode)).id as string,
      ] as const
    }))
    ;[owner, provider] = ids
  }, 120_000)
  afterAll(async () => { await stack?.stop() })

  const logIn = (browser: Browser, mobile: string) => logInPortal(browser, stack.webUrl, mobile, { acceptDownloads: true, viewport })

  /** 确认合同 -> the code texted to `mobile` -> 确定签署. */
  const confirmWithCode = async (page: Page, mobile: string) => {
    await page.getByRole("button", { name: "确认合同" }).click()
    await expect.poll(() => page.locator("#sign-box").innerText()).toContain("验证码已发送")
    await page.fill("#f-code", await codeFromOutbox(page, stack.webUrl, mobile))
    await page.getByRole("button", { name: "确定签署" }).click()
    await expect.poll(() => page.locator(".alert-success").innerText()).toContain("签署成功")
    await expectUsable(page, "签署成功")
  }

  it("李四 initiates for 北京示例科技有限公司; 钱八 signs, then 孙七 signs for 深圳示例信息服务有限公司 with its seal and his signature; the contract is in every party's archive and list, and its PDF validates", async () => {
    const file = join(stack.apps.dataDir, "物流合同.pdf")
    writeFileSync(file, await classicPdf(2, "Logistics agreement"))

    // 李四, an agent of the demo enterprise, initiates for it.
    const li = await logIn(stack.browser, "13800000002")
    await li.goto(`${stack.webUrl}/contracts/new`)
    await expectUsable(li, "发起签约（企业身份）")
    await li.setInputFiles("#f-document", file)
    await li.fill("#f-name", "物流服务合同")
    await li.locator("#f-actAs").selectOption({ label: "北京示例科技有限公司 · 总公司" })
    await li.locator('input[name="includeMe"]').uncheck()
    await li.fill("#f-deadline", new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10))
    await li.fill("#f-partyName0", "钱八")
    await li.fill("#f-partyMobile0", "13700000971")
    await li.locator("#f-partyKind1").selectOption("enterprise")
    await li.fill("#f-partyName1", demoProvider.name)
    await li.getByRole("button", { name: "发起签约" }).click()
    await expect.poll(() => li.locator(".alert-success").innerText()).toContain("已发起签约")
    const id = li.url().match(/contracts\/(\d{19})/)![1]!
    const sent = Option.getOrThrow(await stack.apps.run(ContractRepository.use((r) => r.find(id as NumericId))))
    expect([sent.mode, sent.initiatorOrgName, sent.parties.map((p) => p.enterpriseId ?? p.mobile)]).toEqual(["sequential", "北京示例科技有限公司", ["13700000971", provider]])
    expect(sent.fields.map((f) => `${f.partyIndex}:${f.kind}`)).toEqual(["0:signature", "1:seal", "1:signature"])

    // 钱八 first (sequential). The invitation texted to him is also in his 提醒 (issue 17): the header's bell counts it,
    // the list shows the same words as the SMS, opening it leads to the contract and marks it read.
    const qian = await logIn(stack.browser, "13700000971")
    await qian.goto(`${stack.webUrl}/contracts?tab=mine`)
    await expectUsable(qian, "我的签约 · 需要我操作的")
    const bell = qian.locator("a.bell")
    await expect.poll(() => bell.locator(".bell-count").innerText()).toMatch(/^1\s*条未读$/)
    await bell.click()
    const notice = qian.locator("#notifications .notice-item.unread", { hasText: "物流服务合同" })
    await expect.poll(() => notice.innerText()).toContain(`签约编号 ${id}`)
    await notice.locator("button").click()
    await expect.poll(() => qian.url()).toContain(`/contracts/${id}`)
    await expect.poll(() => qian.locator("a.bell .bell-count").count()).toBe(0)
    await expectUsable(qian, "签署页")
    await confirmWithCode(qian, "13700000971")

    // 赵六, the provider's admin, holds its seals but no signatory's signature: the sign page says why he cannot sign
    // and who can (孙七, 有权签字人、经办人), instead of a disabled 确认合同 (issue 17).
    const zhao = await logIn(stack.browser, demoProvider.admin.mobile)
    await zhao.goto(`${stack.webUrl}/contracts/${id}`)
    const why = zhao.locator("#sign-box .sign-blocked")
    await expect.poll(() => why.innerText()).toContain("您暂时不能代表本企业签署此合同")
    expect(await why.innerText()).toContain("您不是有权签字人")
    expect(await why.innerText()).toContain(`${demoProvider.signatory.name}（经办人、有权签字人）`)
    expect(await zhao.getByRole("button", { name: "确认合同" }).count()).toBe(0)
    await zhao.context().close()

    // 孙七 signs for the provider from its 合同管理 list: its contract seal and his own signature as its signatory.
    const sun = await logIn(stack.browser, demoProvider.signatory.mobile)
    await sun.goto(`${stack.webUrl}/org/${provider}/contracts`)
    await expectUsable(sun, "企业合同管理")
    await sun.locator(`a[href="/contracts/${id}"]`).click()
    await expectUsable(sun, "签署页（企业）")
    await expect.poll(() => sun.locator("#sign-box .card-title").innerText()).toContain(`代表 ${demoProvider.name}`)
    await sun.locator("#f-sealId").selectOption({ label: "合同专用章" })
    await sun.locator("#f-signatoryUserId").selectOption({ label: "孙七（本人）" })
    await confirmWithCode(sun, demoProvider.signatory.mobile)
    await expect.poll(() => sun.locator(".card-title .badge").first().innerText()).toBe("已完成")
    await sun.screenshot({ path: join(tmpdir(), `signet-enterprise-contract-completed-${viewport.width}.png`), fullPage: true })

    // In every party's archive: 我的合同 for the person (and the initiator), the enterprises' 合同管理 lists.
    for (const page of [qian, li]) {
      await page.goto(`${stack.webUrl}/archive`)
      await expect.poll(() => page.locator("body").innerText()).toContain("物流服务合同")
      await expectUsable(page, "我的合同")
    }
    await li.goto(`${stack.webUrl}/org/${owner}/contracts`)
    await expect.poll(() => li.locator("#org-contract-list").innerText()).toContain(id)
    await sun.goto(`${stack.webUrl}/org/${provider}/contracts`)
    const row = sun.locator("tr", { hasText: id })
    await expect.poll(() => row.innerText()).toContain("签署成功")

    const download = sun.waitForEvent("download")
    await row.getByRole("link", { name: "下载合同" }).click()
    const pdfPath = join(stack.apps.dataDir, `${id}.pdf`)
    await (await download).saveAs(pdfPath)
    // One signature for 钱八, two for the enterprise (seal, signatory): all valid, and the file is sound.
    expect(pdfsig(pdfPath).blocks.map((b) => b.valid)).toEqual([true, true, true])
    expect(qpdfCheck(pdfPath).status).toBe(0)
    for (const p of [li, qian, sun]) await p.context().close()
  }, 180_000)

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
