/**
 * USB-Key issuer (O8) on PKCS#11 + the software CA: one token per order,
 * labelled with the order number; the key pair is generated inside the token
 * (sensitive, never extractable), certified by the CA and the certificate
 * written beside it. SoftHSM2 stands in for the USB-Key in development and tests.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import * as pkijs from "pkijs"
import { issueSigningCertificate, openCa, revoke, type CaHome, type SoftwareCa } from "../ca/index.ts"
import { openToken } from "../pkcs11/index.ts"
import type { KeyType } from "../../core/ports/KeyStore.ts"
import { KeyMakingFailed } from "../../core/orders/OrderErrors.ts"
import { UsbKeyIssuer } from "../../core/ports/UsbKeyIssuer.ts"
import { clearToken, initToken, inspectKey, tokenExists, storeCertificate } from "./token.ts"

export { inspectKey, listCertificates, type KeyOnToken, type TokenCertificate } from "./token.ts"

/** Where Debian's softhsm2 package puts its PKCS#11 module (the development stand-in for USB-Keys). */
export const SOFTHSM2_MODULE = "/usr/lib/softhsm/libsofthsm2.so"

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

/** What the token holds under the signing label, or null when it holds no private key there. */
const inspectOrNull = (module: string, label: string, pin: string) => {
  try {
    return inspectKey(module, label, pin, KEY_LABEL)
  } catch (e) {
    if (String(e).includes(`no private key ${KEY_LABEL}`)) return null
    throw e
  }
}

export const makeUsbKeyIssuer = (o: UsbKeyOptions): UsbKeyIssuer["Service"] => ({
  issue: ({ tokenLabel, holder, years }) =>
    Effect.gen(function*() {
      // Idempotent per token: a retry (the database write after a key making failed, a second click) finds the
      // token it made. A finished one (one key, its certificate) is reused as it is: a second key for the same order
      // would leave two valid certificates in circulation. A half-made one (a key without certificate) is cleaned and made again.
      if (yield* Effect.try({ try: () => tokenExists(o.module, tokenLabel), catch: failed("token lookup") })) {
        const found = yield* Effect.try({ try: () => inspectOrNull(o.module, tokenLabel, o.userPin), catch: failed("token inspection") })
        if (found !== null && found.privateKeys === 1 && found.certificateDer !== null) {
          return { serialHex: serialHexOf(found.certificateDer), certificateDer: found.certificateDer }
        }
        yield* Effect.try({ try: () => clearToken(o.module, tokenLabel, o.userPin), catch: failed("token cleanup") })
      } else {
        yield* Effect.try({ try: () => initToken(o.module, tokenLabel, o.soPin, o.userPin), catch: failed("token init") })
      }
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

export interface UsbKeyOnCaDirOptions extends Omit<UsbKeyOptions, "ca"> {
  /** The platform CA (the one the apps' signing identities use: its directory or vault), opened at the first key made. */
  readonly caDir: CaHome
  readonly masterKey: Uint8Array
}

/**
 * The issuer the apps wire: the CA is opened on first use, so starting the
 * apps never races the other openers of a fresh CA directory and a missing
 * token module only fails "make key", never the start.
 */
export const layerOnCaDir = (o: UsbKeyOnCaDirOptions) =>
  Layer.effect(UsbKeyIssuer, Effect.gen(function*() {
    const ca = yield* Effect.cached(openCa(o.caDir, o.masterKey).pipe(Effect.mapError(failed("CA"))))
    const withIssuer = <A>(f: (issuer: UsbKeyIssuer["Service"]) => Effect.Effect<A, KeyMakingFailed>) =>
      Effect.flatMap(ca, (c) => f(makeUsbKeyIssuer({ ...o, ca: c })))
    return {
      issue: (request) => withIssuer((i) => i.issue(request)),
      revoke: (serialHex) => withIssuer((i) => i.revoke(serialHex)),
    }
  }))

/** An issuer for a deployment without a token module: "make key" says so. */
export const layerUnconfigured = Layer.succeed(UsbKeyIssuer, {
  issue: () => Effect.fail(new KeyMakingFailed({ reason: "no USB-Key module configured (SIGNET_USBKEY_MODULE)" })),
  revoke: () => Effect.fail(new KeyMakingFailed({ reason: "no USB-Key module configured (SIGNET_USBKEY_MODULE)" })),
})

/**
 * Development: SoftHSM2 keeps its tokens where SOFTHSM2_CONF says; unless the
 * environment already names a configuration, one is made in `dir` (the data
 * dir), before the module is first loaded.
 */
export const useSoftHsmDir = (dir: string): void => {
  if (process.env.SOFTHSM2_CONF !== undefined && process.env.SOFTHSM2_CONF !== "") return
  const tokens = join(dir, "tokens")
  mkdirSync(tokens, { recursive: true })
  const conf = join(dir, "softhsm2.conf")
  if (!existsSync(conf)) writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`)
  process.env.SOFTHSM2_CONF = conf
}
