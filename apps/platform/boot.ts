import { hostname } from "node:os"
import { join } from "node:path"
import { Layer, ManagedRuntime } from "effect"
import { layerJsonLogger, log } from "../../adapters/observability/index.ts"
import { waitForPostgres } from "../../adapters/sql/postgres/postgres-database.ts"
import { readiness } from "./http/operations.ts"
import { createAdminApp } from "../admin/app.tsx"
import { createWebApp } from "../web/app.tsx"
import { createApiApp } from "../api/app.tsx"
import { registerJobs } from "../api/jobs.ts"
import type { RetryPolicy } from "../../core/ports/JobQueue.ts"
import type { Argon2Cost } from "../../adapters/argon2/index.ts"
import type { Config } from "./config.ts"
import type { PoolOptions } from "../../adapters/worker-pool/index.ts"
import { sharedLimiter } from "./http/rateLimit.ts"
import { clientAddressFrom, parseTrustedProxies } from "./http/clientAddress.ts"
import { makeRunners } from "./http/runner.ts"
import { layerApp } from "./layers.ts"
import { resolveSecrets } from "./secrets.ts"
import { seedDemo } from "./seed.ts"

/**
 * Builds the one runtime both apps share, migrates, seeds the dev profile,
 * and returns the two Hono apps. Tests call this with a temp data dir.
 */
export interface BootOptions {
  /** Per-client-address limits: log-in attempts and SMS sends per minute (tests share one address). */
  readonly perClientPerMinute?: { readonly login: number; readonly sms: number }
  /** Run the contract expiry sweep every minute (default on), as a recurring job of the job queue. */
  readonly expirySweep?: boolean
  /** Webhook retry backoff (tests shorten it; default 30 s doubling to hourly, for 24 h). */
  readonly webhookRetry?: RetryPolicy
  /** Partner API requests per key per minute (default 600). */
  readonly apiPerKeyPerMinute?: number
  /** The worker pool uploaded bytes are parsed in (default `defaultPoolOptions`; tests shorten the timeout). */
  readonly untrustedWork?: Partial<PoolOptions>
  /**
   * This process runs what a deployment runs once per start or in one place (default true): the dev seed and the
   * job workers (webhook deliveries, clean-up, the expiry sweep). The other processes of a cluster (apps/cluster.ts)
   * serve requests only; the jobs they enqueue are claimed by the lead's workers (or any instance's: claims are atomic).
   */
  readonly lead?: boolean
  /**
   * The argon2id cost of new password hashes (default OWASP's minimum, adapters/argon2 productionCost). Test boots
   * pass a cheap one: hundreds of log-ins per run, none of them testing the hash's strength.
   */
  readonly passwordCost?: Argon2Cost
}

export const boot = async (config: Config, options: BootOptions = {}) => {
  const perClient = options.perClientPerMinute ?? { login: 20, sms: 5 }
  const secrets = resolveSecrets(config)
  if (config.databaseUrl !== null) {
    await waitForPostgres(config.databaseUrl, { timeoutMs: config.database.waitSeconds * 1000, log: (line) => log("info", line) })
  }
  // The JSON logger is provided to the layers too: fibers they fork (job pollers, lease heartbeat) log through it.
  const runtime = ManagedRuntime.make(layerApp(config, secrets, `${hostname()}:${process.pid}`, options.untrustedWork, options.passwordCost).pipe(Layer.provideMerge(layerJsonLogger)))
  const { run, exit } = makeRunners(runtime)
  const operations = { exit, ready: readiness(exit, config.databaseUrl === null ? join(config.dataDir, "ca") : null) }
  const lead = options.lead !== false
  if (lead && config.profile === "dev") await run(seedDemo)
  if (lead) await run(registerJobs({ webhookRetry: options.webhookRetry, expirySweep: options.expirySweep !== false, archiveRenewalDays: config.archiveRenewalDays }))
  const secure = config.profile === "production"
  const clientAddress = clientAddressFrom(parseTrustedProxies(config.trustedProxies.join(",")).list)
  const api = createApiApp({ exit, publicUrl: config.publicUrl, perKey: sharedLimiter(run, "api-key", { limit: options.apiPerKeyPerMinute ?? 600, windowMs: 60_000 }), clientAddress })
  const web = createWebApp({
    run, exit,
    security: { kind: "user", cookieName: "signet_session", secret: secrets.sessionSecret, secure, run },
    devProfile: config.profile === "dev",
    operations,
    limits: {
      login: sharedLimiter(run, "login", { limit: perClient.login, windowMs: 60_000 }),
      sms: sharedLimiter(run, "sms", { limit: perClient.sms, windowMs: 60_000 }),
      ocr: sharedLimiter(run, "ocr", { limit: 10, windowMs: 60_000 }),
    },
    clientAddress,
    agentUrl: config.agentUrl,
  }, api)
  const admin = createAdminApp({
    run, exit,
    // A different secret derivation and cookie: a user's token or CSRF token is worthless here.
    security: { kind: "staff", cookieName: "signet_admin", secret: `${secrets.sessionSecret}/admin`, secure, run },
    staffTotp: config.staffTotp,
    operations,
  })
  return { web, admin, run, dispose: () => runtime.dispose() }
}

export type Booted = Awaited<ReturnType<typeof boot>>
