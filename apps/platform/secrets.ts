import { randomBytes } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Config } from "./config.ts"
import { privateDir, privateFile } from "./privateFiles.ts"

export interface Secrets {
  readonly sessionSecret: string
  readonly masterKey: string
}

/**
 * Production takes its secrets from the environment (config refuses to start
 * without them). The dev profile makes them once into `$SIGNET_DATA_DIR/dev-secrets.json`
 * (mode 0600) so sessions survive restarts.
 */
export const resolveSecrets = (config: Config): Secrets => {
  if (config.sessionSecret !== null && config.masterKey !== null) {
    return { sessionSecret: config.sessionSecret, masterKey: config.masterKey }
  }
  privateDir(config.dataDir)
  const file = join(config.dataDir, "dev-secrets.json")
  const stored: Partial<Secrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {}
  const secrets: Secrets = {
    sessionSecret: config.sessionSecret ?? stored.sessionSecret ?? randomBytes(32).toString("base64url"),
    masterKey: config.masterKey ?? stored.masterKey ?? randomBytes(32).toString("base64"),
  }
  privateFile(file)
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}
