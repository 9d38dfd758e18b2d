/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports a function that
 * measures and returns a Markdown section) and writes BENCHMARKS.md. Figures
 * are ratios against a baseline measured in the same run, so they compare
 * across machines; absolute times are printed for context only.
 */
import { readdirSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"

const only = process.argv[2]
const dir = new URL(".", import.meta.url)
const files = readdirSync(dir).filter((f) => f.endsWith(".bench.ts") && (only === undefined || f.includes(only))).sort()
const sections: Array<string> = []
for (const file of files) {
  console.log(`bench: ${file}`)
  const mod = (await import(new URL(file, dir).href)) as { default: () => Promise<string> }
  const section = await mod.default()
  console.log(section)
  sections.push(section)
}

const header = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB.
Each figure is a ratio against a baseline measured in the same run (lower is better unless said otherwise).
`
writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), `${header}\n${sections.join("\n")}`)
console.log("wrote BENCHMARKS.md")
