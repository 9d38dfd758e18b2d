import { randomBytes } from "node:crypto"
import { afterAll } from "vitest"
import { Effect, Layer } from "effect"
import { jobQueueContract } from "../../fixtures/contracts/JobQueue.contract.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { dropSchema, layerPostgres, migrated } from "../sql/index.ts"
import { layerUnitOfWork } from "../sql/unitOfWork.ts"
import { layer } from "./index.ts"

const url = postgresUrl("pg-boss job queue")
if (url !== null) {
  const schema = `t_${randomBytes(6).toString("hex")}`
  // pg-boss's tables in a throwaway schema of their own; its retries count whole seconds.
  jobQueueContract("Postgres (pg-boss)",
    Layer.mergeAll(layer({ connectionString: url, schema: `${schema}_boss`, pollSeconds: 0.5 }), layerUnitOfWork).pipe(
      Layer.provideMerge(migrated(layerPostgres(url, schema))),
    ),
    1_000)
  afterAll(() => Effect.runPromise(Effect.all([dropSchema(url, schema), dropSchema(url, `${schema}_boss`)])))
}
