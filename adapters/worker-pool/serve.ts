import { parentPort } from "node:worker_threads"

/** The worker side of the pool's protocol: one job at a time, then `{ id, ok, value }` or `{ id, ok: false, reason }`. */
export const serveTasks = (run: (task: string, input: unknown) => Promise<{ readonly ok: true; readonly value: unknown } | { readonly ok: false }>) => {
  const port = parentPort!
  port.on("message", (job: { readonly id: number; readonly task: string; readonly input: unknown }) => {
    void run(job.task, job.input).then(
      (a) => port.postMessage(a.ok ? { id: job.id, ok: true, value: a.value } : { id: job.id, ok: false, reason: "tooComplex" }),
      () => port.postMessage({ id: job.id, ok: false, reason: "tooComplex" }),
    )
  })
  port.postMessage({ ready: true })
}
