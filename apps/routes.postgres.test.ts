import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { bootForTest } from "../fixtures/boot.ts"
import { postgresUrl } from "../fixtures/postgres.ts"
import { routeMatrixSuite } from "../fixtures/routeMatrix.ts"

/**
 * The route authorization matrix on Postgres (a throwaway database: pg-boss
 * keeps its own schema). Skips locally without a server; fails under CI=true.
 */
const url = postgresUrl("route matrix on Postgres")
const database = `signet_routes_${randomBytes(5).toString("hex")}`
const psql = (sql: string) => execFileSync("psql", [url!, "-tAc", sql], { stdio: "pipe" })

routeMatrixSuite("Postgres", async () => {
  if (url === null) return null
  psql(`create database ${database}`)
  const app = await bootForTest({ DATABASE_URL: url.replace(/\/[^/?]+(\?|$)/, `/${database}$1`) })
  return {
    ...app,
    close: async () => {
      await app.close()
      psql(`drop database if exists ${database} with (force)`)
    },
  }
})
