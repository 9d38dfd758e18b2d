// Plain JavaScript so Node runs it as is, in any worker process: loads the
// TypeScript worker (argv[2]) through tsx's API (the same transform `npm start`
// uses), whether the parent runs under tsx, vitest or anything else.
import { tsImport } from "tsx/esm/api"

await tsImport(process.argv[2], import.meta.url)
