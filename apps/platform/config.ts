import { availableParallelism } from "node:os"
import { Result, Schema, SchemaIssue } from "effect"
import { parseWitnessKey } from "../../core/evidence/witness.ts"
import { CreditCode } from "../../core/kernel/CreditCode.ts"
import { SmsQuotaLimits } from "../../core/ports/SmsQuota.ts"
import { PADES_LEVELS, type PadesLevel } from "../../core/ports/PadesProfile.ts"
import { ARCHIVE_RENEWAL_DAYS } from "../../core/contracts/renewArchives.ts"
import { loadOrderSettings, type OrderSettings } from "./orderConfig.ts"
import { parseTrustedProxies } from "./http/clientAddress.ts"

const Positive = Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "must be a whole number" }), Schema.isBetween({ minimum: 1, maximum: 1_000_000 }, { message: "must be a whole number from 1" })))
const Port = Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "must be a whole number" }), Schema.isBetween({ minimum: 0, maximum: 65535 }, { message: "must be a port number 0-65535" })))

const DailyLimit = Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "must be a whole number" }), Schema.isBetween({ minimum: 1, maximum: 100_000 }, { message: "must be 1-100000" })))

/** Every environment variable Signet reads. README.md documents each one. */
const Env = Schema.Struct({
  SIGNET_PROFILE: Schema.optional(Schema.Literals(["dev", "production"])),
  SIGNET_DATA_DIR: Schema.optional(Schema.String.pipe(Schema.check(Schema.isNonEmpty({ message: "must not be empty" })))),
  SIGNET_DB_POOL_MAX: Schema.optional(Positive),
  SIGNET_JOBS_POOL_MAX: Schema.optional(Positive),
  SIGNET_DB_STATEMENT_TIMEOUT_MS: Schema.optional(Positive),
  SIGNET_DB_WAIT_SECONDS: Schema.optional(Positive),
  SIGNET_SHUTDOWN_GRACE_MS: Schema.optional(Positive),
  SIGNET_WORKERS: Schema.optional(Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "must be a whole number" }), Schema.isBetween({ minimum: 1, maximum: 256 }, { message: "must be a whole number 1-256" })))),
  DATABASE_URL: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^postgres(ql)?:\/\/.+/, { message: "must be a postgres:// or postgresql:// URL" })))),
  PORT: Schema.optional(Port),
  ADMIN_PORT: Schema.optional(Port),
  HOST: Schema.optional(Schema.String),
  SIGNET_PUBLIC_URL: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+[^/]$/, { message: "must be an http(s) URL without a trailing slash" })))),
  SIGNET_MASTER_KEY: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9+/]{43}=$/, { message: "must be 32 bytes in base64 (openssl rand -base64 32)" })))),
  SIGNET_SESSION_SECRET: Schema.optional(Schema.String.pipe(Schema.check(Schema.isMinLength(32, { message: "must be at least 32 characters" })))),
  SIGNET_SMS_GATEWAY_URL: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/.+/, { message: "must be an http(s) URL" })))),
  SIGNET_SMS_ACCESS_KEY: Schema.optional(Schema.String),
  SIGNET_SMS_SECRET: Schema.optional(Schema.String),
  SIGNET_SMS_DAILY_PER_ACCOUNT: Schema.optional(DailyLimit),
  SIGNET_SMS_DAILY_PER_RECIPIENT: Schema.optional(DailyLimit),
  SIGNET_PADES_LEVEL: Schema.optional(Schema.Literals(PADES_LEVELS)),
  SIGNET_ARCHIVE_RENEWAL_DAYS: Schema.optional(Schema.NumberFromString.pipe(Schema.check(Schema.isInt({ message: "must be a whole number" }), Schema.isBetween({ minimum: 1, maximum: 3650 }, { message: "must be a whole number of days 1-3650" })))),
  SIGNET_TSA_URL: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/.+/, { message: "must be an http(s) URL" })))),
  SIGNET_IDENTITY_URL: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/.+/, { message: "must be an http(s) URL" })))),
  SIGNET_IDENTITY_APP_ID: Schema.optional(Schema.String),
  SIGNET_IDENTITY_SECRET: Schema.optional(Schema.String),
  SIGNET_WITNESSES: Schema.optional(Schema.String),
  SIGNET_PLATFORM_OWNER_CREDIT_CODE: Schema.optional(CreditCode),
  SIGNET_TRUSTED_PROXIES: Schema.optional(Schema.String),
  SIGNET_STAFF_TOTP: Schema.optional(Schema.Literals(["required", "optional"])),
  SIGNET_AGENT_URL: Schema.optional(Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s/]+$/, { message: "must be an http(s) origin without a path, e.g. http://127.0.0.1:17860" })))),
  SIGNET_TRUST_ROOTS: Schema.optional(Schema.String),
})

/** The port `signet agent` listens on by default, and where the sign page looks for it unless SIGNET_AGENT_URL says (issue 20). */
export const AGENT_DEFAULT_PORT = 17860
export const DEFAULT_AGENT_URL = `http://127.0.0.1:${AGENT_DEFAULT_PORT}`

/** The dev profile's partner platform owner: the demo enterprise 北京示例科技有限公司 (apps/platform/verificationSeed.ts). */
export const DEV_PLATFORM_OWNER = "91110108MA01A2B3CF"

export interface Config {
  readonly profile: "dev" | "production"
  readonly dataDir: string
  readonly databaseUrl: string | null
  /** Postgres only: pool sizes (app, pg-boss), the statement timeout, how long start-up waits for the database. */
  readonly database: { readonly poolMax: number; readonly jobsPoolMax: number; readonly statementTimeoutMs: number; readonly waitSeconds: number }
  /** How long a SIGTERM waits for requests in flight before closing anyway (SIGNET_SHUTDOWN_GRACE_MS). */
  readonly shutdownGraceMs: number
  /** Server processes (node:cluster) sharing the ports (SIGNET_WORKERS): the cores in production, 1 in dev and tests. */
  readonly workers: number
  readonly port: number
  readonly adminPort: number
  readonly host: string
  /** The portal's address as texted to people (links to contracts). */
  readonly publicUrl: string
  /** 32-byte key that encrypts keys at rest; generated into dataDir in dev. */
  readonly masterKey: string | null
  readonly sessionSecret: string | null
  readonly smsGateway: { readonly url: string; readonly accessKey: string; readonly secret: string } | null
  /** Daily texts one account may cause by sending contracts and reminders, and one number may receive (issue 16). */
  readonly smsQuota: SmsQuotaLimits
  /** An RFC 3161 time-stamping authority for evidence checkpoints; unset in dev = the local dev TSA. */
  readonly tsaUrl: string | null
  /** PAdES level of contract signatures (SIGNET_PADES_LEVEL): dev B-LTA; production B-T with a TSA, else B-B. */
  readonly padesLevel: PadesLevel
  /** B-LTA archive renewal (SIGNET_ARCHIVE_RENEWAL_DAYS, default 90): renew a document timestamp whose TSA certificate expires within this many days. */
  readonly archiveRenewalDays: number
  /** The four-factor identity provider (V1); unset in dev = the fixture table, in production = every check "unavailable". */
  readonly identityProvider: { readonly url: string; readonly appId: string; readonly secret: string } | null
  /** Orders: pickup points, SMTP, Alipay, USB-Key module (apps/platform/orderConfig.ts). */
  readonly orders: OrderSettings
  /** C2SP verifier keys of the witnesses whose cosignatures of evidence checkpoints are accepted (SIGNET_WITNESSES). */
  readonly witnesses: ReadonlyArray<string>
  /** The unified social credit code of the enterprise that owns the partner open platform (P1); null: no partner platform. */
  readonly platformOwnerCreditCode: string | null
  /** Reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges); empty: the socket address is the client. */
  readonly trustedProxies: ReadonlyArray<string>
  /** Webhooks may target loopback (a local test receiver): the dev profile only; production refuses every non-public address. */
  readonly webhookAllowLoopback: boolean
  /** X1 staff two-factor: "required" (production default) makes every staff member enrol an authenticator at first log-in; "optional" (dev default) offers it. */
  readonly staffTotp: "required" | "optional"
  /** The local signing agent the sign page talks to (SIGNET_AGENT_URL, default http://127.0.0.1:17860). */
  readonly agentUrl: string
  /**
   * Root certificates of other CAs whose certificates may sign contracts with keys the signer holds
   * (SIGNET_TRUST_ROOTS: PEM or DER files, comma-separated); the platform CA's root is always trusted.
   */
  readonly trustRoots: ReadonlyArray<string>
}

/** Raised with every bad variable named, before anything starts. */
export class ConfigError extends Error {
  override readonly name = "ConfigError"
}

/**
 * Decodes the configuration from an environment. In production the dev
 * adapters are refused: a master key, a session secret and a real SMS gateway
 * are required.
 */
export const loadConfig = (env: Record<string, string | undefined>): Config => {
  const decoded = Schema.decodeUnknownResult(Env)(env, { errors: "all", onExcessProperty: "ignore" })
  if (Result.isFailure(decoded)) {
    const issues = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
    throw new ConfigError(`invalid configuration:\n${issues.map((i) => `  ${i.path?.join(".")}: ${i.message}`).join("\n")}`)
  }
  const e = decoded.success
  const smsParts = [e.SIGNET_SMS_GATEWAY_URL, e.SIGNET_SMS_ACCESS_KEY, e.SIGNET_SMS_SECRET]
  if (smsParts.some((p) => p !== undefined) && smsParts.some((p) => p === undefined)) {
    throw new ConfigError("invalid configuration:\n  SIGNET_SMS_GATEWAY_URL, SIGNET_SMS_ACCESS_KEY, SIGNET_SMS_SECRET: set all three or none")
  }
  const idParts = [e.SIGNET_IDENTITY_URL, e.SIGNET_IDENTITY_APP_ID, e.SIGNET_IDENTITY_SECRET]
  if (idParts.some((p) => p !== undefined) && idParts.some((p) => p === undefined)) {
    throw new ConfigError("invalid configuration:\n  SIGNET_IDENTITY_URL, SIGNET_IDENTITY_APP_ID, SIGNET_IDENTITY_SECRET: set all three or none")
  }
  const proxies = parseTrustedProxies(e.SIGNET_TRUSTED_PROXIES ?? "")
  if (proxies.problems.length > 0) throw new ConfigError(`invalid configuration:\n  SIGNET_TRUSTED_PROXIES: ${proxies.problems.join("; ")} (want addresses or CIDR ranges, comma-separated)`)
  const orders = loadOrderSettings(env)
  if (orders.problems.length > 0) throw new ConfigError(`invalid configuration:\n${orders.problems.map((p) => `  ${p}`).join("\n")}`)
  const config: Config = {
    profile: e.SIGNET_PROFILE ?? "dev",
    dataDir: e.SIGNET_DATA_DIR ?? "./var",
    databaseUrl: e.DATABASE_URL ?? null,
    database: {
      poolMax: e.SIGNET_DB_POOL_MAX ?? 10,
      jobsPoolMax: e.SIGNET_JOBS_POOL_MAX ?? 4,
      statementTimeoutMs: e.SIGNET_DB_STATEMENT_TIMEOUT_MS ?? 15_000,
      waitSeconds: e.SIGNET_DB_WAIT_SECONDS ?? 60,
    },
    shutdownGraceMs: e.SIGNET_SHUTDOWN_GRACE_MS ?? 10_000,
    workers: e.SIGNET_WORKERS ?? ((e.SIGNET_PROFILE ?? "dev") === "production" ? availableParallelism() : 1),
    port: e.PORT ?? 3000,
    adminPort: e.ADMIN_PORT ?? 3001,
    host: e.HOST ?? "127.0.0.1",
    publicUrl: e.SIGNET_PUBLIC_URL ?? `http://${e.HOST === undefined || e.HOST === "0.0.0.0" ? "127.0.0.1" : e.HOST}:${e.PORT ?? 3000}`,
    masterKey: e.SIGNET_MASTER_KEY ?? null,
    sessionSecret: e.SIGNET_SESSION_SECRET ?? null,
    smsGateway: e.SIGNET_SMS_GATEWAY_URL !== undefined && e.SIGNET_SMS_ACCESS_KEY !== undefined && e.SIGNET_SMS_SECRET !== undefined
      ? { url: e.SIGNET_SMS_GATEWAY_URL, accessKey: e.SIGNET_SMS_ACCESS_KEY, secret: e.SIGNET_SMS_SECRET }
      : null,
    smsQuota: {
      perAccount: e.SIGNET_SMS_DAILY_PER_ACCOUNT ?? SmsQuotaLimits.defaultValue().perAccount,
      perRecipient: e.SIGNET_SMS_DAILY_PER_RECIPIENT ?? SmsQuotaLimits.defaultValue().perRecipient,
    },
    tsaUrl: e.SIGNET_TSA_URL ?? null,
    padesLevel: e.SIGNET_PADES_LEVEL ?? ((e.SIGNET_PROFILE ?? "dev") === "dev" ? "B-LTA" : e.SIGNET_TSA_URL !== undefined ? "B-T" : "B-B"),
    archiveRenewalDays: e.SIGNET_ARCHIVE_RENEWAL_DAYS ?? ARCHIVE_RENEWAL_DAYS,
    identityProvider: e.SIGNET_IDENTITY_URL !== undefined && e.SIGNET_IDENTITY_APP_ID !== undefined && e.SIGNET_IDENTITY_SECRET !== undefined
      ? { url: e.SIGNET_IDENTITY_URL, appId: e.SIGNET_IDENTITY_APP_ID, secret: e.SIGNET_IDENTITY_SECRET }
      : null,
    orders: orders.value,
    witnesses: (e.SIGNET_WITNESSES ?? "").split(/[\s,]+/).filter((k) => k.length > 0),
    platformOwnerCreditCode: e.SIGNET_PLATFORM_OWNER_CREDIT_CODE ?? ((e.SIGNET_PROFILE ?? "dev") === "dev" ? DEV_PLATFORM_OWNER : null),
    webhookAllowLoopback: (e.SIGNET_PROFILE ?? "dev") === "dev",
    trustedProxies: proxies.entries,
    staffTotp: e.SIGNET_STAFF_TOTP ?? ((e.SIGNET_PROFILE ?? "dev") === "dev" ? "optional" : "required"),
    agentUrl: e.SIGNET_AGENT_URL ?? DEFAULT_AGENT_URL,
    trustRoots: (e.SIGNET_TRUST_ROOTS ?? "").split(",").map((f) => f.trim()).filter((f) => f.length > 0),
  }
  const badWitness = config.witnesses.map(parseWitnessKey).find(Result.isFailure)
  if (badWitness !== undefined) throw new ConfigError(`invalid configuration:\n  SIGNET_WITNESSES: ${badWitness.failure} (want C2SP witness keys name+keyid+base64, comma-separated)`)
  // The secrets have no development default in production: NODE_ENV=production alone (a dev profile by
  // mistake) must not make a random key in a local file, which another instance would never share.
  const production = config.profile === "production" || env.NODE_ENV === "production"
  if (production) {
    const why = config.profile === "production" ? "in production" : "when NODE_ENV=production"
    const missing = [
      config.masterKey === null && `SIGNET_MASTER_KEY: required ${why} (keys at rest are encrypted under it; every instance needs the same one)`,
      config.sessionSecret === null && `SIGNET_SESSION_SECRET: required ${why} (every instance needs the same one)`,
      config.profile === "production" && config.smsGateway === null && "SIGNET_SMS_GATEWAY_URL: required in production (the SMS outbox is a development adapter)",
      config.profile === "production" && config.padesLevel !== "B-B" && config.tsaUrl === null && `SIGNET_TSA_URL: required for SIGNET_PADES_LEVEL=${config.padesLevel}`,
    ].filter((m): m is string => typeof m === "string")
    if (missing.length > 0) throw new ConfigError(`${config.profile === "production" ? "production profile" : "NODE_ENV=production"} refuses to start:\n${missing.map((m) => `  ${m}`).join("\n")}`)
  }
  return config
}
