import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Layer, Option } from "effect"
import { layer as layerCrypto } from "../../../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../../../adapters/keys-software/index.ts"
import { publish } from "../../../core/evidence/checkpoint.ts"
import { caFiles } from "../../../adapters/ca/index.ts"
import { SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { SignField } from "../../../core/contracts/Contract.ts"
import { UsbKeyIssuer } from "../../../core/ports/UsbKeyIssuer.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { TrustList } from "../../../core/ports/TrustList.ts"
import { verifyPdf } from "../../../core/signing/verify/verifyPdf.ts"
import { verifyBundle } from "../../../core/evidence/verifyBundle.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { chromiumAvailable, logInPortal, startStack } from "../../../fixtures/e2e.ts"
import { expectValidators, nssDbTrusting } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { demoEnterprise, userByMobile } from "../../api/fixtures.ts"
import { startAgent } from "../../cli/commands/agentServer.ts"
import { AGENT_DEFAULT_PORT } from "../../cli/commands/agent.ts"
import { DEV_USBKEY_USER_PIN } from "../../platform/orderLayers.ts"

const ok = chromiumAvailable("browser journey (USB-Key signing)") && requireTools("browser journey (USB-Key signing)", "softhsm2-util", SOFTHSM2_MODULE, "pdfsig")

/**
 * The enterprise's key is made on a SoftHSM token as staff make it (O8, the
 * shop's own journey is apps/web/e2e/orders.e2e.test.ts); here the enterprise
 * signs with it from the contract page through `signet agent`, whose PIN
 * prompt the test answers through the test-only PIN file.
 */
describe.skipIf(!ok)("browser journey: signing with the USB-Key through signet agent (issue 20)", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  let agent: Awaited<ReturnType<typeof startAgent>>
  const dir = mkdtempSync(join(tmpdir(), "signet-e2e-ukey-"))
  const pinFile = join(dir, "pin")
  beforeAll(async () => {
    stack = await startStack()
    agent = await startAgent({
      origin: stack.webUrl, module: SOFTHSM2_MODULE, port: AGENT_DEFAULT_PORT, log: () => {},
      pin: async () => {
        const { readFileSync } = await import("node:fs")
        return readFileSync(pinFile, "utf8").trim() || null
      },
    })
  }, 60_000)
  afterAll(async () => {
    await agent?.close()
    await stack?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("the enterprise signs from the contract page with its token; pdfsig and the verifier accept it, the evidence verifies; after revocation it is refused", async () => {
    const app = stack.apps
    const { admin, enterprise } = await demoEnterprise(app)
    const li = await userByMobile(app, "13800000002")
    const issued = await app.run(UsbKeyIssuer.use((i) => i.issue({ tokenLabel: "e2e-ukey-1", holder: { kind: "enterprise", name: enterprise.name, organization: enterprise.name, uscc: enterprise.creditCode }, years: 1 })))
    const newContract = () => app.run(Effect.gen(function*() {
      const c = yield* createContract(admin, {
        name: "设备采购合同", pdf: yield* Effect.promise(() => classicPdf(1, "Purchase")), mode: "simultaneous", deadline: Date.now() + 86400_000,
        parties: [{ enterpriseName: enterprise.name, enterpriseId: enterprise.id }, { name: li.name!, mobile: li.mobile }],
        fields: [new SignField({ partyIndex: 0, page: 1, x: 60, y: 80, width: 150, height: 60, kind: "seal" }), new SignField({ partyIndex: 1, page: 1, x: 260, y: 80, width: 150, height: 60, kind: "signature" })],
      })
      return yield* sendContract(admin, c.id)
    }))
    const contract = await newContract()
    const page = await logInPortal(stack.browser, stack.webUrl, admin.mobile)
    await page.goto(`${stack.webUrl}/contracts/${contract.id}`)
    await page.locator("summary", { hasText: "使用 USB-Key 签署" }).click()
    // Without the PIN typed in the agent, nothing is signed and the page says so.
    writeFileSync(pinFile, "")
    await page.getByRole("button", { name: "读取 USB-Key 证书" }).click()
    const use = page.locator(".ukey-use", { hasText: enterprise.creditCode }).first()
    await use.click()
    await expect.poll(() => page.locator(".ukey-status").innerText()).toContain("未在签署助手中输入 PIN")
    writeFileSync(pinFile, DEV_USBKEY_USER_PIN)
    await use.click()
    await page.waitForURL((u) => u.search.includes("done=signed"))
    const signed = await app.run(Effect.map(ContractRepository.use((r) => r.find(contract.id)), Option.getOrThrow))
    expect(signed.parties.map((p) => p.status)).toEqual(["signed", "waiting"])
    const pdf = await app.run(Effect.map(BlobStore.use((b) => b.get(signed.documentSha256)), Option.getOrThrow))
    const root = caFiles(join(app.dataDir, "ca")).rootCert
    expectValidators(pdf, 1, { nss: nssDbTrusting(root), rootPem: root, name: "e2e-ukey" })
    const report = await app.run(TrustList.use((t) => verifyPdf(pdf, { trust: t.roots })))
    expect([report.signatures[0]!.signatureValid, report.signatures[0]!.signer]).toEqual([true, expect.stringContaining(enterprise.creditCode)])
    await app.run(publish())
    const bundle = await app.run(exportBundle(`contract:${contract.id}`, { withOpenings: false }))
    const checks = await Effect.runPromise(verifyBundle(JSON.parse(JSON.stringify(bundle)), { document: pdf }).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
    expect(checks.filter((c) => c.status === "fail")).toEqual([])

    // 补办 revokes the certificate (the CA's CRL lists it): signing with it is refused, with the reason on the page.
    await app.run(UsbKeyIssuer.use((i) => i.revoke(issued.serialHex)))
    const next = await newContract()
    await page.goto(`${stack.webUrl}/contracts/${next.id}`)
    await page.locator("summary", { hasText: "使用 USB-Key 签署" }).click()
    await page.getByRole("button", { name: "读取 USB-Key 证书" }).click()
    await page.locator(".ukey-use", { hasText: enterprise.creditCode }).first().click()
    await expect.poll(() => page.locator(".ukey-status").innerText()).toContain("已被吊销")
    expect((await app.run(Effect.map(ContractRepository.use((r) => r.find(next.id)), Option.getOrThrow))).documentVersion).toBe(0)
  }, 180_000)
})
