import { randomBytes } from "node:crypto"
import { afterAll } from "vitest"
import { Effect, Layer } from "effect"
import { layer as layerCrypto } from "../crypto-node/index.ts"
import { IdGenerator } from "../../core/ports/IdGenerator.ts"
import { layerEphemeral } from "../evidence-ed25519/index.ts"
import { layerDevTsa } from "../evidence-tsa/index.ts"
import { webCryptoLayer } from "../keys-software/index.ts"
import { tempDir } from "../../fixtures/signing/validators.ts"
import { evidenceStoreContract } from "../../fixtures/contracts/EvidenceStore.contract.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { layerEvidenceStore } from "./evidence.ts"
import { layerTreeStore } from "./evidenceTree.ts"
import { dropSchema, layerPostgres, layerSqlite, migrated } from "./index.ts"
import { layerUnitOfWork } from "./unitOfWork.ts"

const on = <E>(database: Layer.Layer<import("./Database.ts").Database, E>) =>
  Layer.mergeAll(layerTreeStore, layerEvidenceStore, layerUnitOfWork).pipe(Layer.provideMerge(database), Layer.provideMerge(Layer.mergeAll(
    layerCrypto, IdGenerator.layerSnowflake(7), webCryptoLayer, layerEphemeral("signet.test/evidence"), tsa,
  )))

/** One dev CA + TSA for both suites (key generation is the slow part). */
const tsa = layerDevTsa(tempDir("signet-evidence-tsa-"), new Uint8Array(32).fill(7))

evidenceStoreContract("SQLite", on(migrated(layerSqlite(":memory:"))))

const url = postgresUrl("evidence store contract")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  evidenceStoreContract("Postgres", on(migrated(layerPostgres(url, schema))))
  afterAll(() => Effect.runPromise(dropSchema(url, schema)))
}
