import { logSink } from "../../../adapters/observability/index.ts"
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { bootForTest, logInAs } from "../../../fixtures/boot.ts"
import { apiClient, demoEnterprise } from "../../api/fixtures.ts"
import { boot } from "../boot.ts"
import { loadConfig } from "../config.ts"

const mode = (path: string) => statSync(path).mode & 0o777

describe("one error boundary per app (issue 16 finding 8)", () => {
  afterEach(() => { vi.restoreAllMocks() })

  it("a malformed Origin header is refused with 403 (it was a 500), on the portal and the admin app", async () => {
    const booted = await bootForTest()
    try {
      for (const app of [booted.web, booted.admin]) {
        const res = await app.request("http://localhost/login", { method: "POST", headers: { origin: "http://[", "content-type": "application/x-www-form-urlencoded" }, body: "a=1" })
        expect(res.status).toBe(403)
      }
    } finally {
      await booted.close()
    }
  })

  it("an unexpected failure is a zh-CN 500 page (problem+json on the API) with an incident id that the log names with its cause", async () => {
    const booted = await bootForTest()
    const browser = await logInAs(booted, "13800000001")
    const { admin, enterprise } = await demoEnterprise(booted)
    const api = await apiClient(booted, admin, enterprise.id)
    const logged: Array<string> = []
    // Incidents are JSON log lines (adapters/observability): read them from the sink.
    const write = logSink.write
    logSink.write = (_level, line) => void logged.push(line)
    // The runtime is gone: every use case now fails in a way no route expects.
    await booted.dispose()
    try {
      const page = await browser.get("/account")
      expect(page.status).toBe(500)
      const id = page.html.match(/事件编号：<code>([0-9A-F]{12})<\/code>/)?.[1]
      expect(id).toBeDefined()
      expect(page.html).not.toMatch(/Error|at \w+ \(|undefined/)
      expect(logged.some((l) => l.includes(`incident ${id!}: web GET /account`) && l.includes("ManagedRuntime disposed"))).toBe(true)

      const res = await api.get("/api/v1/contracts")
      expect(res.status).toBe(500)
      expect(res.headers.get("content-type")).toContain("application/problem+json")
      const problem = await res.json() as { title: string; detail?: string }
      expect(problem.title).toBe("系统繁忙，请稍后重试")
      const apiId = problem.detail?.match(/^事件编号 ([0-9A-F]{12})$/)?.[1]
      expect(apiId).toBeDefined()
      expect(logged.some((l) => l.includes(`incident ${apiId!}: api GET`))).toBe(true)
    } finally {
      logSink.write = write
      rmSync(booted.dataDir, { recursive: true, force: true })
    }
  })
})

describe("the data directory is private (issue 16 finding 8: var/signet.db was 0644)", () => {
  it("makes the directory 0700 and the database and dev secrets 0600, tightening what an older version left open", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "signet-perm-"))
    chmodSync(dataDir, 0o755)
    writeFileSync(join(dataDir, "signet.db"), "", { mode: 0o644 })
    chmodSync(join(dataDir, "signet.db"), 0o644)
    const booted = await boot(loadConfig({ SIGNET_DATA_DIR: dataDir }), { expirySweep: false })
    try {
      expect(mode(dataDir)).toBe(0o700)
      expect(mode(join(dataDir, "signet.db"))).toBe(0o600)
      expect(mode(join(dataDir, "dev-secrets.json"))).toBe(0o600)
    } finally {
      await booted.dispose()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
