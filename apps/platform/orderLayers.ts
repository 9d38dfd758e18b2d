import { createHmac } from "node:crypto"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { Effect, Layer, Redacted } from "effect"
import { makeAlipayGateway } from "../../adapters/alipay/index.ts"
import { layerDir as layerMailOutbox, layerNoOutbox } from "../../adapters/mail-outbox/index.ts"
import { layer as layerSmtp } from "../../adapters/mail-smtp/index.ts"
import { layerMock, MockCheckout } from "../../adapters/payment-mock/index.ts"
import { layerOnCaDir, layerUnconfigured as layerNoUsbKey, SOFTHSM2_MODULE, useSoftHsmDir } from "../../adapters/usb-key/index.ts"
import { defaultCatalogue, PickupPoint } from "../../core/orders/Catalogue.ts"
import { OrderCatalogue } from "../../core/ports/OrderCatalogue.ts"
import { MailNotDelivered, MailSender } from "../../core/ports/MailSender.ts"
import { PaymentCallbacks, PaymentGateway, PaymentGatewayFailed, PaymentNotificationRejected } from "../../core/ports/PaymentGateway.ts"
import type { Config } from "./config.ts"
import type { Secrets } from "./secrets.ts"
import { layerOnKeyHomes } from "./keyHomes.ts"

/** The PIN of development USB-Keys (SoftHSM2 tokens): what a customer would find in the key's PIN envelope. */
export const DEV_USBKEY_USER_PIN = "12345678"

const derive = (secret: string, purpose: string) => createHmac("sha256", secret).update(purpose).digest("hex")

/** Production without SIGNET_ALIPAY_*: no payment can start (rather than a mock that lets anyone "pay"). */
const layerNoPayment = Layer.succeed(PaymentGateway, {
  name: "none",
  createPayment: () => Effect.fail(new PaymentGatewayFailed({ reason: "no payment provider configured (SIGNET_ALIPAY_*)" })),
  verifyNotification: () => Effect.fail(new PaymentNotificationRejected({ reason: "no payment provider configured" })),
  queryPayment: () => Effect.succeed(null),
  refund: () => Effect.fail(new PaymentGatewayFailed({ reason: "no payment provider configured (SIGNET_ALIPAY_*)" })),
  queryRefund: () => Effect.succeed(null),
})

/** Production without SIGNET_SMTP_*: e-mail notices are not sent (each is logged); texts still go out. */
const layerNoMail = Layer.succeed(MailSender, { send: () => Effect.fail(new MailNotDelivered({ reason: "no SMTP server configured (SIGNET_SMTP_*)" })) })

const noMockCheckout = Layer.succeed(MockCheckout, { provider: null })

/**
 * O5-O10 wiring: the catalogue with the configured pickup points; the payment
 * provider (Alipay when configured, else the mock in dev); mail (SMTP when
 * configured, else the dev outbox in `$SIGNET_DATA_DIR/mail-outbox`); the
 * USB-Key issuer on the platform CA (the configured PKCS#11 module, else
 * SoftHSM2 in dev with tokens under `$SIGNET_DATA_DIR/softhsm`).
 */
export const layerOrders = (config: Config, secrets: Secrets) => {
  const o = config.orders
  const masterKey = new Uint8Array(Buffer.from(secrets.masterKey, "base64"))
  const dev = config.profile === "dev"
  const catalogue = OrderCatalogue.make({ ...defaultCatalogue, pickupPoints: o.pickupPoints.map((p) => new PickupPoint(p)) })
  const callbacks = Layer.succeed(PaymentCallbacks, { notifyUrl: `${config.publicUrl}/payments/notify` })
  const payment = o.alipay !== null
    ? Layer.merge(Layer.effect(PaymentGateway, Effect.sync(() => makeAlipayGateway({ ...o.alipay!, appPrivateKey: o.alipay!.privateKey, alipayPublicKey: o.alipay!.publicKey }))), noMockCheckout)
    : dev
    ? layerMock({ secret: derive(secrets.sessionSecret, "signet/mock-pay"), checkoutBaseUrl: "/mock-pay" })
    : Layer.merge(layerNoPayment, noMockCheckout)
  const mail = o.smtp !== null
    ? Layer.merge(layerSmtp({ ...o.smtp, password: o.smtp.password === null ? null : Redacted.make(o.smtp.password) }), layerNoOutbox)
    : dev ? layerMailOutbox(join(config.dataDir, "mail-outbox")) : Layer.merge(layerNoMail, layerNoOutbox)
  const usbKey = layerOnKeyHomes(config, ({ ca: caDir }) =>
    o.usbKey !== null
      ? layerOnCaDir({ ...o.usbKey, caDir, masterKey })
      : dev && existsSync(SOFTHSM2_MODULE)
      ? Layer.unwrap(Effect.sync(() => {
        useSoftHsmDir(join(config.dataDir, "softhsm"))
        return layerOnCaDir({ module: SOFTHSM2_MODULE, soPin: derive(secrets.sessionSecret, "signet/usbkey-so").slice(0, 16), userPin: DEV_USBKEY_USER_PIN, caDir, masterKey })
      }))
      : layerNoUsbKey)
  return Layer.mergeAll(catalogue, callbacks, payment, mail, usbKey)
}
