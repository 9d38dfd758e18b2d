import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PDFDocument } from "pdf-lib"
import { chromiumAvailable, expectUsable, logInPortal, startStack, DESKTOP, expectKeptPagesUsableAtPhone } from "../../../fixtures/e2e.ts"

const ok = chromiumAvailable("browser journeys (evidence)")
const root = new URL("../../../", import.meta.url).pathname

describe.skipIf(!ok)("browser journey at 1280×800, its pages again at 375×812: a user downloads their evidence, checks it on the public page and offline", () => {
  const viewport = DESKTOP
  let stack: Awaited<ReturnType<typeof startStack>>
  const dir = mkdtempSync(join(tmpdir(), "signet-e2e-evidence-"))
  beforeAll(async () => { stack = await startStack() }, 60_000)
  afterAll(async () => {
    await stack?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("log in, download /evidence/mine, upload it to /evidence/verify, verify it with the CLI in another process", async () => {
    const page = await logInPortal(stack.browser, stack.webUrl, "13800000001", { viewport, acceptDownloads: true })
    const context = page.context()

    const download = page.waitForEvent("download")
    await page.evaluate(() => { location.href = "/evidence/mine" })
    const file = join(dir, "bundle.json")
    await (await download).saveAs(file)
    const bundle = JSON.parse(readFileSync(file, "utf8")) as { events: Array<{ body: string; openings: Array<{ field: string; value: string }> }> }
    expect(bundle.events.map((e) => JSON.parse(e.body).type)).toEqual(["user.registered", "user.logged_in"])
    // The real socket's address and the browser's user agent were committed to at log-in.
    expect(bundle.events[1]!.openings.map((o) => o.field)).toEqual(["actor", "ip", "ua"])
    expect(bundle.events[1]!.openings.find((o) => o.field === "ip")?.value).toBe("127.0.0.1")

    await page.goto(`${stack.webUrl}/evidence/verify`)
    await expectUsable(page, "证据验证")
    await page.setInputFiles("#f-bundle", file)
    await page.getByRole("button", { name: "开始验证" }).click()
    await expect.poll(() => page.locator("#evidence-result .alert").innerText()).toContain("验证通过")
    await expectUsable(page, "证据验证结果")

    const env = { ...process.env }
    delete env.DATABASE_URL
    delete env.SIGNET_DATA_DIR
    const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "apps/cli/main.ts"), "evidence", "verify", file], {
      cwd: dir, env, encoding: "utf8", timeout: 60_000,
    })
    expect(r.stdout).toContain("result: valid")
    expect(r.status).toBe(0)
    await context.close()
  })

  it("from a completed contract's page: bundle, signed PDF and 出证报告; the CLI checks SHA-256 and SM3 offline; the report's code opens the public check", async () => {
    const page = await logInPortal(stack.browser, stack.webUrl, "13800000001", { viewport, acceptDownloads: true })
    const context = page.context()
    await page.goto(`${stack.webUrl}/contracts`)
    await expectUsable(page, "我的签约")
    await page.locator("tr", { hasText: "已完成" }).locator("td[data-label=合同名称] a").first().click()
    await expect.poll(() => page.locator(".page-title").innerText()).toBe("合同详情")
    await expectUsable(page, "合同详情（已完成）")

    const save = async (link: string, name: string) => {
      const download = page.waitForEvent("download")
      await page.locator(".detail-head").getByRole("link", { name: link, exact: true }).click()
      const file = join(dir, name)
      await (await download).saveAs(file)
      return file
    }
    const bundle = await save("证据包", "contract-bundle.json")
    const pdf = await save("下载合同", "contract.pdf")
    const report = await save("出证报告", "report.pdf")

    const env = { ...process.env }
    delete env.DATABASE_URL
    delete env.SIGNET_DATA_DIR
    const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "apps/cli/main.ts"), "evidence", "verify", bundle, "--pdf", pdf], {
      cwd: dir, env, encoding: "utf8", timeout: 60_000,
    })
    expect(r.stdout).toMatch(/PASS {2}document hash/)
    expect(r.stdout).toMatch(/PASS {2}document SM3/)
    expect(r.stdout).toMatch(/PASS {2}history complete/)
    expect(r.stdout).toContain("result: valid")
    expect(r.status).toBe(0)

    const code = (await PDFDocument.load(readFileSync(report))).getSubject()?.replace("signet evidence report ", "")
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)
    await page.goto(`${stack.webUrl}/evidence/verify`)
    await page.fill("#f-code", code!.toLowerCase())
    await page.getByRole("button", { name: "核验报告" }).click()
    await expect.poll(() => page.locator("#evidence-result .alert").innerText()).toContain("验证通过")
    await expectUsable(page, "证据验证结果")
    await context.close()
  })

  it("every page it checked, shown again at 375×812 (fixtures/e2e.ts phone pass)", () => expectKeptPagesUsableAtPhone(stack.browser), 120_000)
})
