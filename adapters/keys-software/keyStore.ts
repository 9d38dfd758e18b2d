/**
 * Software key store: PKCS#8 keys encrypted at rest with AES-256-GCM under a
 * master key (label as additional data, so a file cannot be swapped for
 * another label's). Keys are decrypted only for the operation.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto"
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { KeyNotFound, KeyStoreFailed, type KeyStoreShape, type KeyType } from "../../core/ports/KeyStore.ts"
import { SigningFailed } from "../../core/ports/Signer.ts"
import { signWithKey } from "./nodeSigner.ts"

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
  /** Directory for sealed key files; in memory when absent. */
  readonly dir?: string | undefined
}

const safeLabel = (label: string) => {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(label)) throw new Error(`invalid key label ${JSON.stringify(label)}`)
  return label
}

export const makeSoftwareKeyStore = (options: SoftwareKeyStoreOptions): KeyStoreShape & {
  /** Imports an existing private key (PKCS#8 DER) under `label`. */
  readonly importKey: (label: string, pkcs8: Uint8Array, type: KeyType) => Effect.Effect<void, KeyStoreFailed>
  /** Creates a random symmetric secret of `length` bytes under `label`, sealed like the keys. */
  readonly generateSecret: (label: string, length: number) => Effect.Effect<void, KeyStoreFailed>
  /** The unsealed secret, or undefined when the store has none under `label`. */
  readonly secret: (label: string) => Effect.Effect<Uint8Array | undefined, KeyStoreFailed>
} => {
  if (options.masterKey.length !== 32) throw new Error("master key must be 32 bytes")
  const memory = new Map<string, Sealed>()
  if (options.dir) mkdirSync(options.dir, { recursive: true })
  const path = (label: string) => join(options.dir ?? "", `${safeLabel(label)}.key.json`)
  const save = (label: string, sealed: Sealed) => {
    if (options.dir) {
      if (existsSync(path(label))) throw new Error(`key ${label} already exists`)
      // Written aside, then linked into place: another process opening the same
      // store never reads a half-written file, and link() refuses to replace one.
      const tmp = `${path(label)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`
      writeFileSync(tmp, JSON.stringify(sealed), { mode: 0o600, flag: "wx" })
      try {
        linkSync(tmp, path(label))
      } catch (e) {
        if ((e as { code?: string }).code === "EEXIST") throw new Error(`key ${label} already exists`)
        throw e
      } finally {
        unlinkSync(tmp)
      }
    } else {
      if (memory.has(label)) throw new Error(`key ${label} already exists`)
      memory.set(label, sealed)
    }
  }
  const loadSealed = (label: string): Sealed | undefined => {
    const sealed = memory.get(label)
    if (!sealed && options.dir && existsSync(path(label))) return JSON.parse(readFileSync(path(label), "utf8")) as Sealed
    return sealed
  }
  const load = (label: string): KeyObject | undefined => {
    const sealed = loadSealed(label)
    if (!sealed) return undefined
    if (sealed.type === "secret") throw new Error(`${label} is a secret, not a key pair`)
    return createPrivateKey({ key: Buffer.from(unseal(options.masterKey, label, sealed)), format: "der", type: "pkcs8" })
  }
  const importKey = (label: string, pkcs8: Uint8Array, type: KeyType) =>
    Effect.try({ try: () => save(label, seal(options.masterKey, label, pkcs8, type)), catch: (e) => new KeyStoreFailed({ reason: String(e) }) })
  return {
    importKey,
    generateSecret: (label, length) =>
      Effect.try({ try: () => save(label, seal(options.masterKey, label, new Uint8Array(randomBytes(length)), "secret")), catch: (e) => new KeyStoreFailed({ reason: String(e) }) }),
    secret: (label) =>
      Effect.try({
        try: () => {
          const sealed = loadSealed(label)
          if (!sealed) return undefined
          if (sealed.type !== "secret") throw new Error(`${label} is a key pair, not a secret`)
          return unseal(options.masterKey, label, sealed)
        },
        catch: (e) => new KeyStoreFailed({ reason: `cannot unseal ${label}: ${String(e)}` }),
      }),
    generate: (label, type) =>
      Effect.try({
        try: () => {
          const key = generateKey(type)
          save(label, seal(options.masterKey, label, new Uint8Array(key.export({ format: "der", type: "pkcs8" })), type))
          return new Uint8Array(createPublicKey(key).export({ format: "der", type: "spki" }))
        },
        catch: (e) => new KeyStoreFailed({ reason: String(e) }),
      }),
    publicKey: (label) =>
      Effect.gen(function* () {
        const key = yield* Effect.try({ try: () => load(label), catch: (e) => new KeyStoreFailed({ reason: `cannot unseal ${label}: ${String(e)}` }) })
        if (!key) return yield* new KeyNotFound({ label })
        return new Uint8Array(createPublicKey(key).export({ format: "der", type: "spki" }))
      }),
    sign: (label, algorithm, data) =>
      Effect.gen(function* () {
        const key = yield* Effect.try({ try: () => load(label), catch: (e) => new SigningFailed({ reason: `cannot unseal ${label}: ${String(e)}` }) })
        if (!key) return yield* new KeyNotFound({ label })
        return yield* Effect.try({ try: () => signWithKey(key, algorithm, data), catch: (e) => new SigningFailed({ reason: String(e) }) })
      }),
  }
}
