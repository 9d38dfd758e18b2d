/**
 * `npm run bench [NAME]`: runs every bench/*.bench.ts (or those whose name
 * contains NAME). Each exports a function that measures and returns a Markdown
 * section; BENCHMARKS.md is rewritten with the new sections, keeping the ones
 * of benchmarks not run this time. Figures are ratios against a baseline
 * measured in the same run, so they compare across machines; absolute times
 * are there for context only.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"

const only = process.argv[2]
const dir = new URL(".", import.meta.url)
const target = new URL("../BENCHMARKS.md", import.meta.url)
const files = readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort()

/** Sections kept from the last run, by benchmark file (marked `<!-- bench:NAME -->`). */
const previous = new Map<string, string>()
if (existsSync(target)) {
  const text = readFileSync(target, "utf8")
  for (const m of text.matchAll(/<!-- bench:([\w.-]+) -->\n([\s\S]*?)(?=<!-- bench:|$)/g)) previous.set(m[1]!, m[2]!.trimEnd())
}

const sections = new Map(previous)
for (const file of files.filter((f) => only === undefined || f.includes(only))) {
  console.log(`bench: ${file}`)
  const mod = (await import(new URL(file, dir).href)) as { default: () => Promise<string> }
  const section = (await mod.default()).trimEnd()
  console.log(section)
  sections.set(file.replace(/\.bench\.ts$/, ""), `${section}\n\n_Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB._`)
}

const header = `# Benchmarks

Written by \`npm run bench\`. Each figure is a ratio against a baseline measured in the same run
(lower is better unless said otherwise); absolute times are for context. Each section says when
and where it was measured.
`
const body = files.map((f) => f.replace(/\.bench\.ts$/, "")).filter((n) => sections.has(n)).map((n) => `<!-- bench:${n} -->\n${sections.get(n)}\n`)
writeFileSync(target, `${header}\n${body.join("\n")}`)
console.log("wrote BENCHMARKS.md")
