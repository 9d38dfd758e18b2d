import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Layer, Option } from "effect"
import { layer as layerCrypto } from "../../../adapters/crypto-node/index.ts"
import { webCryptoLayer } from "../../../adapters/keys-software/index.ts"
import { publish } from "../../../core/evidence/checkpoint.ts"
import { caFiles } from "../../../adapters/ca/index.ts"
import { inspectKey, KEY_LABEL, SOFTHSM2_MODULE } from "../../../adapters/usb-key/index.ts"
import { certificateFacts } from "../../../core/contracts/certificateOwner.ts"
import { createContract, sendContract } from "../../../core/contracts/createContract.ts"
import { SignField } from "../../../core/contracts/Contract.ts"
import { BlobStore } from "../../../core/ports/BlobStore.ts"
import { ContractRepository } from "../../../core/ports/ContractRepository.ts"
import { TrustList } from "../../../core/ports/TrustList.ts"
import { verifyPdf } from "../../../core/signing/verify/verifyPdf.ts"
import { verifyBundle } from "../../../core/evidence/verifyBundle.ts"
import { exportBundle } from "../../../core/evidence/exportBundle.ts"
import { classicPdf } from "../../../fixtures/pdfs/generate.ts"
import { chromiumAvailable, expectUsable, logInPortal, PHONE, startStack } from "../../../fixtures/e2e.ts"
import { shopSteps } from "../../../fixtures/orders/journey.ts"
import { expectValidators, nssDbTrusting } from "../../../fixtures/signing/validators.ts"
import { requireTools } from "../../../fixtures/tools.ts"
import { demoEnterprise, userByMobile } from "../../api/fixtures.ts"
import { startAgent } from "../../cli/commands/agentServer.ts"
import { DEV_USBKEY_USER_PIN } from "../../platform/orderLayers.ts"

const ok = chromiumAvailable("browser journey (USB-Key signing)") && requireTools("browser journey (USB-Key signing)", "softhsm2-util", SOFTHSM2_MODULE, "pdfsig")

/** A loopback port nothing listens on now (the agent's, which the portal must know before it starts). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port
      s.close(() => resolve(port))
    })
  })

/**
 * The enterprise buys its certificate in the shop, staff make the key on a
 * SoftHSM token (the shop's own journey is apps/web/e2e/orders.e2e.test.ts);
 * the enterprise signs with it from the contract page through `signet
 * agent`, whose PIN prompt the test answers through the test-only PIN file;
 * then a 补办 of that certificate revokes it and signing with it is refused.
 */
describe.skipIf(!ok)("browser journey: signing with the USB-Key bought in the shop through signet agent (issue 20)", () => {
  let stack: Awaited<ReturnType<typeof startStack>>
  let agent: Awaited<ReturnType<typeof startAgent>>
  const dir = mkdtempSync(join(tmpdir(), "signet-e2e-ukey-"))
  const pinFile = join(dir, "pin")
  beforeAll(async () => {
    // The agent on a port of its own, and the portal told where (SIGNET_AGENT_URL) as a deployment would be.
    const port = await freePort()
    stack = await startStack({ SIGNET_AGENT_URL: `http://127.0.0.1:${port}` })
    agent = await startAgent({
      origin: stack.webUrl, module: SOFTHSM2_MODULE, port, log: () => {},
      pin: async () => readFileSync(pinFile, "utf8").trim() || null,
    })
  }, 60_000)
  afterAll(async () => {
    await agent?.close()
    await stack?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("the enterprise buys a certificate, signs from the contract page with its token (pdfsig, the verifier and the evidence accept it); after 补办 the old certificate is refused", async () => {
    const app = stack.apps
    const steps = shopSteps(stack, dir)
    const { admin, enterprise } = await demoEnterprise(app)
    const li = await userByMobile(app, "13800000002")
    const company = { name: enterprise.name, creditCode: enterprise.creditCode }
    const invoice = { title: enterprise.name, taxpayerId: enterprise.creditCode, email: "fp@demo-ukey.cn" }

    // The enterprise's admin buys the certificate in the shop and pays; staff approve and make the key on a token.
    const buyer = await steps.logIn(admin.mobile)
    const { page } = buyer
    const bought = await steps.buyWithPickup(page, /企业新办/, { enterprise: true, reissueSerial: null, company }, invoice)
    await steps.pay(page, "alipay")
    const staff = await steps.staffLogIn()
    await steps.approveAndMakeKey(staff.page, bought)
    await page.goto(`${stack.webUrl}/orders/${bought}`)
    const serial = (await page.locator("#certificate-serial").innerText()).trim()
    expect(serial).toMatch(/^[0-9a-f]+$/)

    const newContract = () => app.run(Effect.gen(function*() {
      const c = yield* createContract(admin, {
        name: "设备采购合同", pdf: yield* Effect.promise(() => classicPdf(1, "Purchase")), mode: "simultaneous", deadline: Date.now() + 86400_000,
        parties: [{ enterpriseName: enterprise.name, enterpriseId: enterprise.id }, { name: li.name!, mobile: li.mobile }],
        fields: [new SignField({ partyIndex: 0, page: 1, x: 60, y: 80, width: 150, height: 60, kind: "seal" }), new SignField({ partyIndex: 1, page: 1, x: 260, y: 80, width: 150, height: 60, kind: "signature" })],
      })
      return yield* sendContract(admin, c.id)
    }))
    const contract = await newContract()

    // On a phone the contract page with the USB-Key way open is usable too.
    const phone = await logInPortal(stack.browser, stack.webUrl, admin.mobile, { viewport: PHONE })
    await phone.goto(`${stack.webUrl}/contracts/${contract.id}`)
    await phone.locator("summary", { hasText: "使用 USB-Key 签署" }).click()
    await expectUsable(phone, "contract page, USB-Key way, phone")
    await phone.context().close()

    const useToken = async (id: string, certificateSerial: string) => {
      await page.goto(`${stack.webUrl}/contracts/${id}`)
      await page.locator("summary", { hasText: "使用 USB-Key 签署" }).click()
      await page.getByRole("button", { name: "读取 USB-Key 证书" }).click()
      return page.locator(".ukey-use", { hasText: `序列号 ${certificateSerial}` })
    }
    // Without the PIN typed in the agent, nothing is signed and the page says so.
    writeFileSync(pinFile, "")
    const use = await useToken(contract.id, serial)
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
    // The verifier names the certificate on the token the shop made for this order (the token is labelled with its number).
    const onToken = certificateFacts(inspectKey(SOFTHSM2_MODULE, bought, DEV_USBKEY_USER_PIN, KEY_LABEL).certificateDer!)
    expect([report.signatures[0]!.signatureValid, report.signatures[0]!.signer, (await Effect.runPromise(onToken)).serialHex])
      .toEqual([true, (await Effect.runPromise(onToken)).subject, serial])
    expect(report.signatures[0]!.signer).toContain(enterprise.creditCode)
    await app.run(publish())
    const bundle = await app.run(exportBundle(`contract:${contract.id}`, { withOpenings: false }))
    const checks = await Effect.runPromise(verifyBundle(JSON.parse(JSON.stringify(bundle)), { document: pdf }).pipe(Effect.provide(Layer.mergeAll(layerCrypto, webCryptoLayer))))
    expect(checks.filter((c) => c.status === "fail")).toEqual([])

    // 补办: the enterprise reports the key lost and orders a new one for that certificate; staff approve and make
    // the new key, which puts the old certificate on the CA's CRL. Signing with the old token is refused, nothing written.
    const reissue = await steps.buyWithPickup(page, /企业补办/, { enterprise: true, reissueSerial: serial, company }, invoice)
    await steps.pay(page, "cfca")
    await steps.approveAndMakeKey(staff.page, reissue)
    const next = await newContract()
    const before = await app.run(ContractRepository.use((r) => r.history(next.id)))
    await (await useToken(next.id, serial)).click()
    await expect.poll(() => page.locator(".ukey-status").innerText()).toContain("已被吊销")
    const after = await app.run(Effect.map(ContractRepository.use((r) => r.find(next.id)), Option.getOrThrow))
    expect([after.documentVersion, after.parties[0]!.status]).toEqual([0, "waiting"])
    expect(await app.run(ContractRepository.use((r) => r.history(next.id)))).toEqual(before)
    await staff.context.close()
    await buyer.context.close()
  }, 300_000)
})
