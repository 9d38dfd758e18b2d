import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { boot } from "../platform/boot.ts"
import { loadConfig } from "../platform/config.ts"
import { TestBrowser } from "../../fixtures/browser.ts"
import { withEnv } from "../../fixtures/tools.ts"
import { main } from "./main.ts"
import { Effect, Option } from "effect"
import { hasTotp } from "../../core/accounts/staffTotp.ts"
import { StaffSecurity } from "../../core/ports/StaffSecurity.ts"
import { StaffRepository } from "../../core/ports/UserRepository.ts"

const dataDir = mkdtempSync(join(tmpdir(), "signet-cli-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe("signet admin create", () => {
  it("creates a staff account that logs in to the admin app; refuses duplicates and weak passwords", async () => {
    // The command reads its configuration from the environment: point it at SQLite in a temp dir.
    await withEnv({ SIGNET_DATA_DIR: dataDir, DATABASE_URL: undefined }, async () => {
      expect(await main(["admin", "create", "--username", "ops.li", "--name", "运营小李", "--password", "Ops12345"])).toBe(0)
      expect(await main(["admin", "create", "--username", "ops.li", "--password", "Ops12345"])).toBe(1)
      expect(await main(["admin", "create", "--username", "weak", "--password", "short"])).toBe(2)
      expect(await main(["admin", "create", "--username", "Bad Name", "--password", "Ops12345"])).toBe(2)
    })
    const apps = await boot(loadConfig({ SIGNET_DATA_DIR: dataDir, SIGNET_PROFILE: "dev" }))
    try {
      const b = new TestBrowser(apps.admin)
      await b.get("/login")
      expect((await b.post("/login", { username: "ops.li", password: "Ops12345" })).location).toBe("/")
      expect((await b.get("/")).html).toContain("运营小李")
    } finally {
      await apps.dispose()
    }
  })

  it("reset-totp forgets a staff member's authenticator (lost phone); an unknown username is refused", async () => {
    const enrolled = async (enrol: boolean) => {
      const apps = await boot(loadConfig({ SIGNET_DATA_DIR: dataDir, SIGNET_PROFILE: "dev" }))
      try {
        return await apps.run(Effect.gen(function*() {
          const staff = Option.getOrThrow(yield* StaffRepository.use((r) => r.findByUsername("ops.li")))
          if (enrol) yield* StaffSecurity.use((s) => s.enableTotp(staff.id, "sealed", 1))
          return yield* hasTotp(staff.id)
        }).pipe(Effect.orDie))
      } finally {
        await apps.dispose()
      }
    }
    expect(await enrolled(true)).toBe(true)
    await withEnv({ SIGNET_DATA_DIR: dataDir, DATABASE_URL: undefined }, async () => {
      expect(await main(["admin", "reset-totp", "--username", "ops.li"])).toBe(0)
      expect(await main(["admin", "reset-totp", "--username", "nobody"])).toBe(1)
    })
    expect(await enrolled(false)).toBe(false)
  })

  it("prints usage for an unknown command", async () => {
    expect(await main(["frobnicate"])).toBe(2)
  })
})
