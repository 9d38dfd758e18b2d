import { existsSync } from "node:fs"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import type { CaHome } from "../../adapters/ca/index.ts"
import { directoryVault, importInto, SharedVault, within, type Vault } from "../../adapters/keys-software/index.ts"
import type { Config } from "./config.ts"

/** Where the platform CA (with person and seal keys) and the evidence log key are kept. */
export interface KeyHomes {
  readonly ca: CaHome
  readonly evidence: string | Vault
}

/**
 * A deployment that ran on Postgres before keys moved into the database kept
 * them in its data dir: the first instance to start with that dir moves the CA
 * (with every key, issued certificate and revocation) and the log key into the
 * vault, so signatures made before still chain to the root the apps trust.
 */
export const importDataDir = (config: Config, vault: Vault) =>
  Effect.gen(function*() {
    const ca = join(config.dataDir, "ca")
    if (existsSync(ca)) yield* importInto(directoryVault(ca), within(vault, "ca/"), "root.cert.pem", ["", "keys/", "issued/", "revoked/"])
    const evidence = join(config.dataDir, "evidence")
    if (existsSync(evidence)) yield* importInto(directoryVault(evidence), within(vault, "evidence/"), "evidence-log.key.json", [])
  })

/**
 * With DATABASE_URL: in the database's vault (`ca/`, `evidence/`), which every
 * instance on that Postgres shares (what the data dir held is moved in
 * first); on SQLite: in `$SIGNET_DATA_DIR/ca` and `$SIGNET_DATA_DIR/evidence` as always.
 */
export const layerOnKeyHomes = <A, E, R>(config: Config, make: (homes: KeyHomes) => Layer.Layer<A, E, R>): Layer.Layer<A, E, R | SharedVault> =>
  config.databaseUrl === null
    ? make({ ca: join(config.dataDir, "ca"), evidence: join(config.dataDir, "evidence") })
    : Layer.unwrap(SharedVault.use((vault) =>
      Effect.as(importDataDir(config, vault).pipe(Effect.orDie), make({ ca: within(vault, "ca/"), evidence: within(vault, "evidence/") }))))
