import { randomBytes } from "node:crypto"
import { afterAll } from "vitest"
import { Effect, Layer } from "effect"
import { verificationRepositoriesContract } from "../../../fixtures/contracts/VerificationRepositories.contract.ts"
import { postgresUrl } from "../../../fixtures/postgres.ts"
import { dropSchema, layerPostgres, layerRepositories, layerSqlite, migrated } from "../index.ts"
import { layerVerificationRepositories } from "./index.ts"

const repos = Layer.merge(layerRepositories, layerVerificationRepositories)

verificationRepositoriesContract("SQLite", repos.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))

const url = postgresUrl("verification repository contract")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  verificationRepositoriesContract("Postgres", repos.pipe(Layer.provide(migrated(layerPostgres(url, schema)))))
  afterAll(() => Effect.runPromise(dropSchema(url, schema)))
}
