import { createHmac } from "node:crypto"
import { join } from "node:path"
import { Layer, Redacted } from "effect"
import { OtpSecret } from "../../core/ports/OtpSecret.ts"
import { layerIdGenerator, layerPostgres, layerRepositories, layerSqlite, migrated } from "../../adapters/sql/index.ts"
import { layer as layerCrypto } from "../../adapters/crypto-node/index.ts"
import { type Argon2Cost, layerWith as layerArgon2, productionCost } from "../../adapters/argon2/index.ts"
import { layerHttpGateway, layerOutboxReader, layerOutboxSender } from "../../adapters/sms/index.ts"
import { AppLinks } from "../../core/ports/AppLinks.ts"
import { PlatformOwner } from "../../core/ports/PlatformOwner.ts"
import { layer as layerBlobs } from "../../adapters/blobs-fs/index.ts"
import { layerReadingThrough as layerSqlBlobs } from "../../adapters/blobs-sql/index.ts"
import { layerSqlVault } from "../../adapters/sql/vault.ts"
import { layerSoftwareCa } from "../../adapters/signing-identity/index.ts"
import { webCryptoLayer } from "../../adapters/keys-software/index.ts"
import { revocationFetcherLayer } from "../../adapters/ca/index.ts"
import { layerSecretSealer } from "../../adapters/keys-software/secretSealer.ts"
import { defaultPoolOptions, layer as layerWorkerPool, type PoolOptions } from "../../adapters/worker-pool/index.ts"
import { layerVerification } from "./verificationLayers.ts"
import { layerOrders } from "./orderLayers.ts"
import { layer as layerInvoicePdf } from "../../adapters/invoice-pdf/index.ts"
import { layerEvidenceRuntime } from "./evidence.ts"
import { layerPartnerApi } from "../api/layers.ts"
import { layerOnKeyHomes } from "./keyHomes.ts"
import { layerPades } from "./pades.ts"
import { SmsQuotaLimits } from "../../core/ports/SmsQuota.ts"
import type { Config } from "./config.ts"
import { privateDir, privateFile } from "./privateFiles.ts"
import { readTrustRoots } from "./trustRoots.ts"
import type { Secrets } from "./secrets.ts"

/**
 * The database the config names: Postgres when DATABASE_URL is set, else SQLite in the data dir; with its
 * vault of sealed keys (used for the CA and the log key on Postgres: see keyHomes.ts).
 */
export const layerDatabase = (config: Config) => {
  if (config.databaseUrl !== null) {
    return Layer.provideMerge(layerSqlVault, migrated(layerPostgres(config.databaseUrl, undefined, { poolMax: config.database.poolMax, statementTimeoutMs: config.database.statementTimeoutMs })))
  }
  privateDir(config.dataDir)
  const file = join(config.dataDir, "signet.db")
  privateFile(file)
  return Layer.provideMerge(layerSqlVault, migrated(layerSqlite(file)))
}

/**
 * Everything the apps run on, wired from the configuration. `passwordCost`: the argon2id cost of new password
 * hashes (OWASP's minimum unless a test boot asks for a cheap one; each hash carries its own, so verifying follows it).
 */
export const layerApp = (config: Config, secrets: Secrets, holder: string, untrustedWork: Partial<PoolOptions> = {}, passwordCost: Argon2Cost = productionCost) => {
  const database = layerDatabase(config)
  const sms = config.smsGateway === null
    ? layerOutboxSender
    : layerHttpGateway({ ...config.smsGateway, secret: Redacted.make(config.smsGateway.secret), timeoutMs: 5_000 })
  const otpKey = new Uint8Array(createHmac("sha256", secrets.sessionSecret).update("signet/otp").digest())
  const masterKey = new Uint8Array(Buffer.from(secrets.masterKey, "base64"))
  const documents = Layer.mergeAll(
    // Documents and uploads: in the database on Postgres (instances share nothing else; files an earlier
    // version left in the data dir are read and copied in), else files in the data dir.
    config.databaseUrl === null ? layerBlobs(join(config.dataDir, "blobs")) : layerSqlBlobs(join(config.dataDir, "blobs")),
    layerOnKeyHomes(config, (homes) => layerSoftwareCa(homes.ca, masterKey, readTrustRoots(config.trustRoots))),
    webCryptoLayer,
    // The status of certificates other CAs issued (keys the signer holds): OCSP / CRL as each certificate names them.
    revocationFetcherLayer,
    layerSecretSealer(masterKey),
    Layer.succeed(AppLinks, { contract: (id) => `${config.publicUrl}/contracts/${id}` }),
    Layer.succeed(PlatformOwner, { creditCode: config.platformOwnerCreditCode }),
    Layer.succeed(SmsQuotaLimits, config.smsQuota),
    // Uploaded bytes are parsed and decoded in worker threads, never on the request thread.
    layerWorkerPool({ ...defaultPoolOptions, ...untrustedWork }),
  )
  return Layer.mergeAll(layerRepositories, sms, layerOutboxReader, layerIdGenerator(holder), documents, layerVerification(config), layerOrders(config, secrets)).pipe(
    (app) => layerPartnerApi(config, secrets).pipe(Layer.provideMerge(app)),
    // Invoices: the built-in PDF issuer (the shipped CJK font, platform ids); a tax-authority service would replace it here.
    (app) => layerInvoicePdf.pipe(Layer.provideMerge(app)),
    (app) => layerPades(config, masterKey).pipe(Layer.provideMerge(app)),
    (app) => layerEvidenceRuntime(config, secrets).pipe(Layer.provideMerge(app)),
    Layer.provideMerge(database),
    Layer.provideMerge(Layer.mergeAll(layerCrypto, layerArgon2(passwordCost), Layer.succeed(OtpSecret, { key: otpKey }))),
  )
}

export type AppLayer = ReturnType<typeof layerApp>

/** The services every use case may ask for, as the apps' runtime provides them. */
export type AppServices = Layer.Success<AppLayer>
