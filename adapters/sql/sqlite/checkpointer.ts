import { createRequire } from "node:module"
import { Worker } from "node:worker_threads"
import type SQLite from "better-sqlite3"

/** How often the background thread checkpoints the WAL. */
const EVERY_MS = 100
/**
 * The writer's own automatic checkpoint, kept as a safety net: if the
 * background thread falls behind (a long reader pins the WAL), the writer
 * checkpoints once the WAL holds this many pages (40 MiB at 4 KiB pages).
 */
const FALLBACK_PAGES = 10_000
/** The WAL file is truncated back to this size after a checkpoint has emptied it. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024

// A CommonJS worker from source text: no loader or build step needed, runs the same under tsx and plain Node.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads")
const SQLite = require(workerData.driver)
const db = new SQLite(workerData.file)
db.pragma("busy_timeout = 1000")
let timer
const tick = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)") } catch (e) { parentPort.postMessage(String(e)) }
  timer = setTimeout(tick, workerData.every)
}
parentPort.on("message", () => { clearTimeout(timer); db.close(); process.exit(0) })
tick()
`

/**
 * Checkpoints a WAL database from a second thread. Under WAL every commit
 * appends pages to the log; a checkpoint copies them into the database file
 * and fsyncs both, which SQLite otherwise does inside whichever commit crosses
 * 1,000 pages, on the writer's thread. A PASSIVE checkpoint on another
 * connection runs beside the writer without blocking it (SQLite's documented
 * pattern for this), so on a machine with a second core that work no longer
 * stalls the request being served. Durability is unchanged: the same
 * synchronous=NORMAL commits, the same fsyncs, on another thread.
 * Returns the stop function (closes the thread's connection first).
 */
export const startCheckpointer = (sqlite: SQLite.Database, file: string): (() => Promise<void>) => {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { file, every: EVERY_MS, driver: createRequire(import.meta.url).resolve("better-sqlite3") },
  })
  worker.unref()
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`)
  sqlite.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`)
  // A thread that cannot run (or fails) hands checkpointing back to the writer, at SQLite's default.
  const fallBack = () => {
    if (sqlite.open) sqlite.pragma("wal_autocheckpoint = 1000")
  }
  worker.on("error", fallBack)
  worker.on("message", fallBack)
  let running = true
  const exited = new Promise<void>((resolve) => worker.once("exit", () => {
    running = false
    resolve()
  }))
  return async () => {
    worker.off("error", fallBack)
    if (running) {
      // Unref'd so that it never keeps a process alive; while stopping, the process waits for its connection to close.
      worker.ref()
      worker.postMessage("stop")
    }
    await exited
  }
}
