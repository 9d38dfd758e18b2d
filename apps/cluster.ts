/**
 * The cluster's primary (node:cluster, SIGNET_WORKERS > 1): the portal and admin ports are shared by N server
 * processes, the primary handing out connections. It serves nothing and loads no server code.
 *
 * Once per deployment: the first server forked is the lead (apps/platform/boot.ts `lead`): it migrates, seeds the
 * dev profile and runs the job workers; the others start only once it listens, so they find the database migrated,
 * the CA and keys made, and never seed. What every process does anyway is safe several times over: job claims are
 * one guarded UPDATE, the snowflake worker id is a lease per process, SQLite is in WAL with a busy timeout and
 * IMMEDIATE write transactions (one writer at a time), Postgres is shared by design (and the path beyond one machine:
 * several hosts each running a cluster, README "Running several instances").
 *
 * A server that dies is replaced (the lead by a new lead). SIGTERM / SIGINT: passed to every server, each drains and
 * closes (apps/server.ts); the primary exits once all have, 0 if all exited 0.
 */
import cluster, { type Worker } from "node:cluster"

/** Set on the lead's environment (internal: not a setting). */
export const LEAD_ENV = "SIGNET_CLUSTER_LEAD"

const line = (level: string, msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }))

export const runCluster = (workers: number) => {
  let stopping = false
  let failed = false
  const live = new Set<Worker>()

  const fork = (lead: boolean): Worker => {
    const worker = cluster.fork(lead ? { [LEAD_ENV]: "1" } : {})
    let listening = false
    live.add(worker)
    worker.on("message", (m: { signet?: string }) => {
      if (m?.signet !== "listening" || listening) return
      listening = true
      if (lead && live.size < workers) for (let i = live.size; i < workers; i++) fork(false)
    })
    worker.on("exit", (code, signal) => {
      live.delete(worker)
      if (code !== 0) failed = true
      if (stopping) {
        if (live.size === 0) process.exit(failed ? 1 : 0)
        return
      }
      if (!listening) {
        // It never started (a bad database, a failed migration: the server logged why): so would its replacement.
        line("error", "a server process failed to start; stopping the cluster", { pid: worker.process.pid, code, signal })
        stop("SIGTERM", code ?? 1)
        return
      }
      line("warn", "a server process exited; starting another", { pid: worker.process.pid, code, signal, lead })
      fork(lead)
    })
    return worker
  }

  const stop = (signal: NodeJS.Signals, exitCode = 0) => {
    if (stopping) return
    stopping = true
    if (exitCode !== 0) failed = true
    line("info", `${signal}: stopping ${live.size} server processes`)
    if (live.size === 0) process.exit(failed ? 1 : 0)
    for (const w of live) w.process.kill(signal)
  }
  process.on("SIGTERM", () => stop("SIGTERM"))
  process.on("SIGINT", () => stop("SIGINT"))
  line("info", "cluster", { workers, pid: process.pid })
  fork(true)
}
