import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref } from "effect"
import { TestClock } from "effect/testing"
import { JobQueue } from "../../core/ports/JobQueue.ts"
import { jobQueueContract } from "../../fixtures/contracts/JobQueue.contract.ts"
import { layerSqlite, migrated } from "../sql/index.ts"
import { layerUnitOfWork } from "../sql/unitOfWork.ts"
import { layer, SqlJobs } from "./index.ts"

const onSqlite = (file: string, pollMs: number | null) =>
  Layer.mergeAll(layer({ pollMs }), layerUnitOfWork).pipe(Layer.provideMerge(migrated(layerSqlite(file))))

jobQueueContract("SQLite (jobs-sql)", onSqlite(":memory:", 20), 20)

describe("jobs-sql", () => {
  it.effect("backs off exponentially on TestClock: 1, 2, 4, 8 s capped at 5 s; each run counted", () =>
    Effect.gen(function*() {
      const queue = yield* JobQueue
      const { runDue } = yield* SqlJobs
      const runs = yield* Ref.make<ReadonlyArray<number>>([])
      yield* queue.work("flaky", (job) => Ref.update(runs, (r) => [...r, job.attempt]).pipe(Effect.andThen(job.attempt < 5 ? Effect.fail("down") : Effect.void)),
        { retry: { limit: 10, baseDelayMs: 1_000, maxDelayMs: 5_000 } })
      const id = Option.getOrThrow(yield* queue.enqueue("flaky", {}))
      const schedule: Array<[number, number]> = []
      expect(yield* runDue).toBe(1)
      // Just before each retry is due nothing runs; at the due time it does.
      for (const delay of [1_000, 2_000, 4_000, 5_000]) {
        yield* TestClock.adjust(delay - 1)
        const early = yield* runDue
        yield* TestClock.adjust(1)
        schedule.push([early, yield* runDue])
      }
      expect(schedule).toEqual([[0, 1], [0, 1], [0, 1], [0, 1]])
      expect(yield* Ref.get(runs)).toEqual([1, 2, 3, 4, 5])
      expect(Option.map(yield* queue.inspect("flaky", id), (i) => [i.state, i.attempts])).toEqual(Option.some(["completed", 5]))
    }).pipe(Effect.provide(onSqlite(":memory:", null))))

  it.effect("a recurring job runs again one interval after it finished, never twice at once", () =>
    Effect.gen(function*() {
      const queue = yield* JobQueue
      const { runDue } = yield* SqlJobs
      const count = yield* Ref.make(0)
      yield* queue.work("sweep", () => Ref.update(count, (n) => n + 1))
      yield* queue.every("sweep", 60_000)
      yield* queue.every("sweep", 60_000)
      expect(yield* runDue).toBe(1)
      yield* TestClock.adjust(59_999)
      expect(yield* runDue).toBe(0)
      yield* TestClock.adjust(1)
      expect(yield* runDue).toBe(1)
      expect(yield* Ref.get(count)).toBe(2)
    }).pipe(Effect.provide(onSqlite(":memory:", null))))

  it.live("jobs survive a restart: queued by one process, run by the next", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "signet-jobs-"))
      const file = join(dir, "jobs.db")
      const id = yield* JobQueue.use((q) => q.enqueue("later", { n: 1 })).pipe(Effect.provide(onSqlite(file, null)))
      const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
      const ran = yield* Effect.gen(function*() {
        yield* JobQueue.use((q) => q.work("later", (job) => Ref.update(seen, (s) => [...s, job.payload])))
        return yield* (yield* SqlJobs).runDue
      }).pipe(Effect.provide(onSqlite(file, null)))
      rmSync(dir, { recursive: true, force: true })
      expect(Option.isSome(id)).toBe(true)
      expect(ran).toBe(1)
      expect(yield* Ref.get(seen)).toEqual([{ n: 1 }])
    }))
})
