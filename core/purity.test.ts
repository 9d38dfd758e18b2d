import { readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { importsOf, sources } from "../fixtures/coreSources.ts"

/**
 * Non-negotiable 1: core/ imports only effect, runtime-agnostic libraries and
 * itself. No node: modules, drivers, adapters or apps (tests excepted: they
 * run on Node and may use fixtures).
 */
const ALLOWED_PACKAGES = [/^effect(\/|$)/, /^pdf-lib$/, /^pkijs$/, /^asn1js$/, /^@pdf-lib\//, /^pako$/, /^jpeg-js$/]
const FORBIDDEN_GLOBALS = [/\bprocess\.env\b/, /\bBuffer\./, /\brequire\(/, /\bDeno\./]

const root = new URL(".", import.meta.url).pathname

describe("core purity", () => {
  const files = sources(root)

  it("finds the core sources", () => {
    expect(files.length).toBeGreaterThan(10)
  })

  it("imports nothing impure", () => {
    const offences: Array<string> = []
    for (const file of files) {
      const text = readFileSync(file, "utf8")
      for (const spec of importsOf(text)) {
        const rel = relative(root, join(file, "..", spec))
        const ok = spec.startsWith(".") ? !rel.startsWith("..") : ALLOWED_PACKAGES.some((p) => p.test(spec))
        if (!ok) offences.push(`${relative(root, file)} imports ${spec}`)
      }
      for (const g of FORBIDDEN_GLOBALS) if (g.test(text)) offences.push(`${relative(root, file)} uses ${g.source}`)
    }
    expect(offences).toEqual([])
  })

  it("the check itself catches a bad import", () => {
    expect(importsOf(`import { readFile } from "node:fs"\nimport x from "../adapters/sql/index.ts"`)).toEqual(["node:fs", "../adapters/sql/index.ts"])
  })
})
