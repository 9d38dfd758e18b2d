// Plain JavaScript so Node runs it as is, in any worker process: loads the
// worker (argv[2]): built JavaScript as is (the production build, the library),
// TypeScript through tsx's API (the same transform `npm run dev` uses), whether
// the parent runs under tsx, vitest or anything else.
const entry = process.argv[2]
if (entry.endsWith(".ts")) {
  const { tsImport } = await import("tsx/esm/api")
  await tsImport(entry, import.meta.url)
} else {
  await import(entry)
}
