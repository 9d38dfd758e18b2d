import { Context, Effect, Schema } from "effect"
import { runTaskHere, type TaskInput, type TaskName, type TaskOutput, type TaskServices } from "../untrusted/tasks.ts"

/**
 * The work could not be done: the pool's queue is full (`busy`), the task ran
 * past its time (`timeout`), or it died (out of memory, stack overflow:
 * `tooComplex`). The input was not judged; nothing was changed.
 */
export class WorkRefused extends Schema.TaggedError<WorkRefused>()("WorkRefused", {
  reason: Schema.Literals(["busy", "timeout", "tooComplex"]),
}) {}

/** What the user is told for each refusal (zh-CN, one home for these words). */
export const workRefusedMessage = (e: WorkRefused): string =>
  e.reason === "busy" ? "系统繁忙，请稍后再试" : e.reason === "timeout" ? "文件处理超时，请检查文件后重试" : "文件结构过于复杂或已损坏，无法处理"

export interface UntrustedWorkShape {
  /** Runs one task of `core/untrusted/tasks.ts` on bytes a user sent. */
  readonly run: <K extends TaskName>(task: K, input: TaskInput<K>) => Effect.Effect<TaskOutput<K>, WorkRefused, TaskServices<K>>
}

/**
 * Where work on uploaded bytes runs. The default runs it in the caller's fiber
 * (a defect still becomes a refusal, never a 500); the apps provide
 * `adapters/worker-pool`: worker processes with memory limits, a bounded queue
 * and a per-task timeout, so a hostile file never stalls other requests.
 */
export const UntrustedWork = Context.Reference<UntrustedWorkShape>("core/ports/UntrustedWork", {
  defaultValue: () => ({
    run: (task, input) => runTaskHere(task, input).pipe(Effect.catchDefect(() => Effect.fail(new WorkRefused({ reason: "tooComplex" })))),
  }),
})

/** Runs a task through whichever `UntrustedWork` is provided. */
export const untrusted = <K extends TaskName>(task: K, input: TaskInput<K>) =>
  UntrustedWork.use((w) => w.run(task, input))
