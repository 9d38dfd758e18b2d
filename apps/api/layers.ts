import { createHmac } from "node:crypto"
import { Layer } from "effect"
import { ApiSecret } from "../../core/ports/ApiSecret.ts"
import { layerContractEventSink } from "../../core/api/webhooks.ts"
import { layerApiRepositories } from "../../adapters/sql/api.ts"
import { layer as layerSqlJobs } from "../../adapters/jobs-sql/index.ts"
import { layer as layerPgBoss } from "../../adapters/jobs-pgboss/index.ts"
import type { Config } from "../platform/config.ts"
import type { Secrets } from "../platform/secrets.ts"
import { OutboundPolicy } from "../../core/net/outbound.ts"
import { layerDnsResolver, layerWebhookHttp } from "./webhookHttp.ts"

/**
 * The partner API's services: its repositories, the server key API and
 * webhook secrets derive from, webhooks over HTTP, the job queue (rows in
 * SQLite, polled in-process; pg-boss on Postgres so several processes share
 * the work), the DNS resolver and outbound rules webhook URLs are checked
 * with, and the contract event sink that turns contract writes into
 * webhook deliveries. Needs the Database and an IdGenerator.
 */
export const layerPartnerApi = (config: Config, secrets: Secrets) => {
  const key = new Uint8Array(createHmac("sha256", secrets.sessionSecret).update("signet/api").digest())
  const queue = config.databaseUrl === null ? layerSqlJobs({ pollMs: 500 }) : layerPgBoss({ connectionString: config.databaseUrl, poolMax: config.database.jobsPoolMax })
  // Outbound rules for webhooks (SSRF guard): loopback only where the config allows it (the dev profile).
  const outbound = Layer.succeed(OutboundPolicy, { allowLoopback: config.webhookAllowLoopback })
  return layerContractEventSink.pipe(
    Layer.provideMerge(Layer.mergeAll(layerApiRepositories, queue, layerWebhookHttp(), layerDnsResolver, Layer.succeed(ApiSecret, { key }))),
    Layer.provideMerge(outbound),
  )
}
