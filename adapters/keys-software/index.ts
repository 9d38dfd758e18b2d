/**
 * Software keys. Config: SIGNET_MASTER_KEY (32 bytes, base64 or 64 hex
 * chars) and SIGNET_KEY_DIR; SIGNET_PROFILE=production refuses to start
 * without a master key; the dev profile makes a random one once and keeps it
 * in $SIGNET_DATA_DIR/dev-secrets.json (see devMasterKey.ts).
 */
import { webcrypto } from "node:crypto"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import { KeyStore, KeyStoreFailed, type KeyStoreShape } from "../../core/ports/KeyStore.ts"
import { SigningFailed, type Signer } from "../../core/ports/Signer.ts"
import { WebCrypto } from "../../core/ports/WebCrypto.ts"
import { devMasterKey, type DevMasterKey } from "./devMasterKey.ts"
import { makeSoftwareKeyStore } from "./keyStore.ts"

export { devMasterKey, type DevMasterKey } from "./devMasterKey.ts"

export { makeSoftwareKeyStore, seal, unseal } from "./keyStore.ts"
export { directoryVault, importInto, memoryVault, SharedVault, within, type Vault, type VaultEntry } from "./vault.ts"
export { algorithmOf, signerFromKey, signerFromPemFiles, signWithKey, spkiOf } from "./nodeSigner.ts"
export { pemBlocks, toPem } from "./pem.ts"

/** Decodes a 32-byte master key from base64 or hex. */
export const parseMasterKey = (text: string): Uint8Array => {
  const t = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64")
  if (bytes.length !== 32) throw new Error("SIGNET_MASTER_KEY must be 32 bytes (base64 or 64 hex chars)")
  return new Uint8Array(bytes)
}

/** The apps' default data dir (apps/platform/config.ts). */
export const DEFAULT_DATA_DIR = "./var"

export const layer = Layer.effect(
  KeyStore,
  Effect.gen(function* () {
    const profile = yield* Config.String("SIGNET_PROFILE").pipe(Config.withDefault("development"))
    const master = yield* Config.option(Config.Redacted("SIGNET_MASTER_KEY"))
    const dir = yield* Config.option(Config.String("SIGNET_KEY_DIR"))
    const dataDir = yield* Config.String("SIGNET_DATA_DIR").pipe(Config.withDefault(DEFAULT_DATA_DIR))
    const nodeEnv = yield* Config.String("NODE_ENV").pipe(Config.withDefault(""))
    if (Option.isNone(master) && (profile === "production" || nodeEnv === "production")) {
      return yield* new KeyStoreFailed({ reason: `${profile === "production" ? "SIGNET_PROFILE" : "NODE_ENV"}=production requires SIGNET_MASTER_KEY` })
    }
    const masterKey = Option.isSome(master)
      ? parseMasterKey(Redacted.value(master.value))
      : yield* Effect.try({ try: () => devMasterKey(dataDir).key, catch: (e) => new KeyStoreFailed({ reason: String(e) }) })
    return makeSoftwareKeyStore({ masterKey, dir: Option.getOrUndefined(dir) })
  }),
)

/** `WebCrypto` for verification on Node. */
export const webCryptoLayer = Layer.succeed(WebCrypto, { crypto: webcrypto as unknown as Crypto })

/** A Signer whose private-key operation goes through the key store (the key never leaves it). */
export const signerFromStore = (
  store: KeyStoreShape,
  label: string,
  algorithm: Signer["algorithm"],
  certificate: Uint8Array,
  chain: ReadonlyArray<Uint8Array>,
): Signer => ({
  algorithm,
  certificate,
  chain,
  sign: (data) =>
    store.sign(label, algorithm, data).pipe(
      Effect.catchTag("KeyNotFound", (e) => Effect.fail(new SigningFailed({ reason: `key ${e.label} not found` }))),
    ),
})

export type MasterKeySource = { readonly key: Uint8Array; readonly from: "SIGNET_MASTER_KEY" } | (DevMasterKey & { readonly from: "dev-secrets" })

/**
 * The master key from SIGNET_MASTER_KEY; an error in production without one;
 * otherwise the dev key of `devDir` (default $SIGNET_DATA_DIR, else ./var),
 * made there on first use when `create`.
 */
export const masterKeyFromEnv = (
  env: Record<string, string | undefined> = process.env,
  options: { readonly devDir?: string | undefined; readonly create?: boolean | undefined } = {},
): MasterKeySource => {
  const text = env.SIGNET_MASTER_KEY
  if (text) return { key: parseMasterKey(text), from: "SIGNET_MASTER_KEY" }
  if (env.SIGNET_PROFILE === "production") throw new Error("SIGNET_PROFILE=production requires SIGNET_MASTER_KEY")
  if (env.NODE_ENV === "production") throw new Error("NODE_ENV=production requires SIGNET_MASTER_KEY")
  return { ...devMasterKey(options.devDir ?? env.SIGNET_DATA_DIR ?? DEFAULT_DATA_DIR, options.create ?? true), from: "dev-secrets" }
}
