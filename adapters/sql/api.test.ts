import { randomBytes } from "node:crypto"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Layer } from "effect"
import type { KyselyPlugin } from "kysely"
import { ApiRepository } from "../../core/ports/ApiRepository.ts"
import { listEnterpriseContracts } from "../../core/api/enterpriseContracts.ts"
import { contractBranches } from "../../core/contracts/contractBranches.ts"
import { ContractRepository } from "../../core/ports/ContractRepository.ts"
import { aContract, apiRepositoriesContract } from "../../fixtures/contracts/ApiRepositories.contract.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { layerApiRepositories } from "./api.ts"
import { Database, dropSchema, layerPostgres, layerRepositories, layerSqlite, migrated } from "./index.ts"

const repos = Layer.merge(layerApiRepositories, layerRepositories)

apiRepositoriesContract("SQLite", repos.pipe(Layer.provide(migrated(layerSqlite(":memory:")))))

const url = postgresUrl("partner API repository contract")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  apiRepositoriesContract("Postgres", repos.pipe(Layer.provide(migrated(layerPostgres(url, schema)))))
  afterAll(() => Effect.runPromise(dropSchema(url, schema)))
}

/**
 * The partner API's contract list reads a page in a fixed number of queries,
 * however many contracts it holds (it made one query per contract: p50 167 ms
 * on Postgres at 10 clients). Counted with a Kysely plugin on SQLite.
 */
describe("listEnterpriseContracts", () => {
  it("reads a page of 1 and a page of 12 contracts with the same number of queries, in order", async () => {
    let queries = 0
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries += 1
        return args.node
      },
      transformResult: (args) => Promise.resolve(args.result),
    }
    const database = Layer.effect(Database, Effect.gen(function*() {
      const d = yield* Database
      return { ...d, db: d.db.withPlugin(counting) }
    })).pipe(
      Layer.provide(migrated(layerSqlite(":memory:"))),
    )
    const page = (enterpriseId: string) =>
      Effect.gen(function*() {
        queries = 0
        const r = yield* listEnterpriseContracts({ enterpriseId, limit: 20, offset: 0 })
        return { queries, names: r.items.map((c) => c.name), total: r.total }
      })
    const [one, twelve] = await Effect.runPromise(Effect.gen(function*() {
      const contracts = yield* ContractRepository
      const api = yield* ApiRepository
      for (const [enterprise, n] of [["E1", 1], ["E12", 12]] as const) {
        for (let i = 0; i < n; i++) {
          const c = aContract(`${enterprise}-${i}`, "inProgress", 1_000 + i)
          yield* contracts.insert(c, contractBranches(c))
          yield* api.assignContract(c.id, enterprise, null, 1_000 + i)
        }
      }
      return [yield* page("E1"), yield* page("E12")] as const
    }).pipe(Effect.provide(repos.pipe(Layer.provide(database)))))
    expect(one).toEqual({ queries: one.queries, names: ["E1-0"], total: 1 })
    expect(twelve.names).toEqual(Array.from({ length: 12 }, (_, i) => `E12-${11 - i}`))
    expect(twelve.queries).toBe(one.queries)
  })
})
