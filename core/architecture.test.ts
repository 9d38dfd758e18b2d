import { readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import { describe, expect, it } from "vitest"
import { importsOf, sources } from "../fixtures/coreSources.ts"

/**
 * Issue 19 ("Homes"): contexts depend on each other in one direction only, and
 * every service the core asks its host for is a port in core/ports. See
 * ARCHITECTURE.md ("Where each concept lives") for the decisions below.
 */

/** core/ports names the contexts' types (a port's arguments and results); it is the edge, not a context. */
const NOT_A_CONTEXT = new Set(["ports"])

/** Services declared outside core/ports on purpose: the core's own implementation or a per-request / configuration value. */
const SERVICES_OUTSIDE_PORTS: Record<string, ReadonlyArray<string>> = {
  // The core's implementation of "an act and its evidence commit together" (a use case, not a port).
  "evidence/EvidenceRecorder.ts": ["CurrentClient", "EvidenceRecorder"],
  // The outbound-connection rule's setting, secure by default (the rule lives beside it).
  "net/outbound.ts": ["OutboundPolicy"],
}

const root = new URL(".", import.meta.url).pathname

/** The context a core file belongs to: its first folder under core/ (core/index.ts belongs to none). */
const contextOf = (relPath: string): string | null => {
  const parts = relPath.split(/[\\/]/)
  return parts.length > 1 ? parts[0]! : null
}

/** Pairs of contexts importing each other, from (file under core/, its relative imports) pairs. */
const mutualPairs = (files: ReadonlyArray<readonly [string, ReadonlyArray<string>]>): Array<string> => {
  const edges = new Map<string, Set<string>>()
  for (const [file, specs] of files) {
    const from = contextOf(file)
    if (from === null || NOT_A_CONTEXT.has(from)) continue
    for (const spec of specs) {
      if (!spec.startsWith(".")) continue
      const to = contextOf(join(file, "..", spec))
      if (to === null || to === from || to.startsWith("..") || NOT_A_CONTEXT.has(to)) continue
      edges.set(from, (edges.get(from) ?? new Set()).add(to))
    }
  }
  const pairs: Array<string> = []
  for (const [a, targets] of edges) for (const b of targets) if (a < b && edges.get(b)?.has(a)) pairs.push(`${a} <-> ${b}`)
  return pairs.sort()
}

/** The services (Context.Service classes, Context.Reference values) a source declares, by name. */
const servicesIn = (text: string): Array<string> =>
  [...text.matchAll(/(?:class\s+(\w+)\s+extends\s+Context\.Service\b|(?:const|let)\s+(\w+)\s*=\s*Context\.Reference\b)/g)].map((m) => m[1] ?? m[2] ?? "")

const coreFiles = () => sources(root).map((path) => [relative(root, path).split(sep).join("/"), readFileSync(path, "utf8")] as const)

describe("core architecture", () => {
  const files = coreFiles()

  it("no two contexts import each other", () => {
    expect(mutualPairs(files.map(([file, text]) => [file, importsOf(text)]))).toEqual([])
  })

  it("every service is declared in core/ports, but for the listed decisions", () => {
    const outside: Record<string, Array<string>> = {}
    for (const [file, text] of files) {
      if (file.startsWith("ports/")) continue
      const names = servicesIn(text)
      if (names.length > 0) outside[file] = names.sort()
    }
    expect(outside).toEqual(SERVICES_OUTSIDE_PORTS)
  })

  it("the checks catch a cycle and a service outside the ports", () => {
    expect(mutualPairs([
      ["contracts/a.ts", ["../evidence/b.ts", "./c.ts", "../ports/P.ts"]],
      ["evidence/b.ts", ["../contracts/Contract.ts"]],
      ["ports/P.ts", ["../contracts/Contract.ts"]],
      ["index.ts", ["./contracts/a.ts"]],
    ])).toEqual(["contracts <-> evidence"])
    expect(mutualPairs([["seals/image/x.ts", ["../seals.ts", "../../organizations/o.ts"]], ["organizations/o.ts", ["../kernel/k.ts"]]])).toEqual([])
    expect(servicesIn(`export class Repo extends Context.Service<Repo, {}>()("x") {}\nexport const Cfg = Context.Reference<number>("y", { defaultValue: () => 1 })`))
      .toEqual(["Repo", "Cfg"])
  })
})
