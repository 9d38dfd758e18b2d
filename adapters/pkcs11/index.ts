/**
 * PKCS#11 key store (HSM / USB key; SoftHSM2 in tests). Config:
 * SIGNET_PKCS11_MODULE, SIGNET_PKCS11_TOKEN (label), SIGNET_PKCS11_PIN.
 */
import { Config, Effect, Layer, Redacted } from "effect"
import { KeyNotFound, KeyStore, KeyStoreFailed, type KeyStoreShape } from "../../core/ports/KeyStore.ts"
import { SigningFailed, type SignatureAlgorithm, type Signer } from "../../core/ports/Signer.ts"
import { openToken, type TokenSession } from "./token.ts"

export { openToken, type TokenSession } from "./token.ts"

export const makePkcs11KeyStore = (token: TokenSession): KeyStoreShape => ({
  generate: (label, type) => Effect.try({ try: () => token.generate(label, type), catch: (e) => new KeyStoreFailed({ reason: String(e) }) }),
  publicKey: (label) =>
    Effect.try({ try: () => token.publicKey(label), catch: (e) => new KeyStoreFailed({ reason: String(e) }) }).pipe(
      Effect.flatMap((spki) => (spki ? Effect.succeed(spki) : Effect.fail(new KeyNotFound({ label })))),
    ),
  sign: (label, algorithm, data) =>
    Effect.try({ try: () => token.sign(label, algorithm, data), catch: (e) => new SigningFailed({ reason: String(e) }) }).pipe(
      Effect.flatMap((sig) => (sig ? Effect.succeed(sig) : Effect.fail(new KeyNotFound({ label })))),
    ),
})

export const layer = Layer.effect(
  KeyStore,
  Effect.gen(function* () {
    const module = yield* Config.String("SIGNET_PKCS11_MODULE")
    const label = yield* Config.String("SIGNET_PKCS11_TOKEN")
    const pin = yield* Config.Redacted("SIGNET_PKCS11_PIN")
    const token = yield* Effect.try({ try: () => openToken(module, label, Redacted.value(pin)), catch: (e) => new KeyStoreFailed({ reason: String(e) }) })
    return makePkcs11KeyStore(token)
  }),
)

const algorithmForSpki = (spki: Uint8Array): SignatureAlgorithm =>
  // id-ecPublicKey OID bytes inside the SPKI's AlgorithmIdentifier
  Buffer.from(spki).includes(Buffer.from("2a8648ce3d0201", "hex")) ? "ECDSA-P256-SHA256" : "RSA-PKCS1-SHA256"

/** A Signer for one act whose key stays in the token (CLI: --pkcs11-module --token --key-label --pin). */
export const openPkcs11Signer = (o: {
  readonly module: string
  readonly token: string
  readonly keyLabel: string
  readonly pin: string
  readonly certificate: Uint8Array
  readonly chain: ReadonlyArray<Uint8Array>
}): Signer => {
  const token = openToken(o.module, o.token, o.pin)
  const spki = token.publicKey(o.keyLabel)
  if (!spki) throw new Error(`no key labelled ${o.keyLabel} on token ${o.token}`)
  const algorithm = algorithmForSpki(spki)
  return {
    algorithm,
    certificate: o.certificate,
    chain: o.chain,
    sign: (data) =>
      Effect.try({ try: () => token.sign(o.keyLabel, algorithm, data), catch: (e) => new SigningFailed({ reason: String(e) }) }).pipe(
        Effect.flatMap((s) => (s ? Effect.succeed(s) : Effect.fail(new SigningFailed({ reason: `key ${o.keyLabel} not found` })))),
      ),
  }
}
