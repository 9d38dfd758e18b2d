/**
 * USB-Key issuer (O8) on PKCS#11 + the software CA: one token per order,
 * labelled with the order number; the key pair is generated inside the token
 * (sensitive, never extractable), certified by the CA and the certificate
 * written beside it. SoftHSM2 stands in for the USB-Key in development and tests.
 */
import { Effect, Layer } from "effect"
import * as pkijs from "pkijs"
import { issueSigningCertificate, revoke, type SoftwareCa } from "../ca/index.ts"
import { openToken } from "../pkcs11/index.ts"
import type { KeyType } from "../../core/ports/KeyStore.ts"
import { KeyMakingFailed } from "../../core/orders/OrderErrors.ts"
import { UsbKeyIssuer } from "../../core/orders/UsbKeyIssuer.ts"
import { initToken, tokenExists, storeCertificate } from "./token.ts"

export { inspectKey, type KeyOnToken } from "./token.ts"

/** Label of the signing key (and its certificate) on every USB-Key. */
export const KEY_LABEL = "signing"

export interface UsbKeyOptions {
  readonly module: string
  readonly ca: SoftwareCa
  readonly soPin: string
  /** The PIN the customer receives with the key. */
  readonly userPin: string
  readonly keyType?: KeyType
}

const serialHexOf = (der: Uint8Array) =>
  Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(der)).serialNumber.valueBlock.valueHexView).toString("hex")

const failed = (step: string) => (e: unknown) => new KeyMakingFailed({ reason: `${step}: ${e instanceof Error ? e.message : String(e)}` })

export const makeUsbKeyIssuer = (o: UsbKeyOptions): UsbKeyIssuer["Service"] => ({
  issue: ({ tokenLabel, holder, years }) =>
    Effect.gen(function*() {
      // A second key for the same order would leave two valid certificates in circulation.
      if (yield* Effect.try({ try: () => tokenExists(o.module, tokenLabel), catch: failed("token lookup") })) {
        return yield* new KeyMakingFailed({ reason: `token ${tokenLabel} already exists` })
      }
      yield* Effect.try({ try: () => initToken(o.module, tokenLabel, o.soPin, o.userPin), catch: failed("token init") })
      const spki = yield* Effect.try({
        try: () => {
          const token = openToken(o.module, tokenLabel, o.userPin)
          try {
            return token.generate(KEY_LABEL, o.keyType ?? "EC-P256")
          } finally {
            token.close()
          }
        },
        catch: failed("key generation"),
      })
      const subject = holder.kind === "person" ? { kind: "person" as const, name: holder.name, idNumber: holder.idNumber } : holder
      const certificateDer = new Uint8Array(yield* issueSigningCertificate(o.ca, subject, spki, years * 365).pipe(Effect.mapError(failed("certificate"))))
      yield* Effect.try({ try: () => storeCertificate(o.module, tokenLabel, o.userPin, KEY_LABEL, certificateDer), catch: failed("store certificate") })
      return { serialHex: serialHexOf(certificateDer), certificateDer }
    }),
  revoke: (serialHex) => revoke(o.ca, serialHex).pipe(Effect.asVoid, Effect.mapError(failed("revoke"))),
})

export const layer = (o: UsbKeyOptions) => Layer.succeed(UsbKeyIssuer, makeUsbKeyIssuer(o))
