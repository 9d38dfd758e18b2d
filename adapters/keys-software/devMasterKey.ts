/**
 * The development master key: random, made once, kept as `masterKey`
 * (base64) in `<dir>/dev-secrets.json`, the file the apps' dev profile
 * already keeps its secrets in (apps/platform/secrets.ts), so the apps and
 * `signet ca` unseal the same keys. Production never comes here.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { join } from "node:path"

export interface DevMasterKey {
  readonly key: Uint8Array
  /** The file holding it. */
  readonly file: string
  readonly created: boolean
}

const decode = (text: string, file: string): Uint8Array => {
  const bytes = Buffer.from(text, "base64")
  if (bytes.length !== 32) throw new Error(`${file}: masterKey must be 32 bytes in base64`)
  return new Uint8Array(bytes)
}

/**
 * Reads the dev master key of `dir`, or makes one when `create` (other
 * fields of the file are kept). Without `create` a missing key is an error:
 * keys already sealed elsewhere would not open under a fresh one.
 */
export const devMasterKey = (dir: string, create = true): DevMasterKey => {
  const file = join(dir, "dev-secrets.json")
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {}
  if (typeof stored.masterKey === "string") return { key: decode(stored.masterKey, file), file, created: false }
  if (!create) throw new Error(`no masterKey in ${file}: set SIGNET_MASTER_KEY to the key these keys were sealed under`)
  const key = new Uint8Array(randomBytes(32))
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, JSON.stringify({ ...stored, masterKey: Buffer.from(key).toString("base64") }, null, 2), { mode: 0o600 })
  chmodSync(file, 0o600)
  return { key, file, created: true }
}
