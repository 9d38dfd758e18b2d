import { join } from "node:path"
import { Effect, Layer, Result } from "effect"
import { layer as layerFileAnchor } from "../../adapters/evidence-anchor-file/index.ts"
import { layerAt as layerLogKey } from "../../adapters/evidence-ed25519/index.ts"
import { layerDevTsa } from "../../adapters/evidence-tsa/index.ts"
import { layer as layerHttpTsa } from "../../adapters/tsa/httpClient.ts"
import { parseMasterKey, webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { layerEvidenceRepositories } from "../../adapters/sql/evidence.ts"
import { layer as layerHash } from "../../adapters/evidence-hash/index.ts"
import { layer as layerQr } from "../../adapters/evidence-qr/index.ts"
import { parseWitnessKey } from "../../core/evidence/witness.ts"
import { Witnesses } from "../../core/ports/Witnesses.ts"
import { runPublisher } from "../../core/evidence/publisher.ts"
import { TimestampFailed, Tsa } from "../../core/ports/Tsa.ts"
import { layerRecorderWithClient } from "./http/evidenceClient.ts"
import type { Config } from "./config.ts"
import type { Secrets } from "./secrets.ts"
import { layerOnKeyHomes } from "./keyHomes.ts"

/** The log's name: the origin line of every checkpoint and the name in its verifier key. Never change it for a running log. */
export const EVIDENCE_ORIGIN = "signet.local/evidence"

/**
 * The evidence log's services on the app's database: stores, the Ed25519 log
 * key (sealed under the master key: in the database on Postgres, so every
 * instance signs with the one key, else in `$SIGNET_DATA_DIR/evidence/`), and in
 * the dev profile a local TSA from the dev CA (the apps' CA: keyHomes.ts) (any profile: the RFC 3161 server
 * at SIGNET_TSA_URL when set). Without a TSA
 * checkpoints carry no timestamp (the verifier reports it) and deferred signatures cannot complete.
 */
export const layerEvidence = (config: Config, secrets: Secrets) => {
  const masterKey = parseMasterKey(secrets.masterKey)
  const dir = join(config.dataDir, "evidence")
  // The dev CA the apps already keep in $SIGNET_DATA_DIR/ca (signing identities) also holds the dev TSA key.
  const keys = layerOnKeyHomes(config, (homes) =>
    Layer.merge(
      layerLogKey(homes.evidence, { masterKey, name: EVIDENCE_ORIGIN }),
      config.tsaUrl !== null ? layerHttpTsa(config.tsaUrl) : config.profile === "dev" ? layerDevTsa(homes.ca, masterKey) : layerNoTsa,
    ))
  // Dev only (a file per instance): a local file "anchor" shows the port at work; production wires a real ledger or leaves it out.
  const anchor = config.profile === "dev" ? layerFileAnchor(join(dir, "anchors.jsonl")) : Layer.empty
  // Keys were checked when the configuration loaded (config.ts).
  const witnesses = Layer.succeed(Witnesses, { keys: config.witnesses.flatMap((k) => Result.match(parseWitnessKey(k), { onSuccess: (w) => [w], onFailure: () => [] })) })
  return Layer.mergeAll(layerEvidenceRepositories, keys, anchor, webCryptoLayer, layerHash, layerQr, witnesses)
}

/**
 * Production without SIGNET_TSA_URL: signatures made with the signer's own key
 * (B-T) cannot be completed and say why; checkpoints carry the same reason as their timestampError.
 */
const layerNoTsa = Layer.succeed(Tsa, { timestamp: () => Effect.fail(new TimestampFailed({ reason: "未配置时间戳服务（SIGNET_TSA_URL）" })) })

/** Publishes checkpoints in the background while the apps run (policy: core/evidence/publisher.ts). */
export const layerEvidencePublisher = Layer.effectDiscard(Effect.forkScoped(runPublisher()))

/**
 * What the apps add to their runtime: the evidence services, the recorder
 * account (and later contract) use cases write their events through, and the
 * background publisher. Needs the app's Database, UnitOfWork, IdGenerator and Crypto.
 */
export const layerEvidenceRuntime = (config: Config, secrets: Secrets) =>
  Layer.mergeAll(layerRecorderWithClient, layerEvidencePublisher).pipe(Layer.provideMerge(layerEvidence(config, secrets)))
