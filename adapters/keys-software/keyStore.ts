/**
 * Software key store: PKCS#8 keys encrypted at rest with AES-256-GCM under a
 * master key (label as additional data, so a file cannot be swapped for
 * another label's), kept in a vault (a directory, memory or the database).
 * Keys are decrypted only for the operation.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto"
import { Effect } from "effect"
import { KeyNotFound, KeyStoreFailed, type KeyStoreShape, type KeyType } from "../../core/ports/KeyStore.ts"
import { SigningFailed } from "../../core/ports/Signer.ts"
import { signWithKey } from "./nodeSigner.ts"
import { directoryVault, memoryVault, type Vault } from "./vault.ts"

/** A sealed private key, or a symmetric secret (e.g. the CA's ID-number HMAC key). */
type SealedType = KeyType | "secret"

interface Sealed {
  readonly type: SealedType
  readonly iv: string
  readonly tag: string
  readonly data: string
}

export const seal = (masterKey: Uint8Array, label: string, plaintext: Uint8Array, type: SealedType): Sealed => {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv)
  cipher.setAAD(Buffer.from(label, "utf8"))
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { type, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") }
}

export const unseal = (masterKey: Uint8Array, label: string, sealed: Sealed): Uint8Array => {
  const decipher = createDecipheriv("aes-256-gcm", masterKey, Buffer.from(sealed.iv, "base64"))
  decipher.setAAD(Buffer.from(label, "utf8"))
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"))
  return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]))
}

const generateKey = (type: KeyType): KeyObject =>
  type === "EC-P256"
    ? generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey
    : generateKeyPairSync("rsa", { modulusLength: type === "RSA-3072" ? 3072 : 2048 }).privateKey

export interface SoftwareKeyStoreOptions {
  /** 32-byte AES key. */
  readonly masterKey: Uint8Array
  /** Directory for sealed key files (`<dir>/<label>.key.json`). */
  readonly dir?: string | undefined
  /** Or any vault (the database's, shared by every instance); in memory when neither is given. */
  readonly vault?: Vault | undefined
}

const safeLabel = (label: string) => {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(label)) throw new Error(`invalid key label ${JSON.stringify(label)}`)
  return label
}

/** How many unsealed keys a store keeps (a P-256 KeyObject is a few hundred bytes of native memory). */
export const KEY_CACHE_MAX = 4096

const failed = (e: unknown) => new KeyStoreFailed({ reason: e instanceof KeyStoreFailed ? e.reason : String(e) })

export const makeSoftwareKeyStore = (options: SoftwareKeyStoreOptions): KeyStoreShape & {
  /** Imports an existing private key (PKCS#8 DER) under `label`. */
  readonly importKey: (label: string, pkcs8: Uint8Array, type: KeyType) => Effect.Effect<void, KeyStoreFailed>
  /** Creates a random symmetric secret of `length` bytes under `label`, sealed like the keys. */
  readonly generateSecret: (label: string, length: number) => Effect.Effect<void, KeyStoreFailed>
  /** The unsealed secret, or undefined when the store has none under `label`. */
  readonly secret: (label: string) => Effect.Effect<Uint8Array | undefined, KeyStoreFailed>
  /** Whether a key or secret is kept under `label`. */
  readonly has: (label: string) => Effect.Effect<boolean, KeyStoreFailed>
} => {
  if (options.masterKey.length !== 32) throw new Error("master key must be 32 bytes")
  const vault = options.vault ?? (options.dir ? directoryVault(options.dir) : memoryVault())
  const name = (label: string) => `${safeLabel(label)}.key.json`
  const save = (label: string, sealed: Sealed) =>
    Effect.flatMap(
      Effect.suspend(() => vault.create([[name(label), new TextEncoder().encode(JSON.stringify(sealed))]])),
      (created) => (created ? Effect.void : Effect.fail(new KeyStoreFailed({ reason: `key ${label} already exists` }))),
    )
  const loadSealed = (label: string): Effect.Effect<Sealed | undefined, KeyStoreFailed> =>
    Effect.map(Effect.suspend(() => vault.get(name(label))), (bytes) => (bytes === undefined ? undefined : JSON.parse(new TextDecoder().decode(bytes)) as Sealed))
  const unsealed = new Map<string, KeyObject>()
  const load = (label: string): Effect.Effect<KeyObject | undefined, KeyStoreFailed> =>
    Effect.suspend(() => {
      const hit = unsealed.get(label)
      if (hit !== undefined) {
        unsealed.delete(label)
        unsealed.set(label, hit)
        return Effect.succeed(hit)
      }
      return Effect.flatMap(loadSealed(label), (sealed) =>
        Effect.try({
          try: () => {
            if (!sealed) return undefined
            if (sealed.type === "secret") throw new Error(`${label} is a secret, not a key pair`)
            const key = createPrivateKey({ key: Buffer.from(unseal(options.masterKey, label, sealed)), format: "der", type: "pkcs8" })
            unsealed.set(label, key)
            if (unsealed.size > KEY_CACHE_MAX) unsealed.delete(unsealed.keys().next().value as string)
            return key
          },
          catch: (e) => new KeyStoreFailed({ reason: `cannot unseal ${label}: ${String(e)}` }),
        }))
    })
  const sealing = (label: string, make: () => { plaintext: Uint8Array; type: SealedType }) =>
    Effect.try({ try: () => { const { plaintext, type } = make(); return seal(options.masterKey, safeLabel(label), plaintext, type) }, catch: failed })
  return {
    importKey: (label, pkcs8, type) => Effect.flatMap(sealing(label, () => ({ plaintext: pkcs8, type })), (sealed) => save(label, sealed)),
    generateSecret: (label, length) =>
      Effect.flatMap(sealing(label, () => ({ plaintext: new Uint8Array(randomBytes(length)), type: "secret" })), (sealed) => save(label, sealed)),
    secret: (label) =>
      Effect.flatMap(loadSealed(label), (sealed) =>
        Effect.try({
          try: () => {
            if (!sealed) return undefined
            if (sealed.type !== "secret") throw new Error(`${label} is a key pair, not a secret`)
            return unseal(options.masterKey, label, sealed)
          },
          catch: (e) => new KeyStoreFailed({ reason: `cannot unseal ${label}: ${String(e)}` }),
        })),
    has: (label) => Effect.map(loadSealed(label), (sealed) => sealed !== undefined),
    generate: (label, type) =>
      Effect.gen(function*() {
        const key = yield* Effect.try({ try: () => generateKey(type), catch: failed })
        yield* save(label, yield* sealing(label, () => ({ plaintext: new Uint8Array(key.export({ format: "der", type: "pkcs8" })), type })))
        return new Uint8Array(createPublicKey(key).export({ format: "der", type: "spki" }))
      }),
    publicKey: (label) =>
      Effect.gen(function* () {
        const key = yield* load(label)
        if (!key) return yield* new KeyNotFound({ label })
        return new Uint8Array(createPublicKey(key).export({ format: "der", type: "spki" }))
      }),
    sign: (label, algorithm, data) =>
      Effect.gen(function* () {
        const key = yield* load(label).pipe(Effect.mapError((e) => new SigningFailed({ reason: e.reason })))
        if (!key) return yield* new KeyNotFound({ label })
        return yield* Effect.try({ try: () => signWithKey(key, algorithm, data), catch: (e) => new SigningFailed({ reason: String(e) }) })
      }),
  }
}
