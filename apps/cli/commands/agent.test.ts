import { createPublicKey, verify as nodeVerify } from "node:crypto"
import { request } from "node:http"
import { networkInterfaces } from "node:os"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import * as pkijs from "pkijs"
import { makeUsbKeyIssuer } from "../../../adapters/usb-key/index.ts"
import { openTestCa } from "../../../fixtures/signing/pki.ts"
import { initSoftHsmToken, SOFTHSM_MODULE } from "../../../fixtures/signing/softhsm.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import agentCommand from "./agent.ts"
import { startAgent, type SignRequestSummary } from "./agentServer.ts"

const ok = requireTools("signet agent (SoftHSM2)", "softhsm2-util", SOFTHSM_MODULE)
const PORTAL = "https://sign.example.cn"
const PIN = "246810"

describe.skipIf(!ok)("signet agent (issue 20)", () => {
  let agent: Awaited<ReturnType<typeof startAgent>>
  let answer: string | null = null
  const asked: Array<SignRequestSummary> = []
  let certificate: Uint8Array
  beforeAll(async () => {
    initSoftHsmToken("agent-bootstrap")
    const ca = await openTestCa()
    const issuer = makeUsbKeyIssuer({ module: SOFTHSM_MODULE, ca, soPin: "13579024", userPin: PIN })
    certificate = (await Effect.runPromise(issuer.issue({ tokenLabel: "agent-key-1", holder: { kind: "enterprise", name: "北京示例科技有限公司", organization: "北京示例科技有限公司", uscc: "91110108MA01234567" }, years: 1 }))).certificateDer
    agent = await startAgent({ origin: PORTAL, module: SOFTHSM_MODULE, port: 0, pin: async (s) => (asked.push(s), answer), log: () => {} })
  }, 60_000)
  afterAll(() => agent?.close())

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`http://127.0.0.1:${agent.port}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })

  const signBody = (toBeSigned: Uint8Array) => ({
    token: "agent-key-1", label: "signing", toBeSigned: Buffer.from(toBeSigned).toString("base64"),
    contract: { id: "1234567890123456789", name: "设备采购合同", documentSha256: "ab".repeat(32) },
  })

  it("binds to 127.0.0.1 only: no other address of this machine reaches it", async () => {
    expect((agent.server.address() as { address: string }).address).toBe("127.0.0.1")
    const others = Object.values(networkInterfaces()).flat().filter((i) => i !== undefined && i.family === "IPv4" && !i.internal).map((i) => i!.address)
    for (const address of others) {
      const reached = await new Promise<boolean>((resolve) => {
        const r = request({ host: address, port: agent.port, path: "/status", headers: { origin: PORTAL }, timeout: 2000 }, () => resolve(true))
        r.on("error", () => resolve(false))
        r.on("timeout", () => (r.destroy(), resolve(false)))
        r.end()
      })
      expect(reached, `reached through ${address}`).toBe(false)
    }
  })

  it("answers the portal's origin (CORS + Private Network Access preflight) and refuses any other origin or none", async () => {
    const preflight = await call("OPTIONS", "/certificates", { origin: PORTAL, "access-control-request-method": "GET", "access-control-request-private-network": "true" })
    expect([preflight.status, preflight.headers.get("access-control-allow-origin"), preflight.headers.get("access-control-allow-private-network")]).toEqual([204, PORTAL, "true"])
    const list = await call("GET", "/certificates", { origin: PORTAL })
    const certs = ((await list.json()) as { certificates: Array<{ token: string; certificate: string; subject: string }> }).certificates
    expect(certs.find((c) => c.token === "agent-key-1")?.certificate).toBe(Buffer.from(certificate).toString("base64"))
    for (const origin of ["https://evil.example", "https://sign.example.cn.evil.example", "null"]) {
      const r = await call("GET", "/certificates", { origin })
      expect([r.status, r.headers.get("access-control-allow-origin")]).toEqual([403, null])
      const p = await call("OPTIONS", "/sign", { origin, "access-control-request-method": "POST", "access-control-request-private-network": "true" })
      expect([p.status, p.headers.get("access-control-allow-private-network")]).toEqual([403, null])
    }
    expect((await call("GET", "/certificates", {})).status).toBe(403)
    expect((await call("POST", "/sign", { origin: "https://evil.example" }, signBody(new Uint8Array([1, 2, 3])))).status).toBe(403)
  })

  it("signs only after the signer typed the PIN in the agent, having been shown the contract; a PIN sent by the page is refused", async () => {
    const data = new TextEncoder().encode("signed attributes")
    answer = null
    expect((await call("POST", "/sign", { origin: PORTAL }, signBody(data))).status).toBe(403)
    expect(asked.at(-1)).toMatchObject({ contractName: "设备采购合同", contractId: "1234567890123456789", documentSha256: "ab".repeat(32), token: "agent-key-1" })
    const before = asked.length
    expect((await call("POST", "/sign", { origin: PORTAL }, { ...signBody(data), pin: PIN })).status).toBe(400)
    expect(asked.length).toBe(before)
    answer = "000000"
    expect((await call("POST", "/sign", { origin: PORTAL }, signBody(data))).status).toBe(401)
    answer = PIN
    const signed = await call("POST", "/sign", { origin: PORTAL }, signBody(data))
    expect(signed.status).toBe(200)
    const { signatureValue } = (await signed.json()) as { signatureValue: string }
    const spki = pkijs.Certificate.fromBER(new Uint8Array(certificate)).subjectPublicKeyInfo.toSchema().toBER()
    const key = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" })
    expect(nodeVerify("sha256", data, { key, dsaEncoding: "der" }, Buffer.from(signatureValue, "base64"))).toBe(true)
  })
})

describe("signet agent's command line (issue 20)", () => {
  it("--port must be a port number; the portal's origin is required", async () => {
    const errors: Array<string> = []
    const original = console.error
    console.error = (m: string) => void errors.push(m)
    try {
      expect(await agentCommand(["--origin", PORTAL, "--port", "70000"])).toBe(2)
      expect(await agentCommand(["--origin", PORTAL, "--port", "abc"])).toBe(2)
      expect(await agentCommand(["--port", "17861"])).toBe(2)
    } finally {
      console.error = original
    }
    expect(errors.join("\n")).toMatch(/--port must be a port number[\s\S]*--port must be a port number[\s\S]*--origin must be/)
  })
})
