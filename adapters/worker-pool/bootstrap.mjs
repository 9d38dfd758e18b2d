// Plain JavaScript so Node runs it as is, in any worker: loads the TypeScript
// worker through tsx's API (the same transform `npm start` uses), whether the
// parent runs under tsx, vitest or anything else.
import { workerData } from "node:worker_threads"
import { tsImport } from "tsx/esm/api"

await tsImport(workerData.entry, import.meta.url)
