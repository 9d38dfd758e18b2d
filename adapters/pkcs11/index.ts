/**
 * PKCS#11 key store (HSM / USB key; SoftHSM2 in tests). Config:
 * SIGNET_PKCS11_MODULE, SIGNET_PKCS11_TOKEN (label), SIGNET_PKCS11_PIN.
 */
import { Config, Effect, Layer, Redacted } from "effect"
import { KeyNotFound, KeyStore, KeyStoreFailed, type KeyStoreShape } from "../../core/ports/KeyStore.ts"
import { SigningFailed, type SignatureAlgorithm, type Signer } from "../../core/ports/Signer.ts"
import { openToken, type TokenSession } from "./token.ts"

export { isSessionOpen, openToken, type TokenSession } from "./token.ts"

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
    const token = yield* Effect.acquireRelease(
      Effect.try({ try: () => openToken(module, label, Redacted.value(pin)), catch: (e) => new KeyStoreFailed({ reason: String(e) }) }),
      (t) => Effect.sync(() => t.close()),
    )
    return makePkcs11KeyStore(token)
  }),
)

const algorithmForSpki = (spki: Uint8Array): SignatureAlgorithm =>
  // id-ecPublicKey OID bytes inside the SPKI's AlgorithmIdentifier
  Buffer.from(spki).includes(Buffer.from("2a8648ce3d0201", "hex")) ? "ECDSA-P256-SHA256" : "RSA-PKCS1-SHA256"

export interface Pkcs11SignerOptions {
  readonly module: string
  readonly token: string
  readonly keyLabel: string
  readonly pin: string
  readonly certificate: Uint8Array
  readonly chain: ReadonlyArray<Uint8Array>
}

/** A Signer holding an open token session; `close` ends it (idempotent). */
export interface Pkcs11Signer extends Signer {
  /** The token session handle (see isSessionOpen). */
  readonly session: string
  readonly close: () => void
}

/**
 * A Signer for one act whose key stays in the token (CLI: --pkcs11-module
 * --token --key-label --pin). The caller must `close` it; `pkcs11Signer` is
 * the scoped form that cannot forget.
 */
export const openPkcs11Signer = (o: Pkcs11SignerOptions): Pkcs11Signer => {
  const token = openToken(o.module, o.token, o.pin)
  let algorithm: SignatureAlgorithm
  try {
    const spki = token.publicKey(o.keyLabel)
    if (!spki) throw new Error(`no key labelled ${o.keyLabel} on token ${o.token}`)
    algorithm = algorithmForSpki(spki)
  } catch (e) {
    token.close()
    throw e
  }
  return {
    session: token.handle,
    close: token.close,
    algorithm,
    certificate: o.certificate,
    chain: o.chain,
    sign: (data) =>
      Effect.try({ try: () => token.sign(o.keyLabel, algorithm, data), catch: (e) => new SigningFailed({ reason: String(e) }) }).pipe(
        Effect.flatMap((s) => (s ? Effect.succeed(s) : Effect.fail(new SigningFailed({ reason: `key ${o.keyLabel} not found` })))),
      ),
  }
}

/** The scoped form of `openPkcs11Signer`: the session closes with the scope. */
export const pkcs11Signer = (o: Pkcs11SignerOptions) =>
  Effect.acquireRelease(
    Effect.try({ try: () => openPkcs11Signer(o), catch: (e) => new KeyStoreFailed({ reason: String(e) }) }),
    (signer) => Effect.sync(() => signer.close()),
  ).pipe(Effect.map((signer): Signer & { readonly session: string } => signer))
