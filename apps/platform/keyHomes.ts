import { join } from "node:path"
import { Effect, Layer } from "effect"
import type { CaHome } from "../../adapters/ca/index.ts"
import { SharedVault, within, type Vault } from "../../adapters/keys-software/index.ts"
import type { Config } from "./config.ts"

/** Where the platform CA (with person and seal keys) and the evidence log key are kept. */
export interface KeyHomes {
  readonly ca: CaHome
  readonly evidence: string | Vault
}

/**
 * With DATABASE_URL: in the database's vault (`ca/`, `evidence/`), which every
 * instance on that Postgres shares; on SQLite: in `$SIGNET_DATA_DIR/ca` and
 * `$SIGNET_DATA_DIR/evidence` as always.
 */
export const layerOnKeyHomes = <A, E, R>(config: Config, make: (homes: KeyHomes) => Layer.Layer<A, E, R>): Layer.Layer<A, E, R | SharedVault> =>
  config.databaseUrl === null
    ? make({ ca: join(config.dataDir, "ca"), evidence: join(config.dataDir, "evidence") })
    : Layer.unwrap(SharedVault.use((vault) => Effect.succeed(make({ ca: within(vault, "ca/"), evidence: within(vault, "evidence/") }))))
