import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Effect, Metric, Option } from "effect"
import { PgBossJobs } from "../../adapters/jobs-pgboss/index.ts"
import { jobRuns } from "../../core/ports/JobQueue.ts"
import { JobQueue } from "../../core/ports/JobQueue.ts"
import { bootForTest } from "../../fixtures/boot.ts"
import { postgresUrl } from "../../fixtures/postgres.ts"
import { eventually } from "./fixtures.ts"

/** Every job registerJobs schedules (apps/api/jobs.ts). */
const SCHEDULED = ["api-cleanup", "contracts-archive-renewal", "contracts-expire", "external-signatures-cleanup"]

const runs = (job: string, outcome: "ok" | "failed") =>
  Effect.runSync(Metric.value(Metric.withAttributes(jobRuns, { job, outcome }))).count

const options = { perClientPerMinute: { login: 1000, sms: 1000 }, expirySweep: true } as const

/**
 * Each scheduled job runs once on each database and succeeds: on Postgres the
 * pg-boss cron once sent `data = null` and every run of the expiry sweep and
 * the API clean-up failed ("payload is not a JSON object"), unseen.
 */
describe("every scheduled job runs once", () => {
  it("on SQLite (jobs-sql: a recurring job is due at start)", async () => {
    const before = SCHEDULED.map((j) => runs(j, "ok"))
    const app = await bootForTest({}, options)
    try {
      await eventually(() => SCHEDULED.every((j, i) => runs(j, "ok") > before[i]!) ? true : undefined, "a successful run of each scheduled job")
      expect(SCHEDULED.map((j) => runs(j, "failed"))).toEqual(SCHEDULED.map(() => 0))
    } finally {
      await app.close()
    }
  }, 60_000)

  const url = postgresUrl("scheduled jobs on Postgres")
  it.skipIf(url === null)("on Postgres (pg-boss: a run of each schedule, with the data its cron sends)", async () => {
    const database = `signet_jobs_${randomBytes(5).toString("hex")}`
    const psql = (sql: string) => execFileSync("psql", [url!, "-tAc", sql], { stdio: "pipe" })
    psql(`create database ${database}`)
    const app = await bootForTest({ DATABASE_URL: url!.replace(/\/[^/?]+(\?|$)/, `/${database}$1`) }, options)
    try {
      const fired = await app.run(Effect.flatMap(Effect.serviceOption(PgBossJobs), (h) => Option.getOrThrow(h).fireSchedules))
      expect(fired.map((f) => f.name).sort()).toEqual(SCHEDULED)
      for (const { name, id } of fired) {
        const state = await eventually(async () => {
          const info = await app.run(JobQueue.use((q) => q.inspect(name, id)))
          return Option.isSome(info) && (info.value.state === "completed" || info.value.state === "failed") ? info.value.state : undefined
        }, `${name} to finish`, 30_000)
        expect([name, state]).toEqual([name, "completed"])
      }
      expect(SCHEDULED.map((j) => runs(j, "failed"))).toEqual(SCHEDULED.map(() => 0))
    } finally {
      await app.close()
      psql(`drop database if exists ${database} with (force)`)
    }
  }, 90_000)
})
