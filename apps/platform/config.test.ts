import { describe, expect, it } from "vitest"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { toPem } from "../../adapters/keys-software/index.ts"
import { openTestCa } from "../../fixtures/signing/pki.ts"
import { ConfigError, loadConfig } from "./config.ts"
import { readTrustRoots } from "./trustRoots.ts"

describe("configuration", () => {
  it("defaults to the dev profile on SQLite under ./var", () => {
    const c = loadConfig({})
    expect([c.profile, c.dataDir, c.databaseUrl, c.port, c.adminPort]).toEqual(["dev", "./var", null, 3000, 3001])
  })

  it("names every bad variable", () => {
    const e = (() => {
      try {
        loadConfig({ PORT: "http", DATABASE_URL: "mysql://x", SIGNET_PROFILE: "prod" })
      } catch (err) {
        return err
      }
    })()
    expect(e).toBeInstanceOf(ConfigError)
    const message = (e as Error).message
    for (const name of ["PORT", "DATABASE_URL", "SIGNET_PROFILE"]) expect(message).toContain(name)
  })

  it("production refuses dev adapters and missing secrets", () => {
    expect(() => loadConfig({ SIGNET_PROFILE: "production" })).toThrow(/SIGNET_MASTER_KEY[\s\S]*SIGNET_SESSION_SECRET[\s\S]*SIGNET_SMS_GATEWAY_URL/)
    const ok = loadConfig({
      SIGNET_PROFILE: "production",
      SIGNET_MASTER_KEY: "q".repeat(43) + "=",
      SIGNET_SESSION_SECRET: "s".repeat(40),
      SIGNET_SMS_GATEWAY_URL: "https://sms.example.cn/send",
      SIGNET_SMS_ACCESS_KEY: "ak",
      SIGNET_SMS_SECRET: "sk",
      DATABASE_URL: "postgres://u@h/db",
    })
    expect(ok.smsGateway?.url).toBe("https://sms.example.cn/send")
    // X1: staff two-factor is required in production unless the operator says otherwise.
    expect(ok.staffTotp).toBe("required")
  })

  it("staff two-factor: optional in dev, overridable, and only required|optional", () => {
    expect(loadConfig({}).staffTotp).toBe("optional")
    expect(loadConfig({ SIGNET_STAFF_TOTP: "required" }).staffTotp).toBe("required")
    expect(() => loadConfig({ SIGNET_STAFF_TOTP: "off" })).toThrow(/SIGNET_STAFF_TOTP/)
  })

  it("the signing agent's address (SIGNET_AGENT_URL): the agent's default port unless set, an origin only", () => {
    expect(loadConfig({}).agentUrl).toBe("http://127.0.0.1:17860")
    expect(loadConfig({ SIGNET_AGENT_URL: "http://127.0.0.1:18000" }).agentUrl).toBe("http://127.0.0.1:18000")
    expect(() => loadConfig({ SIGNET_AGENT_URL: "http://127.0.0.1:18000/sign" })).toThrow(/SIGNET_AGENT_URL/)
    expect(() => loadConfig({ SIGNET_AGENT_URL: "127.0.0.1:18000" })).toThrow(/SIGNET_AGENT_URL/)
  })

  it("other CAs' roots (SIGNET_TRUST_ROOTS): PEM or DER files; one that cannot be read or holds no certificate stops the start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "signet-trust-"))
    const ca = await openTestCa()
    writeFileSync(join(dir, "root.pem"), toPem(ca.rootDer, "CERTIFICATE") + toPem(ca.issuingDer, "CERTIFICATE"))
    writeFileSync(join(dir, "root.der"), ca.rootDer)
    writeFileSync(join(dir, "junk.pem"), "not a certificate")
    const c = loadConfig({ SIGNET_TRUST_ROOTS: `${join(dir, "root.pem")}, ${join(dir, "root.der")}` })
    expect(readTrustRoots(c.trustRoots).map((d) => Buffer.from(d).toString("hex"))).toEqual([ca.rootDer, ca.issuingDer, ca.rootDer].map((d) => Buffer.from(d).toString("hex")))
    expect(() => readTrustRoots([join(dir, "junk.pem")])).toThrow(/SIGNET_TRUST_ROOTS: .*junk\.pem holds no certificate/)
    expect(() => readTrustRoots([join(dir, "missing.pem")])).toThrow(/SIGNET_TRUST_ROOTS: cannot read .*missing\.pem/)
    expect(loadConfig({}).trustRoots).toEqual([])
  })

  it("NODE_ENV=production gives the secrets no development default, whatever the profile", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/NODE_ENV=production refuses to start:\n  SIGNET_MASTER_KEY: required when NODE_ENV=production[\s\S]*SIGNET_SESSION_SECRET/)
    expect(() => loadConfig({ NODE_ENV: "production", SIGNET_MASTER_KEY: "q".repeat(43) + "=" })).toThrow(/^NODE_ENV=production refuses to start:\n  SIGNET_SESSION_SECRET: required[^\n]*$/)
    const c = loadConfig({ NODE_ENV: "production", SIGNET_MASTER_KEY: "q".repeat(43) + "=", SIGNET_SESSION_SECRET: "s".repeat(40) })
    expect([c.profile, c.masterKey, c.sessionSecret]).toEqual(["dev", "q".repeat(43) + "=", "s".repeat(40)])
    expect(loadConfig({ NODE_ENV: "development" }).masterKey).toBeNull()
  })

  it("identity provider variables go together and are read", () => {
    expect(() => loadConfig({ SIGNET_IDENTITY_URL: "https://id.example.cn" })).toThrow(/set all three/)
    const c = loadConfig({ SIGNET_IDENTITY_URL: "https://id.example.cn/verify", SIGNET_IDENTITY_APP_ID: "app", SIGNET_IDENTITY_SECRET: "s" })
    expect(c.identityProvider?.appId).toBe("app")
  })

  it("order variables (apps/platform/orderConfig.ts) stop the start too", () => {
    expect(() => loadConfig({ SIGNET_ALIPAY_APP_ID: "2021" })).toThrow(/SIGNET_ALIPAY_APP_ID[\s\S]*set all three/)
    expect(loadConfig({}).orders.alipay).toBeNull()
  })

  it("trusted proxies are addresses or CIDR ranges; none by default", () => {
    expect(loadConfig({}).trustedProxies).toEqual([])
    expect(loadConfig({ SIGNET_TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7" }).trustedProxies).toEqual(["10.0.0.0/8", "192.0.2.7"])
    expect(() => loadConfig({ SIGNET_TRUSTED_PROXIES: "10.0.0.0/8, nginx" })).toThrow(/SIGNET_TRUSTED_PROXIES: "nginx" is not an IP address or CIDR range/)
  })

  it("SMS gateway variables go together", () => {
    expect(() => loadConfig({ SIGNET_SMS_GATEWAY_URL: "https://x.cn" })).toThrow(/set all three/)
  })
})
