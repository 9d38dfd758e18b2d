import { generateKeyPairSync } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Exit, Layer } from "effect"
import { memoryVault, SharedVault } from "../../adapters/keys-software/index.ts"
import { MockCheckout } from "../../adapters/payment-mock/index.ts"
import { OrderCatalogue } from "../../core/ports/OrderCatalogue.ts"
import { MailSender } from "../../core/ports/MailSender.ts"
import { PaymentCallbacks, PaymentGateway } from "../../core/ports/PaymentGateway.ts"
import { UsbKeyIssuer } from "../../core/ports/UsbKeyIssuer.ts"
import { layerSqliteMemory } from "../../fixtures/layers.ts"
import { loadConfig } from "./config.ts"
import { layerOrders } from "./orderLayers.ts"

const dataDir = mkdtempSync(join(tmpdir(), "signet-order-layers-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
const secrets = { sessionSecret: "s".repeat(40), masterKey: Buffer.alloc(32, 7).toString("base64") }

const wired = (env: Record<string, string>) =>
  Effect.runPromise(Effect.gen(function*() {
    return {
      gateway: (yield* PaymentGateway).name,
      mock: (yield* MockCheckout).provider !== null,
      notifyUrl: (yield* PaymentCallbacks).notifyUrl,
      points: (yield* OrderCatalogue).pickupPoints.map((p) => p.id),
      mail: yield* Effect.exit((yield* MailSender).send({ to: "a@example.cn", subject: "s", text: "t" })),
      payment: yield* Effect.exit((yield* PaymentGateway).createPayment({ outTradeNo: "1", amountFen: 1, subject: "s", returnUrl: "https://x/r", notifyUrl: "https://x/n" })),
      key: yield* Effect.exit((yield* UsbKeyIssuer).revoke("01")),
    }
  }).pipe(Effect.provide(layerOrders(loadConfig({ SIGNET_DATA_DIR: dataDir, ...env }), secrets).pipe(Layer.provide(Layer.merge(Layer.succeed(SharedVault, memoryVault()), layerSqliteMemory))))))

describe("order wiring by profile and configuration", () => {
  it("dev: the mock gateway with its checkout, the mail outbox, notify URL from the public address", async () => {
    const w = await wired({ SIGNET_PUBLIC_URL: "https://shop.example.cn" })
    expect([w.gateway, w.mock, w.notifyUrl]).toEqual(["mock", true, "https://shop.example.cn/payments/notify"])
    expect(Exit.isSuccess(w.mail)).toBe(true)
    expect(w.points).toEqual(["nj-hq", "sz-office"])
  })

  it("Alipay configured: the Alipay gateway signs the page-pay redirect, no mock checkout", async () => {
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 })
    const w = await wired({
      SIGNET_ALIPAY_APP_ID: "2021000000000001", SIGNET_ALIPAY_GATEWAY: "https://openapi.alipaydev.com/gateway.do",
      SIGNET_ALIPAY_PRIVATE_KEY: key.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      SIGNET_ALIPAY_PUBLIC_KEY: key.publicKey.export({ type: "spki", format: "pem" }).toString(),
      SIGNET_PICKUP_POINTS: JSON.stringify([{ id: "hz-1", name: "杭州服务点", address: "杭州市 1 号", phone: "0571-1", hours: "9-17" }]),
    })
    expect([w.gateway, w.mock, w.points]).toEqual(["alipay", false, ["hz-1"]])
    expect(Exit.isSuccess(w.payment) && w.payment.value.redirectUrl.startsWith("https://openapi.alipaydev.com/gateway.do?")).toBe(true)
  })

  it("production without Alipay, SMTP or a token module: payments, e-mail and keys refuse rather than mock", async () => {
    const w = await wired({ SIGNET_PROFILE: "production", SIGNET_MASTER_KEY: secrets.masterKey, SIGNET_SESSION_SECRET: secrets.sessionSecret, SIGNET_SMS_GATEWAY_URL: "https://sms.example.cn", SIGNET_SMS_ACCESS_KEY: "a", SIGNET_SMS_SECRET: "b" })
    expect([w.gateway, w.mock]).toEqual(["none", false])
    expect(JSON.stringify(w.payment)).toContain("no payment provider configured")
    expect(JSON.stringify(w.mail)).toContain("no SMTP server configured")
    expect(JSON.stringify(w.key)).toContain("no USB-Key module configured")
  })
})
