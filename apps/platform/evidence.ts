import { join } from "node:path"
import { Layer } from "effect"
import { layer as layerLogKey } from "../../adapters/evidence-ed25519/index.ts"
import { layerDevTsa } from "../../adapters/evidence-tsa/index.ts"
import { parseMasterKey } from "../../adapters/keys-software/index.ts"
import { layerEvidenceRepositories } from "../../adapters/sql/evidence.ts"
import type { Config } from "./config.ts"
import type { Secrets } from "./secrets.ts"

/** The log's name: the origin line of every checkpoint and the name in its verifier key. Never change it for a running log. */
export const EVIDENCE_ORIGIN = "signet.local/evidence"

/**
 * The evidence log's services on the app's database: stores, the Ed25519 log
 * key (sealed under the master key in `$SIGNET_DATA_DIR/evidence/`), and in
 * the dev profile a local TSA from a dev CA in the same folder. Without a TSA
 * checkpoints carry no timestamp (the verifier reports it).
 */
export const layerEvidence = (config: Config, secrets: Secrets) => {
  const masterKey = parseMasterKey(secrets.masterKey)
  const dir = join(config.dataDir, "evidence")
  const tsa = config.profile === "dev" ? layerDevTsa(join(dir, "tsa-ca"), masterKey) : Layer.empty
  return Layer.mergeAll(layerEvidenceRepositories, layerLogKey({ dir, masterKey, name: EVIDENCE_ORIGIN }), tsa)
}
