import { Context, type Effect } from "effect"
import type { KeyMakingFailed } from "../orders/OrderErrors.ts"

/** Whom the certificate names: a person (ID number) or an enterprise (unified social credit code). */
export type CertificateHolder =
  | { readonly kind: "person"; readonly name: string; readonly idNumber: string }
  | { readonly kind: "enterprise"; readonly name: string; readonly organization: string; readonly uscc: string }

export interface IssuedKey {
  readonly serialHex: string
  readonly certificateDer: Uint8Array
}

/**
 * Makes USB-Keys (O8): a PKCS#11 token per order, labelled with the order
 * number, whose key pair is generated inside it and can never leave it; the
 * CA certifies the public key, and the certificate is stored beside the key.
 */
export class UsbKeyIssuer extends Context.Service<UsbKeyIssuer, {
  readonly issue: (request: { readonly tokenLabel: string; readonly holder: CertificateHolder; readonly years: number }) => Effect.Effect<IssuedKey, KeyMakingFailed>
  /** Revokes a certificate by serial (the lost key of a reissue); the CA's CRL lists it from then on. */
  readonly revoke: (serialHex: string) => Effect.Effect<void, KeyMakingFailed>
}>()("core/orders/UsbKeyIssuer") {}
