import { randomBytes } from "node:crypto"
import { afterAll } from "vitest"
import { Effect, Layer } from "effect"
import { orderRepositoryContract } from "../../fixtures/contracts/OrderRepository.contract.ts"
import { migrated } from "../../fixtures/layers.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { dropSchema, layerPostgres, layerRepositories, layerSqlite } from "./index.ts"
import { layerOrderRepository } from "./orders.ts"

const repos = Layer.mergeAll(layerOrderRepository, layerRepositories)

orderRepositoryContract("SQLite", repos.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))

const url = postgresUrl("order repository contract")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  orderRepositoryContract("Postgres", repos.pipe(Layer.provide(migrated(layerPostgres(url, schema)))))
  afterAll(() => Effect.runPromise(dropSchema(url, schema)))
}
