import { fork, type ChildProcess } from "node:child_process"
import { availableParallelism, setPriority } from "node:os"
import { fileURLToPath } from "node:url"
import { Effect, Layer } from "effect"
import { UntrustedWork, WorkRefused } from "../../core/ports/UntrustedWork.ts"
import type { TaskInput, TaskName, TaskOutput } from "../../core/untrusted/tasks.ts"

export interface PoolOptions {
  /** Worker processes (each runs one task at a time). */
  readonly size: number
  /** Tasks that may wait for a worker; one more is refused as busy (系统繁忙). */
  readonly queueLimit: number
  /** A task running longer is stopped by terminating its worker. */
  readonly timeoutMs: number
  /** V8 heap and stack limits of each worker process; running out ends the worker, not the server. */
  readonly maxOldGenerationSizeMb: number
  readonly maxYoungGenerationSizeMb: number
  readonly stackSizeMb: number
  /** The worker module (tests give one with tasks of their own); default `./worker.ts`. */
  readonly entry?: URL | undefined
}

export const defaultPoolOptions: PoolOptions = {
  // One core is left to the request thread.
  size: Math.max(1, Math.min(2, availableParallelism() - 1)),
  queueLimit: 32,
  timeoutMs: 30_000,
  maxOldGenerationSizeMb: 512,
  maxYoungGenerationSizeMb: 64,
  stackSizeMb: 4,
}

type Answer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: WorkRefused["reason"] }

interface Pending {
  readonly id: number
  readonly task: string
  readonly input: unknown
  readonly done: (a: Answer) => void
}

interface Slot {
  readonly worker: ChildProcess
  ready: boolean
  job: Pending | null
  timer: ReturnType<typeof setTimeout> | undefined
}

/** The worker module: worker.ts beside this file, or worker.js when this file is built JavaScript (dist/). */
const defaultEntry = ((u: URL) => import.meta.url.endsWith(".ts") ? u : new URL(u.href.replace(/\.ts$/, ".js")))(new URL("./worker.ts", import.meta.url))

/** An idle worker does not keep the process alive (neither the child nor its IPC channel). */
const idle = (worker: ChildProcess) => {
  worker.unref()
  worker.channel?.unref()
}
const bootstrap = new URL("./bootstrap.mjs", import.meta.url)

/** What the pool is doing (tests and the benchmark read it). */
export interface PoolStats {
  readonly workers: number
  readonly busy: number
  readonly queued: number
}

/**
 * A bounded pool of worker processes for work on untrusted bytes. Workers start
 * when first needed and are replaced when one is terminated (timeout) or dies
 * (out of memory); a waiting task keeps its place. Closing refuses whatever is
 * still waiting.
 */
export const makePool = (options: PoolOptions = defaultPoolOptions) => {
  const slots: Array<Slot> = []
  const queue: Array<Pending> = []
  let nextId = 1
  let closed = false

  const finish = (slot: Slot, answer: Answer) => {
    const job = slot.job
    clearTimeout(slot.timer)
    slot.job = null
    slot.timer = undefined
    // An idle worker does not keep the process alive; a busy one does (a CLI or bench awaiting it must not exit early).
    idle(slot.worker)
    job?.done(answer)
  }

  const drop = (slot: Slot, reason: WorkRefused["reason"]) => {
    const i = slots.indexOf(slot)
    if (i < 0) return
    slots.splice(i, 1)
    finish(slot, { ok: false, reason })
    slot.worker.kill("SIGKILL")
    pump()
  }

  const spawn = () => {
    // A child process, not a worker thread: a worker thread's heap limit is best-effort (one large allocation, as a
    // hostile /Index makes, aborts the whole process: nodejs/node#47224), a child's death is only its own.
    const worker = fork(fileURLToPath(bootstrap), [(options.entry ?? defaultEntry).href], {
      execArgv: [
        `--max-old-space-size=${options.maxOldGenerationSizeMb}`,
        `--max-semi-space-size=${Math.max(1, Math.floor(options.maxYoungGenerationSizeMb / 3))}`,
        `--stack-size=${Math.floor(options.stackSizeMb * 1024 * 0.9)}`,
      ],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    // Lower priority (nice 10): when the cores are busy, the request thread is served first.
    try {
      if (worker.pid !== undefined) setPriority(worker.pid, 10)
    } catch {
      // Not permitted here: the worker keeps the default priority.
    }
    const slot: Slot = { worker, ready: false, job: null, timer: undefined }
    worker.on("message", (m: { readonly ready?: true; readonly id?: number; readonly ok?: boolean; readonly value?: unknown; readonly reason?: WorkRefused["reason"] }) => {
      if (m.ready === true) {
        slot.ready = true
        pump()
        if (slot.job === null) idle(slot.worker)
        return
      } else if (slot.job !== null && m.id === slot.job.id) finish(slot, m.ok === true ? { ok: true, value: m.value } : { ok: false, reason: m.reason ?? "tooComplex" })
      pump()
    })
    // Out of heap (the child aborts), a crash, or a failed spawn: the task was too much for a worker.
    worker.on("error", () => drop(slot, "tooComplex"))
    worker.on("exit", () => drop(slot, "tooComplex"))
    slots.push(slot)
  }

  const pump = () => {
    if (closed) return
    for (const slot of slots) {
      if (queue.length === 0) return
      if (!slot.ready || slot.job !== null) continue
      const job = queue.shift()!
      slot.job = job
      slot.worker.ref()
      slot.worker.channel?.ref()
      slot.timer = setTimeout(() => drop(slot, "timeout"), options.timeoutMs)
      slot.worker.send({ id: job.id, task: job.task, input: job.input })
    }
    // Every worker busy or starting: start another while the pool has room.
    const idle = slots.filter((s) => s.job === null).length
    if (queue.length > idle && slots.length < options.size) spawn()
  }

  const submit = (task: string, input: unknown) =>
    new Promise<Answer>((done) => {
      if (closed) return done({ ok: false, reason: "busy" })
      if (queue.length >= options.queueLimit) return done({ ok: false, reason: "busy" })
      queue.push({ id: nextId++, task, input, done })
      pump()
    })

  return {
    run: <K extends TaskName>(task: K, input: TaskInput<K>): Effect.Effect<TaskOutput<K>, WorkRefused> =>
      Effect.flatMap(
        Effect.promise(() => submit(task, input)),
        (a) => a.ok ? Effect.succeed(a.value as TaskOutput<K>) : Effect.fail(new WorkRefused({ reason: a.reason })),
      ),
    /** Any task the worker module knows (tests); the typed `run` is what the apps use. */
    submit,
    stats: (): PoolStats => ({ workers: slots.length, busy: slots.filter((s) => s.job !== null).length, queued: queue.length }),
    close: async () => {
      closed = true
      for (const job of queue.splice(0)) job.done({ ok: false, reason: "busy" })
      await Promise.all(slots.splice(0).map((s) => {
        finish(s, { ok: false, reason: "busy" })
        s.worker.kill("SIGKILL")
        return new Promise<void>((done) => (s.worker.exitCode !== null || s.worker.signalCode !== null ? done() : s.worker.once("exit", () => done())))
      }))
    },
  }
}

export type Pool = ReturnType<typeof makePool>

/** `UntrustedWork` on a worker pool, closed with the layer. */
export const layer = (options: PoolOptions = defaultPoolOptions) =>
  Layer.effect(UntrustedWork, Effect.acquireRelease(Effect.sync(() => makePool(options)), (pool) => Effect.promise(pool.close)).pipe(
    Effect.map((pool) => ({ run: pool.run })),
  ))
