/** The worker side of the pool's protocol (IPC with the parent process): one job at a time, then `{ id, ok, value }` or `{ id, ok: false, reason }`. */
export const serveTasks = (run: (task: string, input: unknown) => Promise<{ readonly ok: true; readonly value: unknown } | { readonly ok: false }>) => {
  const send = (m: unknown) => process.send!(m)
  process.on("message", (job: { readonly id: number; readonly task: string; readonly input: unknown }) => {
    void run(job.task, job.input).then(
      (a) => send(a.ok ? { id: job.id, ok: true, value: a.value } : { id: job.id, ok: false, reason: "tooComplex" }),
      () => send({ id: job.id, ok: false, reason: "tooComplex" }),
    )
  })
  // The parent gone: nothing left to do.
  process.on("disconnect", () => process.exit(0))
  send({ ready: true })
}
