import { randomBytes } from "node:crypto"
import { afterAll } from "vitest"
import { Effect, Layer } from "effect"
import { apiRepositoriesContract } from "../../fixtures/contracts/ApiRepositories.contract.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { layerApiRepositories } from "./api.ts"
import { dropSchema, layerPostgres, layerRepositories, layerSqlite, migrated } from "./index.ts"

const repos = Layer.merge(layerApiRepositories, layerRepositories)

apiRepositoriesContract("SQLite", repos.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))

const url = postgresUrl("partner API repository contract")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  apiRepositoriesContract("Postgres", repos.pipe(Layer.provide(migrated(layerPostgres(url, schema)))))
  afterAll(() => Effect.runPromise(dropSchema(url, schema)))
}
