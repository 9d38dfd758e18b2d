import { randomBytes } from "node:crypto"
import { afterAll } from "vitest"
import { Effect, Layer } from "effect"
import { accountRepositoriesContract } from "../../fixtures/contracts/AccountRepositories.contract.ts"
import { contractRepositoryContract } from "../../fixtures/contracts/ContractRepository.contract.ts"
import { sealRepositoryContract } from "../../fixtures/contracts/SealRepository.contract.ts"
import { organizationRepositoryContract } from "../../fixtures/contracts/OrganizationRepository.contract.ts"
import { templateRepositoryContract } from "../../fixtures/contracts/TemplateRepository.contract.ts"
import { layerVerificationRepositories } from "./verification/index.ts"
import { migrated } from "../../fixtures/layers.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { dropSchema, layerPostgres, layerRepositories, layerSqlite } from "./index.ts"

accountRepositoriesContract("SQLite", layerRepositories.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))
contractRepositoryContract("SQLite", layerRepositories.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))
sealRepositoryContract("SQLite", layerRepositories.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))
templateRepositoryContract("SQLite", layerRepositories.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))
const orgRepos = Layer.merge(layerRepositories, layerVerificationRepositories)
organizationRepositoryContract("SQLite", orgRepos.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))

const url = postgresUrl("account repository contract")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  accountRepositoriesContract("Postgres", layerRepositories.pipe(Layer.provide(migrated(layerPostgres(url, schema)))))
  contractRepositoryContract("Postgres", layerRepositories.pipe(Layer.provide(migrated(layerPostgres(url, `${schema}_c`)))))
  sealRepositoryContract("Postgres", layerRepositories.pipe(Layer.provide(migrated(layerPostgres(url, `${schema}_s`)))))
  templateRepositoryContract("Postgres", layerRepositories.pipe(Layer.provide(migrated(layerPostgres(url, `${schema}_t`)))))
  organizationRepositoryContract("Postgres", orgRepos.pipe(Layer.provide(migrated(layerPostgres(url, `${schema}_o`)))))
  afterAll(() => Effect.runPromise(dropSchema(url, `${schema}_o`)))
  afterAll(() => Effect.runPromise(dropSchema(url, `${schema}_t`)))
  afterAll(() => Effect.runPromise(Effect.all([dropSchema(url, schema), dropSchema(url, `${schema}_c`), dropSchema(url, `${schema}_s`)])))
}
