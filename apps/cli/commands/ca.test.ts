import { existsSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { openSoftwareCa } from "../../../adapters/ca/index.ts"
import { parseMasterKey } from "../../../adapters/keys-software/index.ts"
import { tempDir } from "../../../fixtures/signing/validators.ts"
import { loadConfig } from "../../platform/config.ts"
import { resolveSecrets } from "../../platform/secrets.ts"
import ca from "./ca.ts"

const output = () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {})
  const error = vi.spyOn(console, "error").mockImplementation(() => {})
  return { text: () => [...log.mock.calls, ...error.mock.calls].flat().join("\n") }
}

describe("signet ca master key", () => {
  afterEach(() => vi.restoreAllMocks())

  it("a CA inside the data dir is sealed under the apps' dev master key (dev-secrets.json)", async () => {
    const data = tempDir("signet-data-")
    const secrets = resolveSecrets(loadConfig({ SIGNET_DATA_DIR: data }))
    const out = output()
    expect(await ca(["init", "--dir", join(data, "ca")], { SIGNET_DATA_DIR: data })).toBe(0)
    expect(out.text()).toContain(join(data, "dev-secrets.json"))
    await Effect.runPromise(openSoftwareCa(join(data, "ca"), parseMasterKey(secrets.masterKey)))
  })

  it("a CA elsewhere keeps its own dev key in D, says so, and later commands reuse it", async () => {
    const data = tempDir("signet-data-")
    const dir = join(tempDir("signet-cli-ca-"), "ca")
    const out = output()
    expect(await ca(["init", "--dir", dir], { SIGNET_DATA_DIR: data })).toBe(0)
    expect(out.text()).toContain(`${join(dir, "dev-secrets.json")} (new)`)
    expect(existsSync(join(data, "dev-secrets.json"))).toBe(false)
    expect(await ca(["issue", "--dir", dir, "--cn", "张三", "--out", join(dir, "zhang")], { SIGNET_DATA_DIR: data })).toBe(0)
    // Its keys never get a fresh key that could not unseal them.
    rmSync(join(dir, "dev-secrets.json"))
    expect(await ca(["issue", "--dir", dir, "--cn", "李四", "--out", join(dir, "li")], {})).toBe(1)
    expect(out.text()).toMatch(/no masterKey/)
    expect(existsSync(join(dir, "dev-secrets.json"))).toBe(false)
  })

  it("production refuses without SIGNET_MASTER_KEY and creates nothing", async () => {
    const dir = join(tempDir("signet-cli-ca-"), "ca")
    output()
    expect(await ca(["init", "--dir", dir], { SIGNET_PROFILE: "production" })).toBe(1)
    expect(existsSync(dir)).toBe(false)
  })
})
